#!/usr/bin/env python3
"""The cluster test (``make cluster-test``): the platform as a city runs it, on loopback — nginx (Debian's package)
in front of two gunicorn application servers that share one PostgreSQL database, one Redis (cache, roles, the
job broker), one S3-compatible object storage (moto's server) and one Celery worker; each server has a
``var/`` folder of its own, so nothing is shared by accident.

Under a bounded load of registrations (the API, retried with the same ``Idempotency-Key``) and page reads (a
session logged in through nginx, served by either server), the sweep runs from both servers at once, twice:
first each server runs it itself, then each asks for it as jobs (``--as-jobs``: one job per sweep for both, run
by the worker).
Then: a file uploaded through one server is downloaded through the other (a signed redirect to the storage);
a role removed on one server is refused on the other within a second; every created problem is in the
database once; every supervision notice and its event are written once, and each message is sent once (by the
worker, or by a sweep that found it due first); no job is left waiting or failed. Exit 1 otherwise.

    .venv/bin/python tools/cluster.py [--seconds 20] [--clients 4]

``DATABASE_URL`` names the PostgreSQL server to use (default postgres://postgres@127.0.0.1:5432/); the test
creates and drops a database ``yingshang_cluster`` on it.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from probe_client import keep_registering

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = "yingshang_cluster"
BUCKET = "yingshang-cluster"
PASSWORD = "cluster-Pass-2026"

SETUP = r"""
import json, os
from datetime import timedelta
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
django.setup()
from django.contrib.auth.models import Group
from django.utils import timezone
from yingshang.core.models import User
from yingshang.core.services import notification_preferences_set
from yingshang.core.tokens import token_create
from yingshang.directory.models import EnterpriseMember, StaffProfile
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory
from yingshang.tickets.models import Category
from yingshang.tickets.services import ticket_dispatch, ticket_register

PASSWORD = %(password)r

def person(name, role, dept=None, firm=None):
    u = User.objects.create_user(name, password=PASSWORD, first_name=name)
    u.groups.add(Group.objects.get(name=role))
    if dept is not None:
        StaffProfile.objects.create(user=u, department=dept, phone="139" + str(10000000 + u.pk))
    if firm is not None:
        EnterpriseMember.objects.create(user=u, enterprise=firm)
    return u

firm, dept = EnterpriseFactory(), DepartmentFactory()
member = person("firm", "enterprise", firm=firm)
dispatcher = person("dispatcher", "dispatcher", dept=DepartmentFactory())
head = person("head", "dept_head", dept=dept)
ops = person("ops", "admin", dept=DepartmentFactory())
notification_preferences_set(actor=head, choices={k: {"mode": "instant", "channels": ["sms"]}
                                                  for k in ("work", "escalation", "update")})
category = Category.objects.filter(parent__isnull=False, default_department__isnull=True).first()
past = timezone.now() - timedelta(days=20)
for i in range(%(overdue)d):
    t = ticket_register(actor=member, enterprise=firm, category=category, title=f"逾期 {i}", description="d", at=past)
    ticket_dispatch(actor=dispatcher, ticket=t, lead_department=dept, at=past)
print(json.dumps({"token": token_create(actor=member)[1], "uscc": firm.uscc, "category": category.pk,
                  "firm": firm.pk, "ops": ops.pk}))
"""

REPORT = r"""
import json, os
from collections import Counter
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
django.setup()
from yingshang.core import hooks, sweeps
from yingshang.core.models import Delivery, Job
from yingshang.tickets.models import SupervisionNotice, Ticket, TicketEvent
notices = list(SupervisionNotice.objects.values_list("ticket_id", "kind", "due_at", "level"))
events = TicketEvent.objects.filter(action__in=["tickets.ticket.overdue", "tickets.ticket.escalated",
                                                "tickets.ticket.warned"]).count()
print(json.dumps({
    "tickets": list(Ticket.objects.values_list("number", "title")),
    "notices": len(notices), "distinct_notices": len(set(notices)), "notice_events": events,
    "deliveries": dict(Counter(Delivery.objects.values_list("status", flat=True))),
    "jobs": dict(Counter(Job.objects.values_list("state", flat=True))),
    "sweep_jobs": Job.objects.filter(name=sweeps.JOB).count(),
    "sweep_slots": len({k.split("@", 1)[1] for k in Job.objects.filter(name=sweeps.JOB).values_list("key", flat=True)}),
    "sweeps": len([name for name, _fn in hooks.sweeps() if name not in sweeps.HERE]),
}, default=str))
"""

REMOVE_ROLE = r"""
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
django.setup()
from django.contrib.auth.models import Group
from yingshang.core.models import User
User.objects.get(pk=int(sys.argv[1])).groups.remove(Group.objects.get(name="admin"))
"""

NGINX = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    log_format upstream '$upstream_addr $status';
    access_log {tmp}/nginx-access.log upstream;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    client_max_body_size 50m;
    upstream yingshang {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://yingshang;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream off;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"cluster: {url} did not answer in {seconds:.0f} s")


def wait_port(port: int, seconds: float = 30) -> None:
    end = time.time() + seconds
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"cluster: nothing listens on port {port} after {seconds:.0f} s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's session: cookies kept, CSRF token sent back, redirects not followed."""

    def __init__(self, base: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def at(self, base: str) -> "Browser":
        other = Browser(base)
        other.jar = self.jar
        other.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        return other

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {},
                                     method="POST" if data is not None else "GET")
        try:
            with self.opener.open(req, timeout=15) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)
        except OSError as exc:  # refused, reset or timed out: counted as a wrong answer
            return 0, str(exc).encode(), {}

    def csrf(self, path: str) -> str:
        code, body, _h = self.request(path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not found:
            raise SystemExit(f"cluster: no form on {self.base}{path} ({code}): {body[:300]!r}")
        return found.group(1).decode()

    def login(self, username: str) -> None:
        token = self.csrf("/accounts/login/")
        code, _b, headers = self.request("/accounts/login/", urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        if code != 302:
            raise SystemExit(f"cluster: {username} could not log in ({code})")

    def post_multipart(self, path: str, fields: dict, files: dict) -> tuple[int, bytes, dict]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs)


def main() -> int:  # noqa: C901 — one scenario, read top to bottom
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=20, help="length of the load (default 20)")
    ap.add_argument("--clients", type=int, default=4, help="registering clients (as many read pages)")
    ap.add_argument("--overdue", type=int, default=25, help="overdue problems for the sweep to supervise")
    args = ap.parse_args()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    redis_server = shutil.which("redis-server")
    if not nginx or not redis_server:
        print("cluster: needs nginx and redis-server (Debian's packages: make cluster-test installs them as root)")
        return 2
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    parts = urllib.parse.urlsplit(server_url)
    if not parts.scheme.startswith("postgres"):
        print("cluster: DATABASE_URL must name a PostgreSQL server")
        return 2
    db = urllib.parse.urlunsplit(parts._replace(path=f"/{DB_NAME}"))
    psql = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U",
            parts.username or "postgres", "-d", "postgres", "-qc"]
    tmp = Path(tempfile.mkdtemp(prefix="yingshang-cluster-"))
    procs: dict[str, subprocess.Popen] = {}
    logs = {}

    def start(name, cmd, env):
        logs[name] = (tmp / f"{name}.log").open("w")
        procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)

    try:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"], check=True)
        subprocess.run([*psql, f"CREATE DATABASE {DB_NAME}"], check=True)
        redis_port, s3_port, port_a, port_b, port_n = (free_port() for _ in range(5))
        start("redis", [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no"], os.environ.copy())
        start("s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)], os.environ.copy())
        wait_port(redis_port)
        wait_http(f"http://127.0.0.1:{s3_port}/")
        import boto3

        boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", region_name="us-east-1",
                     aws_access_key_id="cluster", aws_secret_access_key="cluster").create_bucket(Bucket=BUCKET)

        common = {**os.environ, "DATABASE_URL": db, "DEBUG": "0", "SECRET_KEY": "cluster-only-" + "k" * 50,
                  "ALLOWED_HOSTS": "127.0.0.1,localhost", "SINGLE_SERVER": "0", "SECURE_SSL_REDIRECT": "0",
                  "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "PROXY_COUNT": "1",
                  "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                  "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/1",
                  "STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT": f"http://127.0.0.1:{s3_port}",
                  "STORAGE_S3_REGION": "us-east-1", "STORAGE_S3_ACCESS_KEY": "cluster",
                  "STORAGE_S3_SECRET_KEY": "cluster", "LOG_FORMAT": "plain", "CONN_MAX_AGE": "0",
                  "DB_POOL_MAX": "4", "SITE_URL": f"http://127.0.0.1:{port_n}", "STATIC_ROOT": str(tmp / "static")}
        common.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env = {name: {**common, "YINGSHANG_VAR_DIR": str(tmp / f"var-{name}")} for name in ("a", "b", "worker")}
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env["a"])
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env["a"])
        conf = json.loads(run([PY, "-c", SETUP % {"password": PASSWORD, "overdue": args.overdue}],
                              env["a"]).stdout.strip().splitlines()[-1])

        for name, port in (("a", port_a), ("b", port_b)):
            start(f"server-{name}", [PY, "-m", "gunicorn", "yingshang.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                                     "--threads", "4", "--timeout", "30"], env[name])
        start("worker", [PY, "-m", "celery", "-A", "yingshang", "worker", "-c", "2", "-l", "warning",
                         "--without-gossip", "--without-mingle"], env["worker"])
        for d in ("nginx-body", "nginx-proxy", "nginx-fastcgi", "nginx-uwsgi", "nginx-scgi"):
            (tmp / d).mkdir()
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(NGINX.format(tmp=tmp, a=port_a, b=port_b, port=port_n, user=user))
        start("nginx", [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"], common)
        a, b, lb = (f"http://127.0.0.1:{p}" for p in (port_a, port_b, port_n))
        for url in (a, b, lb):
            wait_http(f"{url}/healthz")

        # --- the load through nginx, with the sweep from both servers at once ------------------------------
        stop = threading.Event()
        lock = threading.Lock()
        tally = {"requests": 0, "retried": 0, "pages": 0, "page_errors": 0}
        created: dict[str, str] = {}

        def record(key, code, answer):
            with lock:
                tally["requests"] += 1
                if code == 201:
                    created[key] = answer["number"]
                else:
                    tally["retried"] += 1

        def registering():
            keep_registering(lb, conf, "断水", "园区供水中断", stop, record)

        def reading():
            person = Browser(lb)
            try:
                person.login("dispatcher")
            except SystemExit as exc:
                print(exc)
                with lock:
                    tally["page_errors"] += 1
                return
            while not stop.is_set():
                code, body, _h = person.request("/tickets/ledger/")
                with lock:
                    tally["pages"] += 1
                    if code != 200 or "断水".encode() not in body and "逾期".encode() not in body:
                        tally["page_errors"] += 1
                        tally.setdefault("wrong", f"{code} {body[:200]!r}")

        threads = [threading.Thread(target=registering, daemon=True) for _ in range(args.clients)]
        threads += [threading.Thread(target=reading, daemon=True) for _ in range(args.clients)]
        for th in threads:
            th.start()
        sweeps = []
        for command in (["sweep"], ["sweep", "--as-jobs"]):  # run here, then asked of the worker (once)
            time.sleep(args.seconds / 3)
            pair = [subprocess.Popen([PY, "manage.py", *command], cwd=ROOT, env=env[n], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True) for n in ("a", "b")]
            sweeps += [p.communicate(timeout=300)[0] for p in pair]
            if any(p.returncode for p in pair):
                print("cluster: a sweep failed:\n" + "\n".join(sweeps))
                return 1
        time.sleep(args.seconds / 3)
        stop.set()
        for th in threads:
            th.join(20)
        problems = []

        # --- a file uploaded through one server, downloaded through the other --------------------------------
        firm_a = Browser(a)
        firm_a.login("firm")
        content = b"%PDF-1.4 cluster " + uuid.uuid4().hex.encode()
        token = firm_a.csrf("/tickets/new/")
        code, _b, headers = firm_a.post_multipart("/tickets/new/", {
            "csrfmiddlewaretoken": token, "enterprise": conf["firm"], "category": conf["category"],
            "title": "附件跨服务器", "description": "上传于 A", "urgency": "normal"}, {"attachments": ("证明.pdf", content)})
        if code != 302:
            problems.append(f"upload through server A answered {code}")
        else:
            firm_b = firm_a.at(b)
            _c, page, _h = firm_b.request(headers["Location"])
            found = re.search(rb'href="(/tickets/attachments/\d+/)"', page)
            code, _body, got = firm_b.request(found.group(1).decode()) if found else (0, b"", {})
            if code != 302:
                problems.append(f"download through server B answered {code}, not a redirect to the storage")
            else:
                with urllib.request.urlopen(got["Location"], timeout=10) as r:
                    if r.read() != content:
                        problems.append("the file downloaded through server B is not the one uploaded through A")

        # --- a role removed on one server is refused on the other within a second ----------------------------
        ops_b = Browser(b)
        ops_b.login("ops")
        before = [ops_b.request("/jobs/")[0] for _ in range(3)]
        if before != [200, 200, 200]:
            problems.append(f"the administrator's page answered {before} on server B before the change")
        run([PY, "-c", REMOVE_ROLE, str(conf["ops"])], env["a"])
        removed = time.time()
        refused_after = None
        while time.time() - removed < 5:
            if ops_b.request("/jobs/")[0] in (403, 404):
                refused_after = time.time() - removed
                break
            time.sleep(0.05)
        if refused_after is None or refused_after > 1:
            problems.append(f"server B still served the removed role after {time.time() - removed:.2f} s")

        # --- what the database holds -------------------------------------------------------------------------
        deadline = time.time() + 20
        while True:
            report = json.loads(run([PY, "-c", REPORT], env["a"]).stdout.strip().splitlines()[-1])
            waiting = report["jobs"].get("pending", 0) + report["jobs"].get("running", 0)
            if not waiting or time.time() > deadline:
                break
            time.sleep(0.5)
        served = {}
        for line in (tmp / "nginx-access.log").read_text().splitlines():
            served[line.split()[0]] = served.get(line.split()[0], 0) + 1
        numbers = [n for n, _t in report["tickets"]]
        titles = [t for _n, t in report["tickets"]]
        lost = [n for n in created.values() if n not in set(numbers)]
        duplicated = len(titles) - len(set(titles))
        # each message is written once: by the worker (the job) or by a sweep that found it due first
        written = {n: (tmp / f"var-{n}" / "notify-sms.log") for n in ("worker", "a", "b")}
        written = {n: (f.read_text().splitlines() if f.exists() else []) for n, f in written.items()}
        sent_lines = [line for lines in written.values() for line in lines]
        sent = report["deliveries"].get("sent", 0)
        print(f"cluster: {tally['requests']} registrations ({tally['retried']} retried), {len(created)} created, "
              f"{len(lost)} lost, {duplicated} duplicated; {tally['pages']} ledger pages "
              f"({tally['page_errors']} wrong); nginx passed {sorted(served.values())} requests to the two servers; sweeps from both servers twice: {report['notices']} notices "
              f"({report['notices'] - report['distinct_notices']} twice), {report['notice_events']} events; "
              f"deliveries {report['deliveries']}, {len(sent_lines)} messages written ({len(written['worker'])} by "
              f"the worker, {len(written['a']) + len(written['b'])} by the sweeps); jobs "
              f"{report['jobs']} ({report['sweep_jobs']} sweeps asked for by both); role refused on the other server after "
              f"{'—' if refused_after is None else f'{refused_after * 1000:.0f} ms'}")
        if lost or duplicated or not created:
            problems.append(f"{len(lost)} created problems lost, {duplicated} duplicated, {len(created)} created")
        if tally["page_errors"] or not tally["pages"]:
            problems.append(f"{tally['page_errors']} of {tally['pages']} ledger pages were wrong: {tally.get('wrong')}")
        if len(served) != 2 or min(served.values()) < tally["requests"] / 4:
            problems.append(f"nginx did not share the load between the two servers: {served}")
        if report["notices"] != report["distinct_notices"] or report["notices"] != report["notice_events"] \
                or report["notices"] < args.overdue:
            problems.append("the supervision notices and their events do not match one for one")
        if report["jobs"].get("pending") or report["jobs"].get("running") or report["jobs"].get("failed") \
                or not report["jobs"].get("done"):
            problems.append(f"jobs left: {report['jobs']}")
        if not report["sweep_slots"] or report["sweep_jobs"] != report["sweeps"] * report["sweep_slots"]:
            problems.append(f"the sweeps asked for by both servers: {report['sweep_jobs']} jobs for "
                            f"{report['sweeps']} sweeps in {report['sweep_slots']} slots")
        if sent < args.overdue or len(sent_lines) != sent or report["deliveries"].get("pending") \
                or report["deliveries"].get("failed"):
            problems.append(f"{sent} deliveries marked sent, {len(sent_lines)} messages written")
        for problem in problems:
            print(f"cluster: FAILED — {problem}")
        if problems:
            for name in ("server-a", "server-b", "worker", "nginx"):
                logs[name].flush()
                print(f"--- {name} ---\n" + (tmp / f"{name}.log").read_text()[-3000:])
            return 1
        print("cluster: passed")
        return 0
    finally:
        for name, p in reversed(procs.items()):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs.values():
            f.close()
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
