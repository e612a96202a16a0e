"""The ledger's searches at city scale (1,000,000 problems on PostgreSQL; `BENCH_TICKETS` to change): by an
exact number (≤ 20 ms p95) and by a keyword (≤ 150 ms p95), and the profile (一企一档) of a member of a group
(≤ 60 ms), each page against the bare SQL it runs, in the same
process, interleaved. The generated titles are a place and an ask (`demo/tickets_world.py`): 供电 is in about one
title in sixteen, 试验楼供电 in one in 160; 一汽 names the FAW group's firms."""

import re
import time

DECLARE = re.compile(r"^DECLARE \S+ (?:NO SCROLL )?CURSOR (?:WITH(?:OUT)? HOLD )?FOR (.*)$", re.S)


def _plain(sql: str) -> str:
    """A statement as the bare replay runs it: what a server-side cursor was declared for, read at once (its
    FETCH and CLOSE are then nothing to replay)."""
    m = DECLARE.match(sql)
    if m:
        return m.group(1)
    return "" if sql.startswith(("FETCH ", "CLOSE ", "MOVE ")) else sql


def run(report):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.tickets import ensure_ledger
    from yingshang.directory.models import Enterprise
    from yingshang.tickets import selectors
    from yingshang.tickets.models import Ticket

    ensure_ledger(report)
    user = get_user_model().objects.get(username="dispatcher")
    staff = Client()
    staff.force_login(user)
    number = Ticket.objects.order_by("pk").values_list("number", flat=True)[Ticket.objects.count() // 2]
    member = Enterprise.objects.filter(group__isnull=False).order_by("pk").first()
    pages = [("the profile (一企一档) of a group member", f"/directory/enterprises/{member.pk}/", "≤ 60 ms", None)]
    for name, q, budget in (("an exact number", number, "≤ 20 ms"), ("a keyword, 供电", "供电", "≤ 150 ms"),
                            ("a keyword, 试验楼供电", "试验楼供电", "≤ 150 ms"),
                            ("a keyword of firms' names, 一汽", "一汽", "≤ 150 ms"),
                            ("a keyword found nowhere, 量子计算", "量子计算", "≤ 150 ms")):
        pages.append((f"ledger searched by {name}", f"/tickets/ledger/?q={q}", budget, q))
    for name, url, budget, q in pages:
        with CaptureQueriesContext(connection) as captured:
            response = staff.get(url)
        assert response.status_code == 200
        queries = [_plain(c["sql"]) for c in captured.captured_queries]
        queries = [sql for sql in queries if sql]
        found = selectors.ledger(user, selectors.LedgerFilter(q=q)).count() if q else None

        def page(url=url):
            assert staff.get(url).status_code == 200

        def bare(queries=queries):
            with connection.cursor() as cursor:
                for sql in queries:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()

        times, bares = [], []
        for _ in range(30):  # interleaved: the machine's noise falls on both alike
            for fn, out in ((page, times), (bare, bares)):
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1000)
        for label, samples, b in ((f"{name} ({found:,} found)" if q else name, times, budget),
                                  (f"  … the bare SQL ({len(queries)} statements)", bares, "")):
            samples.sort()
            report.figure(f"{label} p50", samples[len(samples) // 2], "ms")
            report.figure(f"{label} p95", samples[int(len(samples) * 0.95) - 1], "ms", b)
