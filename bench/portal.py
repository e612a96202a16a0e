"""The public portal's pages (issue budget p95 ≤ 50 ms) and the daily publication of the open datasets, against
the demo world (and whatever else the benchmark database holds), in the same process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_chain make bench ONLY=portal
"""

import time


def run(report):
    from django.test import Client

    from yingshang.demo import world
    from yingshang.directory.models import Enterprise
    from yingshang.portal import services
    from yingshang.service.models import Policy
    from yingshang.tickets.models import Ticket

    world.load(history=False)
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
    t = time.perf_counter()
    counts = services.datasets_publish()
    report.figure("the daily open datasets — publish all (files and catalogue)", time.perf_counter() - t, "s",
                  budget="≤ 60 s at 1 M problems")
    report.figure("rows published", sum(counts.values()), "")
