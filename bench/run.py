"""Run the benchmarks: every ``bench/*.py`` module with a ``run(report)`` function, in name order.

Benchmarks use their own database: PostgreSQL when ``BENCH_DATABASE_URL`` (or ``DATABASE_URL``) is set,
otherwise SQLite under ``var/bench/``. They print their figures; nothing here asserts a time.

    make bench                    # all
    make bench ONLY=foundation    # one module (or several: ONLY=tickets,search)
    make bench SCALE=10000000     # the ledger's benchmarks on ten million problems (BENCH_TICKETS)
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Report:
    def __init__(self):
        self.rows = []

    def figure(self, name: str, value: float, unit: str, budget: str = ""):
        self.rows.append((name, value, unit, budget))
        print(f"  {name:<58} {value:>12,.2f} {unit:<6} {budget}", flush=True)

    def timings(self, name: str, fn, *, repeat: int, unit="ms", budget=""):
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        self.figure(f"{name} p50", statistics.median(samples), unit)
        self.figure(f"{name} p95", p95, unit, budget)
        return p95


def setup_django():
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("YINGSHANG_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
    os.environ.setdefault("STATIC_ROOT", str(Path(os.environ["YINGSHANG_VAR_DIR"]) / "static"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yingshang.settings"
    Path(os.environ["YINGSHANG_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # production static storage, as served


def main():
    only = {n for n in (os.environ.get("ONLY") or (sys.argv[1] if len(sys.argv) > 1 else "")).split(",") if n}
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor}")
    modules = sorted(p.stem for p in Path(__file__).parent.glob("*.py") if p.stem not in ("run", "__init__"))
    for name in modules:
        if only and name not in only:
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name} ==")
        module.run(Report())


if __name__ == "__main__":
    main()
