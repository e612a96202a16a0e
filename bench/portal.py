"""The public portal's pages (budget p95 ≤ 50 ms), Open311's ``GET requests.json`` of 1,000 requests (≤ 200 ms)
and the daily publication of the open datasets (≤ 60 s at 1,000,000 problems and 100,000 firms), in one process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_portal make bench ONLY=portal

On PostgreSQL the database is first filled to ``BENCH_FIRMS`` firms (100,000) and ``BENCH_TICKETS`` problems
(1,000,000), then ``VACUUM ANALYZE``d, as production would be; on SQLite it stays at the demo's size.
"""

import os
import time

FIRMS = int(os.environ.get("BENCH_FIRMS", "100000"))
TICKETS = int(os.environ.get("BENCH_TICKETS", "1000000"))


def _scale(report):
    from django.db import connection

    from yingshang.demo import tickets_world, world
    from yingshang.directory.models import Enterprise
    from yingshang.tickets.models import Ticket

    if connection.vendor != "postgresql":
        return
    grew = False
    if (missing := FIRMS - Enterprise.objects.count()) > 0:
        t = time.perf_counter()
        world.add_scale(missing)
        report.figure(f"bulk insert of {missing} firms", time.perf_counter() - t, "s")
        grew = True
    if (missing := TICKETS - Ticket.objects.count()) > 0:
        t = time.perf_counter()
        tickets_world.add_scale(missing)
        report.figure(f"bulk insert of {missing} problems", time.perf_counter() - t, "s")
        grew = True
    if grew:
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.connection.autocommit = old


def _open311(report, client):
    """1,000 problems filed by one integrator (its records bulk-inserted beside existing tickets)."""
    from django.utils import timezone

    from yingshang.demo.interop_world import DEMO_OPEN311_KEY
    from yingshang.interop.models import ExternalRequest, Integrator
    from yingshang.tickets.models import Ticket

    integrator = Integrator.objects.get(key_hash__isnull=False, name__contains="营商环境App")
    have = ExternalRequest.objects.filter(integrator=integrator).count()
    if have < 1000:
        since = timezone.now() - timezone.timedelta(days=80)
        taken = ExternalRequest.objects.values_list("ticket_id", flat=True)
        ids = list(Ticket.objects.filter(created_at__gte=since).exclude(pk__in=taken)
                   .order_by("-created_at").values_list("pk", flat=True)[:1000 - have])
        ExternalRequest.objects.bulk_create([ExternalRequest(integrator=integrator, ticket_id=pk,
                                                             address_string="长春汽开区", created_at=timezone.now())
                                             for pk in ids])
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE interop_externalrequest")
    n = ExternalRequest.objects.filter(integrator=integrator).count()
    report.figure("Open311 requests of the integrator", n, "")
    url = f"/open311/v2/requests.json?api_key={DEMO_OPEN311_KEY}"
    client.get(url)
    report.timings(f"Open311 GET requests.json ({n} requests, JSON)", lambda: client.get(url), repeat=20,
                   budget="≤ 200 ms")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]

    def bare():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    report.timings(f"Open311 GET requests.json — bare SQL ({len(statements)} statements)", bare, repeat=20)
    report.timings(f"Open311 GET requests.xml ({n} requests, XML)",
                   lambda: client.get(url.replace(".json", ".xml")), repeat=20, budget="≤ 200 ms")


def run(report):
    from django.test import Client

    from yingshang.demo import world
    from yingshang.directory.models import Enterprise
    from yingshang.portal import services
    from yingshang.service.models import Policy
    from yingshang.tickets.models import Ticket

    world.load(history=False)
    _scale(report)
    report.figure("firms", Enterprise.objects.count(), "")
    report.figure("problems in the ledger", Ticket.objects.count(), "")
    client = Client()
    code = Enterprise.objects.get(name="吉林玲珑轮胎有限公司").uscc
    policy = Policy.objects.filter(status="published").first()
    pages = [("the front page", "/public/"), ("policies in force", "/public/policies/"),
             ("policies, self-check by credit code", f"/public/policies/?uscc={code}"),
             ("one policy, self-check", f"/public/policies/{policy.pk}/?uscc={code}"),
             ("service figures (this year)", "/public/figures/"), ("open data page", "/public/data/"),
             ("service guide", "/public/guide/"), ("credit search", "/public/credit/?q=长春")]
    for name, url in pages:
        client.get(url)  # warm-up
        report.timings(f"{name} — page", lambda url=url: client.get(url), repeat=30, budget="p95 ≤ 50 ms")
    _open311(report, client)
    from django.core.cache import cache

    from yingshang.tickets.services import statistics_refresh

    t = time.perf_counter()
    statistics_refresh()  # as the sweep keeps it: the service figures are read from it
    report.figure("statistics roll-up rebuilt (the sweep's, before publishing)", time.perf_counter() - t, "s")
    cache.clear()  # nothing computed by the pages above is reused
    t = time.perf_counter()
    counts = services.datasets_publish()
    report.figure("the daily open datasets — publish all (files and catalogue)", time.perf_counter() - t, "s",
                  budget="≤ 60 s at 1 M problems and 100 k firms")
    report.figure("rows published", sum(counts.values()), "")
