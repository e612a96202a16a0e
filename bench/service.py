"""万人助万企's matching: one policy against 100,000 firms (issue budget ≤ 2 s), and all policies for one firm with
500 policies in the library (p95 ≤ 50 ms) — the selectors, the pure evaluation alone, the bare SQL that reads
the firms' attributes, and the pages, in the same process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench make bench ONLY=service
"""

import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal

FIRMS = int(os.environ.get("BENCH_FIRMS", "100000"))
POLICIES = int(os.environ.get("BENCH_POLICIES", "500"))
SERIAL_BASE = 60_000_000
INDUSTRIES = ["汽车零部件及配件制造", "汽车电子装置制造", "金属制品业", "橡胶和塑料制品业", "道路货物运输", "仓储业",
              "软件和信息技术服务业", "通用设备制造业", "电池制造", "商务服务业", "餐饮业"]
SIZES = ["large", "medium", "small", "small", "micro", "micro"]


def run(report):
    from django.db import connection

    from yingshang.demo import world
    from yingshang.directory.models import Enterprise
    from yingshang.service.models import Policy

    world.load(history=False)
    missing = FIRMS - Enterprise.objects.count()
    if missing > 0:
        t = time.perf_counter()
        _insert_firms(missing)
        report.figure(f"bulk insert of {missing} firms with figures and credit classes", time.perf_counter() - t, "s")
    missing_policies = POLICIES - Policy.objects.filter(status="published").count()
    if missing_policies > 0:
        _insert_policies(missing_policies)
    if missing > 0 or missing_policies > 0:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.figure("operating firms", Enterprise.objects.filter(status="operating").count(), "")
    report.figure("policies in force", Policy.objects.filter(status="published").count(), "")
    _one_policy(report)
    _one_firm(report)


def _one_policy(report):
    from django.db import connection

    from yingshang.service import matching, selectors
    from yingshang.service.models import Policy

    rng = random.Random(7)
    policies = list(Policy.objects.filter(status="published").order_by("pk"))
    sample = rng.sample(policies, 7)
    i = iter(range(10**9))
    report.timings("one policy against every firm — selector (read + match)",
                   lambda: selectors.policy_matches(sample[next(i) % len(sample)]), repeat=14, budget="≤ 2000 ms")
    firms = selectors.firm_attributes()
    j = iter(range(10**9))
    report.timings("one policy against every firm — the match alone (attributes read)",
                   lambda: matching.filter_firms(sample[next(j) % len(sample)].conditions, firms), repeat=14)
    report.timings("the firms' attributes — selector (4 queries, dicts)", selectors.firm_attributes, repeat=7)

    def bare():
        with connection.cursor() as cursor:
            for sql in ("SELECT e.id, e.name, e.uscc, e.industry, e.size, e.registered_on, d.code, e.is_key "
                        "FROM directory_enterprise e LEFT JOIN directory_department d ON d.id = e.bureau_id "
                        "WHERE e.status = 'operating' ORDER BY e.name, e.id",
                        "SELECT enterprise_id, grade FROM credit_standing",
                        "SELECT enterprise_id FROM credit_record WHERE kind = 'tax_a' AND status = 'active'",
                        "SELECT enterprise_id, revenue, headcount, rd_expense FROM service_facts "
                        "ORDER BY enterprise_id, year"):
                cursor.execute(sql)
                cursor.fetchall()
    report.timings("the firms' attributes — bare SQL (the same 4 queries)", bare, repeat=7)
    matched = [len(selectors.policy_matches(p, firms=firms)) for p in sample]
    report.figure("firms matched by the sampled policies (median)", sorted(matched)[len(matched) // 2], "")


def _one_firm(report):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from yingshang.directory.models import Enterprise
    from yingshang.service import selectors

    rng = random.Random(11)
    ids = list(Enterprise.objects.filter(status="operating").values_list("pk", flat=True))
    firms = [Enterprise.objects.get(pk=pk) for pk in rng.sample(ids, 50)]
    i = iter(range(10**9))
    report.timings("all policies for one firm — selector (qualifies and one short)",
                   lambda: selectors.firm_policies(firms[next(i) % len(firms)]), repeat=100, budget="≤ 50 ms")

    def bare():
        f = firms[next(i) % len(firms)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, conditions FROM service_policy WHERE status = 'published' "
                           "AND effective_on <= %s AND (expires_on IS NULL OR expires_on >= %s)",
                           [date.today(), date.today()])
            cursor.fetchall()
            cursor.execute("SELECT e.id, e.industry, e.size, e.registered_on, e.is_key FROM directory_enterprise e "
                           "WHERE e.id = %s", [f.pk])
            cursor.fetchall()
    report.timings("all policies for one firm — bare SQL (policies, the firm)", bare, repeat=100)
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    client.get(f"/assist/firms/{firms[0].pk}/")  # warm-up
    report.timings("a firm's service page (officials) — page",
                   lambda: client.get(f"/assist/firms/{firms[next(i) % len(firms)].pk}/"), repeat=60)
    member = Client()
    member.force_login(get_user_model().objects.get(username="faw_rd"))
    member.get("/assist/for-you/")
    report.timings("policies for you (the firm) — page", lambda: member.get("/assist/for-you/"), repeat=60)


def _insert_firms(n: int) -> None:
    """Operating firms across the bureaus, with 2025 figures for most and a credit class for most."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from yingshang.core.uscc import make_uscc
    from yingshang.credit.models import RuleSet, Standing
    from yingshang.directory.models import Department, Enterprise
    from yingshang.service.models import Facts

    rng = random.Random(3)
    bureaus = list(Department.objects.filter(kind="bureau"))
    admin = get_user_model().objects.get(username="admin")
    ruleset = RuleSet.objects.filter(status="active").first()
    start = Enterprise.objects.filter(uscc__startswith="9122017").count()
    today = date.today()
    batch = 5000
    for offset in range(0, n, batch):
        rows = []
        for k in range(offset, min(n, offset + batch)):
            serial = SERIAL_BASE + start + k
            rows.append(Enterprise(
                name=f"长春市基准测试企业{serial}有限公司", uscc=make_uscc("220173", serial),
                industry=rng.choice(INDUSTRIES), size=rng.choice(SIZES), bureau=rng.choice(bureaus),
                registered_on=today - timedelta(days=rng.randrange(30, 30 * 365)), is_key=rng.random() < 0.05))
        with transaction.atomic():
            made = Enterprise.objects.bulk_create(rows)
            facts, standings = [], []
            for e in made:
                if rng.random() < 0.8:
                    revenue = Decimal(rng.randrange(10**6, 10**9))
                    facts.append(Facts(enterprise=e, year=2025, revenue=revenue, headcount=rng.randrange(3, 3000),
                                       rd_expense=(revenue * Decimal(rng.choice([0, 1, 2, 3, 4, 6])) / 100)
                                       .quantize(Decimal(1)), entered_by=admin))
                if ruleset and rng.random() < 0.9:
                    grade = rng.choices("ABCD", weights=[20, 60, 15, 5])[0]
                    standings.append(Standing(enterprise=e, score={"A": 115, "B": 95, "C": 75, "D": 50}[grade],
                                              grade=grade, ruleset=ruleset, since=today, computed_on=today))
            Facts.objects.bulk_create(facts)
            Standing.objects.bulk_create(standings)


def _insert_policies(n: int) -> None:
    from django.contrib.auth import get_user_model

    from yingshang.directory.models import Department
    from yingshang.service import matching
    from yingshang.service.models import Policy

    rng = random.Random(13)
    dept = Department.objects.filter(kind="department").first()
    admin = get_user_model().objects.get(username="admin")
    bureaus = list(Department.objects.filter(kind="bureau").values_list("code", flat=True))
    leaves = [lambda: {"attr": "size", "op": "in", "value": rng.sample(["large", "medium", "small", "micro"], 2)},
              lambda: {"attr": "industry", "op": "contains", "value": [rng.choice(["汽车", "电子", "软件", "运输"])]},
              lambda: {"attr": "revenue", "op": "gte", "value": str(rng.choice([10**6, 10**7, 5 * 10**7]))},
              lambda: {"attr": "headcount", "op": "gte", "value": rng.choice([10, 50, 100])},
              lambda: {"attr": "rd_share", "op": "gte", "value": rng.choice(["2", "3", "5"])},
              lambda: {"attr": "age_years", "op": "gte", "value": rng.choice([1, 3, 5])},
              lambda: {"attr": "bureau", "op": "in", "value": rng.sample(bureaus, 2)},
              lambda: {"not": {"attr": "credit_grade", "op": "in", "value": ["D"]}},
              lambda: {"any": [{"attr": "key", "op": "is", "value": True},
                               {"attr": "tax_a", "op": "is", "value": True}]}]
    rows = []
    for k in range(n):
        cond = matching.normalise({"all": [rng.choice(leaves)() for _ in range(rng.randrange(1, 5))]})
        rows.append(Policy(title=f"基准测试政策 {k + 1}", issuer="长春汽车经济技术开发区管委会",
                           effective_on=date(2026, 1, 1), benefit="补助", amount=Decimal(100000),
                           paying_department=dept, conditions=cond, status="published", created_by=admin))
    Policy.objects.bulk_create(rows)
