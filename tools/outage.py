#!/usr/bin/env python3
"""The outage probe (PostgreSQL): a cluster of its own on another port (``pg_createcluster``, dropped at the
end — never the machine's main cluster), the platform served by gunicorn on it, a bounded load of problem
registrations while the cluster is restarted, then stopped and started again. Clients retry a failed request
with the same ``Idempotency-Key``, as the API documents. Afterwards: every 201 is in the database, no problem
twice, and the service answered again within 5 seconds of each start. Exit 1 otherwise.

    .venv/bin/python tools/outage.py [--seconds 30] [--clients 6]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from probe_client import keep_registering

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLUSTER = "ysoutage"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(*args, check=True):
    return subprocess.run(list(args), check=check, capture_output=True, text=True)


def wait_ready(port: int, seconds: float = 30) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        if pg("pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q", check=False).returncode == 0:
            return True
        time.sleep(0.2)
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=30, help="length of the load (default 30)")
    ap.add_argument("--clients", type=int, default=6)
    args = ap.parse_args()
    if not shutil.which("pg_createcluster"):
        print("outage: pg_createcluster not found (Debian's postgresql-common); this probe runs on PostgreSQL only")
        return 2
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    port = free_port()
    pg("pg_dropcluster", "--stop", version, CLUSTER, check=False)
    pg("pg_createcluster", "-p", str(port), "--start", version, CLUSTER, "--", "--auth=trust")
    tmp = Path(tempfile.mkdtemp(prefix="yingshang-outage-"))
    server = None
    try:
        if not wait_ready(port):
            print("outage: the probe's cluster did not start")
            return 2
        pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "yingshang_outage")
        db = f"postgres://postgres@127.0.0.1:{port}/yingshang_outage"
        env = {**os.environ, "DATABASE_URL": db, "YINGSHANG_VAR_DIR": str(tmp), "DEBUG": "1"}
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        setup = subprocess.run([PY, "-c", (
            "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'yingshang.settings'); "
            "django.setup(); from django.contrib.auth.models import Group; "
            "from yingshang.core.models import User; from yingshang.core.tokens import token_create; "
            "from yingshang.directory.tests.factories import EnterpriseFactory; "
            "from yingshang.directory.models import EnterpriseMember; from yingshang.tickets.models import Category; "
            "e = EnterpriseFactory(); u = User.objects.create_user('outage', password='x-outage-2026'); "
            "u.groups.add(Group.objects.get(name='enterprise')); EnterpriseMember.objects.create(user=u, enterprise=e); "
            "c = Category.objects.filter(parent__isnull=False, default_department__isnull=True).first(); "
            "print(json.dumps({'token': token_create(actor=u)[1], 'uscc': e.uscc, 'category': c.pk}))")],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        conf = json.loads(setup.stdout.strip().splitlines()[-1])
        web = free_port()
        serve_env = {**env, "DEBUG": "0", "SECRET_KEY": "outage-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
                     "SINGLE_SERVER": "1", "SECURE_SSL_REDIRECT": "0", "CONN_MAX_AGE": "60"}
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen([PY, "-m", "gunicorn", "yingshang.wsgi", "-b", f"127.0.0.1:{web}", "-w", "2",
                                   "--threads", "4", "--timeout", "30", "--log-level", "error"], cwd=ROOT,
                                  env=serve_env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{web}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)

        stop = threading.Event()
        lock = threading.Lock()
        sent = {"requests": 0, "failures": 0, "codes": {}}
        created: dict[str, str] = {}   # request id → ticket number (from the 201)
        oks: list[float] = []          # when each 201 arrived

        def record(key, code, answer):
            with lock:
                sent["requests"] += 1
                sent["codes"][code] = sent["codes"].get(code, 0) + 1
                if code == 201:
                    created[key] = answer["number"]
                    oks.append(time.time())
                else:
                    sent["failures"] += 1

        def client():
            keep_registering(base, conf, "停电", "外部供电中断", stop, record, timeout=10)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for th in threads:
            th.start()
        third = args.seconds / 3
        time.sleep(third)
        pg("pg_ctlcluster", version, CLUSTER, "restart", "-m", "fast")
        restarted = time.time()
        time.sleep(third / 2)
        pg("pg_ctlcluster", version, CLUSTER, "stop", "-m", "fast")
        time.sleep(3)
        pg("pg_ctlcluster", version, CLUSTER, "start")
        started = time.time()
        time.sleep(third)
        stop.set()
        for th in threads:
            th.join(15)

        def back_after(t0):
            after = [t for t in oks if t > t0]
            return (min(after) - t0) if after else float("inf")

        recover = max(back_after(restarted), back_after(started))
        out = subprocess.run([PY, "-c", (
            "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'yingshang.settings'); "
            "django.setup(); from yingshang.tickets.models import Ticket; "
            "print(json.dumps(list(Ticket.objects.values_list('number', 'title'))))")],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        rows = json.loads(out.stdout.strip().splitlines()[-1])
        numbers = [n for n, _t in rows]
        titles = [t for _n, t in rows]
        lost = [n for n in created.values() if n not in set(numbers)]
        duplicates = len(titles) - len(set(titles))
        print(f"outage: {sent['requests']} requests ({sent['codes']}), {sent['failures']} failed and retried, "
              f"{len(created)} created, {len(lost)} lost, {duplicates} duplicated; back "
              f"{recover:.1f} s after the database came back at the latest")
        ok = not lost and not duplicates and recover <= 5 and len(created) > 0
        if not ok:
            print((tmp / "server.log").read_text()[-4000:])
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        pg("pg_dropcluster", "--stop", version, CLUSTER, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
