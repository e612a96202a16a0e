"""The chain map with 2,000 firms placed and 10,000 supply relations (issue budget ≤ 300 ms) and the impact of one
firm downstream (≤ 50 ms): the selectors, the pages, and the bare SQL they run, in the same process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_chain make bench ONLY=chain
"""

import os
import random
import time

from django.db.models import Count

PLACED = int(os.environ.get("BENCH_PLACED", "2000"))
RELATIONS = int(os.environ.get("BENCH_RELATIONS", "10000"))
SERIAL_BASE = 70_000_000
SIZES = ["large", "medium", "small", "small", "micro", "micro"]


def run(report):
    from django.db import connection

    from yingshang.chain.models import Chain, Placement, Relation
    from yingshang.demo import world

    world.load(history=False)
    chain = Chain.objects.get(name="汽车零部件")
    missing = PLACED - Placement.objects.filter(segment__chain=chain, active=True).count()
    if missing > 0 or Relation.objects.count() < RELATIONS:
        t = time.perf_counter()
        _insert(chain, max(missing, 0), max(RELATIONS - Relation.objects.count(), 0))
        report.figure("bulk insert of firms, placements and relations", time.perf_counter() - t, "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.figure("firms placed on the chain", Placement.objects.filter(segment__chain=chain, active=True).count(), "")
    report.figure("supply relations", Relation.objects.count(), "")
    _map(report, chain)
    _impact(report)


def _map(report, chain):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from yingshang.chain import selectors

    report.timings("the chain map — selector (segments, firms, coverage, tree)",
                   lambda: selectors.chain_map(chain), repeat=21, budget="≤ 300 ms")

    def bare():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, parent_id, name, position, is_key, \"order\" FROM chain_segment "
                           "WHERE chain_id = %s", [chain.pk])
            cursor.fetchall()
            cursor.execute("SELECT p.segment_id, p.enterprise_id, e.name, e.size, p.products FROM chain_placement p "
                           "JOIN chain_segment s ON s.id = p.segment_id JOIN directory_enterprise e "
                           "ON e.id = p.enterprise_id WHERE s.chain_id = %s AND p.active", [chain.pk])
            cursor.fetchall()
    report.timings("the chain map — bare SQL (its 2 queries)", bare, repeat=21)
    client = Client()
    client.force_login(get_user_model().objects.get(username="chainoffice"))
    client.get(f"/chain/{chain.pk}/")  # warm-up
    report.timings("the chain's page (map, segments, gaps) — page", lambda: client.get(f"/chain/{chain.pk}/"),
                   repeat=21, budget="≤ 300 ms")


def _impact(report):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from yingshang.chain import selectors
    from yingshang.chain.models import Relation

    rng = random.Random(11)
    suppliers = list(Relation.objects.filter(supplier__isnull=False).values("supplier_id").annotate(
        n=Count("id")).order_by("supplier_id").values_list("supplier_id", flat=True))
    sample = rng.sample(suppliers, min(40, len(suppliers)))  # firms of every tier
    i = iter(range(10**9))
    report.timings("impact of one firm downstream — selector (graph read + walk + names)",
                   lambda: selectors.impact(sample[next(i) % len(sample)]), repeat=40, budget="≤ 50 ms")

    def bare():
        with connection.cursor() as cursor:
            cursor.execute("SELECT supplier_id, customer_id FROM chain_relation WHERE supplier_id IS NOT NULL "
                           "AND status <> 'ended'")
            cursor.fetchall()
    report.timings("impact — bare SQL (every live edge)", bare, repeat=40)
    sizes = [len(selectors.impact(f)) for f in sample]
    report.figure("dependants per sampled firm (median)", sorted(sizes)[len(sizes) // 2], "")
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    j = iter(range(10**9))
    client.get(f"/chain/impact/{sample[0]}/")
    report.timings("a firm's impact page — page", lambda: client.get(f"/chain/impact/{sample[next(j) % len(sample)]}/"),
                   repeat=40)


def _insert(chain, placed: int, relations: int) -> None:
    """Firms on the chain's finest segments (sizes mixed) and supply relations in tiers, as supply chains are:
    tier 3 → tier 2 → tier 1 → the leading firms' units."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from yingshang.chain import selectors
    from yingshang.chain.models import Placement, Relation, Segment
    from yingshang.core.uscc import make_uscc
    from yingshang.directory.models import Department, Enterprise

    rng = random.Random(5)
    admin = get_user_model().objects.get(username="admin")
    bureau = Department.objects.filter(kind="bureau").first()
    leaves = list(Segment.objects.filter(chain=chain, children__isnull=True))
    start = Enterprise.objects.filter(uscc__startswith="9122017").count()
    with transaction.atomic():
        firms = Enterprise.objects.bulk_create([
            Enterprise(name=f"长春市链上基准企业{SERIAL_BASE + start + k}有限公司",
                       uscc=make_uscc("220173", SERIAL_BASE + start + k), industry="汽车零部件及配件制造",
                       size=rng.choice(SIZES), bureau=bureau) for k in range(placed)])
        Placement.objects.bulk_create([Placement(segment=rng.choice(leaves), enterprise=f, products="基准产品",
                                                 added_by=admin) for f in firms])
        pool = list(Placement.objects.filter(segment__chain=chain, active=True).values_list("enterprise_id", flat=True))
        rng.shuffle(pool)
        # tiers as supply chains have them: tier 3 supplies tier 2, tier 2 tier 1, tier 1 the leading firms' units
        t3, t2, t1 = pool[:len(pool) * 2 // 5], pool[len(pool) * 2 // 5:len(pool) * 3 // 4], pool[len(pool) * 3 // 4:]
        anchors = list(selectors.anchor_firm_ids(chain))
        layers = [(t3, t2, 0.45), (t2, t1, 0.35), (t1, anchors, 0.20)]
        seen, rows = set(), []
        while len(rows) < relations:
            r, acc = rng.random(), 0
            for suppliers, customers, share in layers:
                acc += share
                if r < acc:
                    break
            a, b = rng.choice(suppliers), rng.choice(customers)
            if a == b or (a, b) in seen:
                continue
            seen.add((a, b))
            rows.append(Relation(supplier_id=a, customer_id=b, product=f"件{len(rows)}", added_by=admin))
        Relation.objects.bulk_create(rows, batch_size=2000)
