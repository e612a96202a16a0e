"""The verifiable draw at city scale: 5 % of 100,000 firms with 1,000 inspectors, two per firm.

Budgets (issue): the draw ≤ 5 s; verifying its record ≤ 5 s. (Pure computation: no database.)
"""

import json
import random
import time

from yingshang.core.uscc import make_uscc
from yingshang.inspections import draw

DEPARTMENTS = ["market", "emergency", "fire", "ecology", "transport"]


def run(report):
    rng = random.Random(5)
    firms = sorted(({"id": f"ENT:{make_uscc('220174', 10_000_000 + i)}", "grade": rng.choices("ABCD", [15, 70, 12, 3])[0],
                     "recent": rng.random() < 0.03, "last": []} for i in range(100_000)), key=lambda f: f["id"])
    inspectors = sorted(({"id": f"INS:22{DEPARTMENTS[i % 5][:3].upper()}{i:06d}", "department": DEPARTMENTS[i % 5],
                          "relations": [rng.choice(firms)["id"] for _ in range(rng.randrange(0, 3))]}
                         for i in range(1000)), key=lambda i: i["id"])
    for f in rng.sample(firms, 2000):
        f["last"] = [rng.choice(inspectors)["id"]]
    # Every one of the 1,000 inspectors is eligible for every firm (a joint task of all five departments,
    # the heaviest case: 1,000 tickets per drawn firm).
    rules = draw.Rules(strata={g: {"ratio": "0.05"} for g in "ABCD"}, departments=DEPARTMENTS[:1],
                       min_inspectors=2, cap=0)
    rules = draw.Rules(strata=rules.strata, departments=DEPARTMENTS, min_inspectors=2, cap=0)
    # With five departments a firm needs five inspectors; the case is two per firm:
    two = draw.Rules(strata=rules.strata, departments=["market"], min_inspectors=2, cap=0)
    inspectors_one = [dict(i, department="market") for i in inspectors]
    t = time.perf_counter()
    result = draw.draw(seed="20211018-0931-57", firms=firms, inspectors=inspectors_one, rules=two)
    elapsed = time.perf_counter() - t
    report.figure(f"draw 5% of 100,000 firms, 1,000 inspectors, 2 per firm ({len(result.firms)} firms)", elapsed,
                  "s", "≤ 5 s")
    record = draw.make_record(seed="20211018-0931-57", firms=firms, inspectors=inspectors_one, rules=two,
                              result=result)
    text = json.dumps(record, ensure_ascii=False)
    report.figure("published record", len(text.encode()) / 1e6, "MB")
    t = time.perf_counter()
    problem = draw.verify(json.loads(text))
    report.figure(f"verify that record ({'OK' if problem is None else problem})", time.perf_counter() - t, "s",
                  "≤ 5 s")
    t = time.perf_counter()
    joint = draw.draw(seed="20211018-0931-57", firms=firms, inspectors=inspectors, rules=rules)
    report.figure(f"joint draw, five departments, one inspector from each ({len(joint.assignments)} firms)",
                  time.perf_counter() - t, "s")
