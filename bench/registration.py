"""Registration over HTTP against a bare endpoint, in the same run (≥ 0.3 ×): two gunicorn workers with
threads, as deploy/gunicorn.conf.py runs them, on loopback; eight clients post a problem with a token
(`/api/v1/tickets/`) or a body to a bare Django view that INSERTs one row (`bench/bare_wsgi.py`), in
alternate rounds, so that the machine's noise falls on both."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS, THREADS, ROUNDS = 1200, 8, 3


def run(report):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.tickets import ensure_ledger
    from yingshang.core.tokens import token_create
    from yingshang.directory.models import Enterprise
    from yingshang.tickets.models import Category

    ensure_ledger(report)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, body text NOT NULL, "
                       "at timestamptz NOT NULL DEFAULT now())" if connection.vendor == "postgresql" else
                       "CREATE TABLE IF NOT EXISTS bench_bare (id integer PRIMARY KEY AUTOINCREMENT, body text NOT NULL,"
                       " at text NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    member = get_user_model().objects.get(username="faw_rd")
    _token, key = token_create(actor=member, label="bench")
    firm = Enterprise.objects.get(members__user=member)
    body = json.dumps({"enterprise": firm.uscc, "category": Category.objects.get(name="供电").pk,
                       "title": "压测诉求", "description": "性能测试"}).encode()
    registration = dict(app="yingshang.wsgi", env={}, path="/api/v1/tickets/", body=body,
                        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"})
    bare = dict(app="bench.bare_wsgi", env={"BENCH_BARE_SERVE": "1"}, path="/insert/", body=body,
                headers={"Content-Type": "application/json"}, ready="/insert/")
    rates = {"registration": [], "bare": []}
    for _ in range(ROUNDS):
        for name, spec in (("bare", bare), ("registration", registration)):
            rates[name].append(serve_and_post(**spec))
    for name, label in (("bare", "bare endpoint: one INSERT"), ("registration", "registration of a problem")):
        r = sorted(x for x, _errors in rates[name])
        errors = sum(e for _x, e in rates[name])
        report.figure(f"{label} over HTTP, {ROUNDS} rounds, min ({errors} errors)", r[0], "per s")
        report.figure("  … max", r[-1], "per s")
    ratios = sorted(a[0] / b[0] for a, b in zip(rates["registration"], rates["bare"]))
    report.figure("registration ÷ bare endpoint, round by round, min", ratios[0], "×")
    report.figure("  … max", ratios[-1], "×", "≥ 0.3 ×")


def serve_and_post(*, app, env, path, body, headers, ready="/healthz", port=18766) -> tuple[float, int]:
    """Start two gunicorn workers serving ``app``, post ``REQUESTS`` bodies from ``THREADS`` clients, stop it;
    the rate of successful posts per second and the number of failures."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads",
                               os.environ.get("BENCH_GUNICORN_THREADS", "4"), "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", app], env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                              cwd=ROOT)
    try:
        _wait(f"http://127.0.0.1:{port}{ready}")
        errors, done = [], [0]
        lock = threading.Lock()

        def worker(n):
            for _ in range(n):
                req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        assert r.status == 201
                    with lock:
                        done[0] += 1
                except Exception as exc:  # counted and reported, not fatal
                    errors.append(repr(exc))

        pool = [threading.Thread(target=worker, args=(REQUESTS // THREADS,)) for _ in range(THREADS)]
        t = time.perf_counter()
        for th in pool:
            th.start()
        for th in pool:
            th.join()
        return done[0] / (time.perf_counter() - t), len(errors)
    finally:
        server.terminate()
        server.wait(10)


def _wait(url, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers (a GET on a POST endpoint)
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")
