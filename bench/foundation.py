"""Foundation: the working calendar and the enterprise directory at city scale."""

import random
from datetime import date, timedelta

FIRMS = 100_000


def run(report):
    from django.test import Client

    from yingshang.core import workdays
    from yingshang.demo import world
    from yingshang.directory.models import Enterprise

    # -- working calendar ----------------------------------------------------------
    cal = workdays.get_calendar()
    rng = random.Random(1)
    days = [date(2010, 1, 1) + timedelta(days=rng.randrange(0, 6000)) for _ in range(200_000)]
    import time

    t = time.perf_counter()
    for d in days:
        cal.add_workdays(d, 10)
    report.figure("add_workdays(d, 10), per call", (time.perf_counter() - t) / len(days) * 1e6, "µs")
    t = time.perf_counter()
    for d in days:
        cal.workdays_between(d, d + timedelta(days=90))
    report.figure("workdays_between(a, a + 90 days), per call", (time.perf_counter() - t) / len(days) * 1e6, "µs")
    t = time.perf_counter()
    workdays.invalidate()
    workdays.get_calendar()
    report.figure("building the calendar from the database", (time.perf_counter() - t) * 1000, "ms")

    # -- directory at scale -----------------------------------------------------------
    world.load()
    missing = FIRMS - Enterprise.objects.count()
    if missing > 0:
        t = time.perf_counter()
        world.add_scale(missing)
        report.figure(f"demo --scale {missing} (bulk insert)", time.perf_counter() - t, "s")
    report.figure("enterprises in the directory", Enterprise.objects.count(), "rows")
    client = Client()
    client.force_login(_user("dispatcher"))
    bureau = Enterprise.objects.filter(bureau__isnull=False).values_list("bureau", flat=True).first()
    report.timings("enterprise list, first page", lambda: client.get("/directory/enterprises/"), repeat=30)
    report.timings("enterprise list, keyword search", lambda: client.get("/directory/enterprises/?q=零部件"), repeat=30)
    report.timings("enterprise list, bureau + key filter",
                   lambda: client.get(f"/directory/enterprises/?bureau={bureau}&key=on"), repeat=30)
    report.timings("profile page (一企一档)", lambda: client.get(f"/directory/enterprises/{bureau}/"), repeat=30)
    report.timings("API enterprises by credit code",
                   lambda: client.get(f"/api/v1/enterprises/?uscc={Enterprise.objects.last().uscc}"), repeat=30)
    t = time.perf_counter()
    response = client.get("/directory/enterprises/?export=csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    report.figure(f"CSV export of all {Enterprise.objects.count()} firms", time.perf_counter() - t, "s")
    report.figure("CSV export size", size / 1e6, "MB")


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
