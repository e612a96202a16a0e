"""The services catalogue: the public guide's search with 10,000 items (issue budget: p95 ≤ 50 ms), and a
department's application inbox with 1,000,000 applications (p95 ≤ 100 ms; 100,000 on SQLite), each page
against the bare SQL it runs, in the same process.
"""

import os
import random
import time

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "0")) or None  # 1,000,000 on PostgreSQL, 100,000 on SQLite
WORDS = ["供水", "排水", "食品", "危险化学品", "建设工程", "施工", "规划", "环境影响", "道路运输", "特种设备", "消防", "社会保险",
         "公积金", "发票", "公章", "登记", "注销", "备案", "许可", "核发", "延续", "变更"]


def run(report):
    from django.db import connection
    from django.test import Client

    from yingshang.catalog import selectors
    from yingshang.catalog.models import Item
    from yingshang.demo import world

    world.load(history=False)
    missing = ITEMS - Item.objects.count()
    if missing > 0:
        t = time.perf_counter()
        _insert(missing)
        report.figure(f"bulk insert of {missing} items (one version each)", time.perf_counter() - t, "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.figure("items in the catalogue", Item.objects.count(), "")

    client = Client()
    rng = random.Random(5)
    departments = [pk for pk, _name in selectors.guide_departments()]  # those the filter offers

    def page(query):
        def go():
            r = client.get(f"/public/guide/?{query()}")
            assert r.status_code == 200, r.status_code
        return go

    word = lambda: {"q": rng.choice(WORDS)}  # noqa: E731
    dept = lambda: {"department": rng.choice(departments)}  # noqa: E731
    life = lambda: {"life_event": rng.choice(["start", "build", "change", "close"])}  # noqa: E731
    client.get("/public/guide/")  # warm-up
    for name, kw, query in (
            ("guide: first page, no filter", lambda: {}, lambda: ""),
            ("guide: a word of the name", word, lambda: f"q={rng.choice(WORDS)}"),
            ("guide: one department", dept, lambda: f"department={rng.choice(departments)}"),
            ("guide: a life event", life, lambda: f"life_event={rng.choice(['start', 'build', 'change', 'close'])}")):
        report.timings(f"{name} — page", page(query), repeat=60, budget="≤ 50 ms")
        report.timings(f"{name} — bare SQL", _bare(selectors, kw), repeat=60)
    item = Item.objects.order_by("?").first()
    report.timings("an item's guide — page", lambda: client.get(f"/public/guide/{item.code}/"), repeat=60)
    _inbox(report)


def _inbox(report):
    """A department's inbox: the market department's clerk, each tab, with a year's worth of the zone's
    applications at city scale (97 % finished, the rest open, a few overdue)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from yingshang.catalog import selectors
    from yingshang.catalog.models import Application

    target = APPLICATIONS or (1_000_000 if connection.vendor == "postgresql" else 100_000)
    missing = target - Application.objects.count()
    if missing > 0:
        t = time.perf_counter()
        _insert_applications(missing)
        report.figure(f"bulk insert of {missing} applications", time.perf_counter() - t, "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.figure("applications", Application.objects.count(), "rows")
    clerk = get_user_model().objects.get(username="h_market")
    report.figure("of them the market department's", Application.objects.filter(
        department=clerk.staff_profile.department_id).count(), "rows")
    client = Client()
    client.force_login(clerk)
    client.get("/services/inbox/")  # warm-up: session, roles, calendar
    for tab in ("todo", "review", "late", "all"):
        def page(tab=tab):
            r = client.get(f"/services/inbox/?tab={tab}")
            assert r.status_code == 200, r.status_code

        def bare(tab=tab):
            qs = selectors.application_rows(selectors.inbox(clerk, tab=tab))
            qs.count()
            list(qs[:30])
            selectors.inbox_counts(clerk)

        report.timings(f"inbox, tab {tab} — page", page, repeat=40, budget="≤ 100 ms")
        report.timings(f"inbox, tab {tab} — bare SQL", bare, repeat=40)


def _insert_applications(n):
    """Applications straight into the table (no events: the inbox reads none), spread over the items and the
    firms, over a year."""
    from datetime import timedelta

    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from yingshang.catalog.models import Application, ItemVersion
    from yingshang.directory.models import Enterprise

    rng = random.Random(1000000)
    versions = list(ItemVersion.objects.filter(item__current=F("pk")).values_list(
        "pk", "item_id", "department_id", "committed_limit"))
    firms = list(Enterprise.objects.values_list("pk", flat=True))
    now = timezone.now()
    start = Application.objects.count()
    with transaction.atomic():
        for chunk in range(0, n, 20_000):
            rows = []
            for i in range(chunk, min(n, chunk + 20_000)):
                v, item, dept, limit = rng.choice(versions)
                created = now - timedelta(minutes=rng.randrange(0, 525_600))
                roll = rng.random()
                status = "delivered" if roll < 0.97 else "submitted" if roll < 0.98 else "review"
                accepted = created + timedelta(hours=1) if status != "submitted" else None
                due = accepted + timedelta(days=max(1, limit) * 1.4) if accepted else None
                rows.append(Application(
                    number=f"BB-{start + i:09d}", version_id=v, item_id=item, department_id=dept,
                    enterprise_id=rng.choice(firms), status=status, created_at=created, accepted_at=accepted,
                    due_at=due, statutory_due_at=due, decided_at=due - timedelta(hours=5)
                    if status == "delivered" and due else None, channel="online"))
            Application.objects.bulk_create(rows, batch_size=5000)


def _bare(selectors, kw):
    def go():
        qs = selectors.guide_search(**kw())
        qs.count()
        list(qs[:30])
    return go


def _insert(n):
    from django.db import transaction
    from django.db.models import OuterRef

    from yingshang.catalog.models import Item, ItemType, ItemVersion
    from yingshang.directory.models import Department

    rng = random.Random(2026)
    types = list(ItemType.objects.all())
    departments = list(Department.objects.exclude(kind="bureau"))
    start = Item.objects.count()
    with transaction.atomic():
        for chunk in range(0, n, 2000):
            size = min(2000, n - chunk)
            items = Item.objects.bulk_create([Item(code=f"BENCH{start + chunk + i:08d}", basic_code=f"B{chunk + i:08d}")
                                              for i in range(size)])
            versions = []
            for it in items:
                statutory = rng.choice([5, 10, 15, 20, 30, 60])
                versions.append(ItemVersion(
                    item=it, version=1, name=f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(['审批', '许可', '登记', '服务'])}",
                    type=rng.choice(types), department=rng.choice(departments), kind="committed",
                    statutory_limit=statutory, committed_limit=max(1, statutory // 3), visits=rng.choice([0, 0, 0, 1]),
                    visit_reason="现场核验", online=True, online_depth=rng.choice([3, 4]),
                    life_events=[rng.choice(["start", "build", "change", "close"])]))
            for v in versions:
                if v.visits:
                    v.online_depth = 3
            ItemVersion.objects.bulk_create(versions)
            for it, v in zip(items, versions):
                it.search_text = f"{v.name} {it.code} {it.basic_code}".lower()
            Item.objects.bulk_update(items, ["search_text"], batch_size=1000)
            Item.objects.filter(pk__in=[it.pk for it in items]).update(
                current=ItemVersion.objects.filter(item=OuterRef("pk")).values("pk")[:1])
