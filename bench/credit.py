"""Credit at city scale: 100,000 firms with 1,000,000 records (PostgreSQL is the target).

Budgets (issue): rescoring 100,000 firms with 1,000,000 records ≤ 30 s; the measures API p95 ≤ 30 ms.
"""

import os
import random
import time
from datetime import timedelta

FIRMS = int(os.environ.get("BENCH_FIRMS", "100000"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "0")) or None  # default: 1,000,000 on PostgreSQL, 100,000 on SQLite
KINDS = [("penalty", "minor", 30), ("penalty", "general", 15), ("penalty", "serious", 3), ("inspection", "minor", 15),
         ("inspection", "general", 8), ("abnormal", "general", 4), ("serious_dishonest", "general", 1),
         ("judgment_defaulter", "general", 1), ("tax_a", "general", 12), ("contract", "general", 4),
         ("honour", "general", 4), ("license", "general", 3)]


def run(report):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from yingshang.credit import services
    from yingshang.credit.models import Record, RuleSet
    from yingshang.demo import world
    from yingshang.directory.models import Department, Enterprise

    world.load(history=False)
    missing_firms = FIRMS - Enterprise.objects.count()
    if missing_firms > 0:
        world.add_scale(missing_firms)
    target = RECORDS or (1_000_000 if connection.vendor == "postgresql" else 100_000)
    missing = target - Record.objects.count()
    if missing > 0:
        t = time.perf_counter()
        _insert_records(missing, Enterprise, Department, Record, timezone.localdate())
        report.figure(f"bulk insert of {missing} credit records", time.perf_counter() - t, "s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    firms = Enterprise.objects.count()
    report.figure("firms", firms, "")
    report.figure("credit records", Record.objects.count(), "rows")

    t = time.perf_counter()
    result = services.standings_recompute()
    report.figure(f"rescore every firm ({result.get('changed', 0)} changed)", time.perf_counter() - t, "s", "≤ 30 s")
    t = time.perf_counter()
    result = services.standings_recompute()
    report.figure(f"rescore every firm again ({result.get('changed', 0)} changed)", time.perf_counter() - t, "s")
    # A new rule version: general penalties weigh more; every firm is rescored with it.
    admin = get_user_model().objects.get(username="admin")
    draft = services.ruleset_new_draft(actor=admin, name="压测版")
    rules = [{"kind": r.kind, "severity": r.severity, "delta": r.delta - (1 if r.delta < 0 else 0),
              "counts_days": r.counts_days, "cap": r.cap, "list_kind": r.list_kind,
              "repair_after_days": r.repair_after_days} for r in draft.rules.all()]
    services.ruleset_update(actor=admin, ruleset=draft, rules=rules)
    t = time.perf_counter()
    result = services.ruleset_activate(actor=admin, ruleset=draft)  # without a broker its job runs right after
    from yingshang.core.models import Job

    job = Job.objects.get(pk=result["job"])
    report.figure(f"put a new rule version in force and rescore ({(job.result or {}).get('changed', 0)} changed, "
                  f"job {job.state})", time.perf_counter() - t, "s", "≤ 30 s")
    report.figure("rule version now in force", RuleSet.objects.get(status="active").version, "")

    client = Client()
    client.force_login(get_user_model().objects.get(username="dispatcher"))
    rng = random.Random(7)
    codes = list(Enterprise.objects.order_by("?").values_list("uscc", flat=True)[:400])

    def ask():
        r = client.get(f"/api/v1/credit/measures?uscc={rng.choice(codes)}")
        assert r.status_code == 200, r.content

    ask()
    report.timings("measures API (what applies to this firm today)", ask, repeat=300, budget="≤ 30 ms")


def _insert_records(n, Enterprise, Department, Record, today):
    rng = random.Random(2026)
    firm_ids = list(Enterprise.objects.values_list("pk", flat=True))
    depts = list(Department.objects.filter(kind="department").values_list("pk", flat=True))
    kinds = [(k, s) for k, s, w in KINDS for _ in range(w)]
    base = Record.objects.count()
    batch = []
    for i in range(n):
        kind, severity = rng.choice(kinds)
        decided = today - timedelta(days=rng.randrange(1, 1200))
        r = rng.random()
        status = "active" if r < 0.85 else "expired" if r < 0.95 else "repaired"
        batch.append(Record(enterprise_id=rng.choice(firm_ids), kind=kind, severity=severity,
                            department_id=rng.choice(depts), decision_number=f"BENCH-{base + i}", decided_on=decided,
                            description="压测记录", public_from=decided, public_to=decided + timedelta(days=1094),
                            status=status, origin="import"))
        if len(batch) == 10_000:
            Record.objects.bulk_create(batch)
            batch = []
    Record.objects.bulk_create(batch)
