#!/usr/bin/env python3
"""The schema fuzz probe: schemathesis against a live server built for it, with a dispatcher's and a firm's
token, bounded in examples and time. Any 5xx, a response that does not match the OpenAPI description, or a
status code the description does not list fails it (exit 1).

    .venv/bin/python tools/fuzz.py [--seconds 120] [--examples 25]

Uses ``DATABASE_URL`` when it points at PostgreSQL (a database ``<name>_fuzz`` is created and dropped), else a
temporary SQLite file. Prints the requests sent and the failures found, per token."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database(tmp: Path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        name = re.sub(r"[^a-z0-9_]", "_", (name or "yingshang").lower()) + "_fuzz"
        admin = f"{base}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{base}/{name}", drop
    return f"sqlite:///{tmp / 'fuzz.sqlite3'}", lambda: None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=120, help="time budget per token (default 120)")
    ap.add_argument("--examples", type=int, default=25, help="examples per operation (default 25)")
    args = ap.parse_args()
    st = shutil.which("st", path=str(Path(PY).parent)) or shutil.which("st")
    if st is None:
        print("fuzz: schemathesis is not installed (it is a test dependency: make setup)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="yingshang-fuzz-"))
    db_url, drop = database(tmp)
    env = {**os.environ, "DATABASE_URL": db_url, "YINGSHANG_VAR_DIR": str(tmp), "DEBUG": "1",
           "PYTHONUNBUFFERED": "1"}
    server = None
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "demo", "--quiet-accounts"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        keys = json.loads(subprocess.run([PY, "-c", (
            "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'yingshang.settings'); "
            "django.setup(); from yingshang.core.models import User; from yingshang.core.tokens import "
            "token_create; print(json.dumps({u: token_create(actor=User.objects.get(username=u), label='fuzz')[1] "
            "for u in ('dispatcher', 'faw_rd')}))")], cwd=ROOT, env=env, check=True, capture_output=True,
            text=True).stdout.strip().splitlines()[-1])
        port = free_port()
        serve_env = {**env, "DEBUG": "0", "SECRET_KEY": "fuzz-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
                     "SINGLE_SERVER": "1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
                     "CSRF_COOKIE_SECURE": "0", "STATIC_ROOT": str(tmp / "static")}
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=serve_env, check=True)
        server = subprocess.Popen([PY, "-m", "gunicorn", "yingshang.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                                   "--threads", "2", "--timeout", "60", "--log-level", "warning",
                                   "--limit-request-line", "0"], cwd=ROOT,
                                  env=serve_env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        failed = False
        for who, key in keys.items():
            req = urllib.request.Request(f"{base}/api/schema/?format=json", headers={"Authorization": f"Token {key}"})
            schema = tmp / f"schema-{who}.json"
            schema.write_bytes(urllib.request.urlopen(req, timeout=30).read())
            cmd = [st, "run", str(schema), "--url", base, "-H", f"Authorization: Token {key}", "--checks", CHECKS,
                   "--max-examples", str(args.examples), "--max-time", str(args.seconds), "--workers", "1",
                   "--request-timeout", "20", "--phases", "examples,coverage,fuzzing", "--no-color",
                   "--seed", "20261201"]
            print(f"== fuzz as {who} ({args.seconds} s, {args.examples} examples an operation) ==", flush=True)
            result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            out = result.stdout + result.stderr
            if result.returncode != 0 and _tool_crash_only(out):
                # The generator itself crashed (no answer of the server failed a check): run once more.
                print("fuzz: the generator crashed without a failing answer; running again", flush=True)
                result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
                out = result.stdout + result.stderr
            summary = [ln for ln in out.splitlines() if re.search(r"(API Operations|Test Phases|Test cases|"
                                                                 r"Failures|passed|failed|Seed|requests|"
                                                                 r"Errors|Warnings)", ln)]
            print("\n".join(summary[-20:]))
            if result.returncode != 0:
                failed = True
                print(out)
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        drop()
        shutil.rmtree(tmp, ignore_errors=True)


def _tool_crash_only(out: str) -> bool:
    """The run failed only by a runtime error of the fuzzing tool, with no failing check on any answer."""
    summary = out[out.rfind("SUMMARY"):] if "SUMMARY" in out else out
    return "Runtime Error" in summary and "Failures:" not in summary


if __name__ == "__main__":
    sys.exit(main())
