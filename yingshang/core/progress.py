"""Progress of long console work: a bar with counts and time left in a terminal, a plain line every
``every`` seconds in a log; and what is said when the work is interrupted (Ctrl-C) — the work itself commits in
whole batches, so an interruption leaves no half batch.

    with Progress(total, "problems", out=self.stdout) as p:
        for batch in batches:
            ...                     # one transaction
            p.advance(len(batch))
"""

from __future__ import annotations

import sys
import time

WIDTH = 28


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    def __init__(self, total: int, label: str, *, out=None, every: float = 10.0, now=time.monotonic):
        self.total, self.label, self.every, self.now = max(0, int(total)), label, every, now
        self.out = out if out is not None else sys.stderr
        stream = getattr(self.out, "_out", self.out)  # a management command's OutputWrapper
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.done = 0
        self.started = self.last = now()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is KeyboardInterrupt:
            self._write(f"{self.label}: interrupted after {self.done:,} of {self.total:,} (whole batches only: "
                        f"what is done is kept, run it again for the rest)", end="\n")
            return False
        if kind is None:
            self._write(self.line(final=True), end="\n")
        return False

    def left(self) -> float | None:
        elapsed = self.now() - self.started
        if not self.done or not self.total:
            return None
        return elapsed / self.done * (self.total - self.done)

    def line(self, *, final: bool = False) -> str:
        elapsed = self.now() - self.started
        share = self.done / self.total if self.total else 1.0
        if final:
            return f"{self.label}: {self.done:,} of {self.total:,} in {_clock(elapsed)}"
        left = self.left()
        when = f"{_clock(left)} left" if left is not None else "…"
        if self.tty:
            filled = int(WIDTH * share)
            return f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self.done:,}/{self.total:,} " \
                   f"{share:4.0%} · {when}"
        return f"{self.label}: {self.done:,} of {self.total:,} ({share:.0%}), {when}"

    def advance(self, n: int = 1) -> None:
        self.done += n
        t = self.now()
        if self.tty:
            self._write("\r" + self.line(), end="")
        elif t - self.last >= self.every:
            self.last = t
            self._write(self.line(), end="\n")

    def _write(self, text: str, end: str) -> None:
        if self.tty and end == "\n":
            text = "\r" + text
        try:
            self.out.write(text, ending=end)  # a management command's OutputWrapper
        except TypeError:
            self.out.write(text + end)
        flush = getattr(self.out, "flush", None)
        if flush:
            flush()
