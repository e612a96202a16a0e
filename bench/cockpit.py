"""The cockpit at city scale: 1,000,000 problems, 1,000,000 credit records and 1,000 projects (PostgreSQL is the
target; SQLite runs with a tenth). Data loaded, then VACUUM ANALYZE, as production would be; each page is
measured against the bare SQL it runs, in the same process.

Budgets (issue): the cockpit page p95 ≤ 300 ms from roll-ups (not counting everything per request); the
figures API p95 ≤ 200 ms; the monthly report ≤ 30 s.
"""

import os
import time
from datetime import timedelta

SCALE = int(os.environ.get("BENCH_TICKETS", "0")) or None


def run(report):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import credit as credit_bench
    from bench import projects as projects_bench
    from yingshang.credit.models import Record
    from yingshang.dashboard import services
    from yingshang.demo import tickets_world, world
    from yingshang.directory.models import Department, Enterprise
    from yingshang.projects.models import Project
    from yingshang.tickets.models import Ticket

    pg = connection.vendor == "postgresql"
    target = SCALE or (1_000_000 if pg else 100_000)
    world.load(history=False)
    loaded = False
    missing = target - Ticket.objects.count()
    if missing > 0:
        t = time.perf_counter()
        tickets_world.add_scale(missing)
        report.figure(f"bulk insert of {missing} problems", time.perf_counter() - t, "s")
        loaded = True
    missing = target - Record.objects.count()
    if missing > 0:
        t = time.perf_counter()
        credit_bench._insert_records(missing, Enterprise, Department, Record, timezone.localdate())
        report.figure(f"bulk insert of {missing} credit records", time.perf_counter() - t, "s")
        loaded = True
    missing = projects_bench.PROJECTS - Project.objects.filter(number__startswith="BM-").count()
    if missing > 0:
        import random

        rng = random.Random(40)
        projects_bench._insert(projects_bench._graphs(rng)[:missing], rng)
        loaded = True
    if pg and loaded:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    report.figure("problems", Ticket.objects.count(), "rows")
    report.figure("credit records", Record.objects.count(), "rows")
    report.figure("projects", Project.objects.count(), "rows")

    t = time.perf_counter()
    out = services.rollup_refresh(full=True)
    report.figure(f"roll-up rebuilt whole ({out['cells written']} cells written)", time.perf_counter() - t, "s")
    t = time.perf_counter()
    out = services.rollup_refresh()
    report.figure(f"roll-up brought up to date by the sweep (62 days, {out['cells written']} cells written)",
                  time.perf_counter() - t, "s")
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE dashboard_daycell")

    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    group = Enterprise.objects.exclude(group=None).values_list("group_id", flat=True).first()
    pages = [("cockpit, this month", "/cockpit/?preset=month"), ("cockpit, this year", "/cockpit/?preset=year"),
             ("cockpit, this year, 中国一汽", f"/cockpit/?preset=year&group={group}")]
    for name, url in pages:
        assert client.get(url).status_code == 200

        def page(url=url):
            cache.clear()  # every request computes its figures (the ledger's rankings are cached otherwise)
            assert client.get(url).status_code == 200

        report.timings(f"{name}, not cached", page, repeat=20, budget="≤ 300 ms")
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = [q["sql"] for q in captured.captured_queries]

        def bare(queries=queries):
            with connection.cursor() as cursor:
                for sql in queries:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()

        report.figure(f"{name}: queries", len(queries), "")
        report.timings(f"{name} — bare SQL", bare, repeat=20)
    for name, url in (("figures API, this year", "/api/v1/cockpit/figures?preset=year"),
                      ("figures API, one figure with its months", "/api/v1/cockpit/figures/tickets.closed/"
                                                                    "?preset=year")):
        assert client.get(url).status_code == 200

        def api(url=url):
            cache.clear()
            assert client.get(url).status_code == 200

        report.timings(f"{name}, not cached", api, repeat=20, budget="≤ 200 ms")
    today = timezone.localdate()
    first = today.replace(day=1)
    last_end = first - timedelta(days=1)
    t = time.perf_counter()
    services.report_write(actor=None, kind="monthly", start=last_end.replace(day=1), end=last_end)
    report.figure("monthly report written (DOCX, XLSX, PDF)", time.perf_counter() - t, "s", "≤ 30 s")

