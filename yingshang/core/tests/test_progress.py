"""Console progress: periodic plain lines in a log, a bar with time left in a terminal, and the interruption
said plainly."""

import io

import pytest

from yingshang.core.progress import Progress


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_a_line_every_interval_with_the_time_left():
    clock, out = Clock(), io.StringIO()
    with Progress(1000, "problems", out=out, every=10, now=clock) as p:
        for _ in range(10):
            clock.t += 5
            p.advance(100)
    lines = out.getvalue().splitlines()
    assert lines[0] == "problems: 200 of 1,000 (20%), 00:40 left"
    assert len(lines) == 6 and lines[-1] == "problems: 1,000 of 1,000 in 00:50"


def test_a_terminal_gets_a_bar():
    clock, out = Clock(), Tty()
    with Progress(4, "files", out=out, now=clock) as p:
        clock.t += 30
        p.advance(1)
        assert out.getvalue().endswith("files [#######---------------------] 1/4  25% · 01:30 left")


def test_an_interruption_is_said_plainly():
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        with Progress(10_000, "problems", out=out) as p:
            p.advance(5000)
            raise KeyboardInterrupt
    assert "interrupted after 5,000 of 10,000" in out.getvalue()
