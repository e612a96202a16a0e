"""Backward scheduling at scale: 1,000 projects × 40 approval steps on the official calendar.

Budget (issue): scheduling them all ≤ 1 s in total. (The battle map's budget waits for the projects pages.)
"""

import random
import time
from datetime import date, timedelta


def run(report):
    from yingshang.core import workdays
    from yingshang.projects import scheduling as sch

    cal = workdays.get_calendar()
    rng = random.Random(40)
    projects = []
    for p in range(1000):
        steps = []
        for i in range(40):
            preds = rng.sample(range(i), min(i, rng.randint(0, 3)))
            after = [sch.Dependency(f"S{j}", rng.choice([0, 0, 0, 2])) for j in preds]
            steps.append(sch.Step(f"S{i}", rng.randint(1, 25), after))
        start = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
        projects.append((steps, start, start + timedelta(days=rng.randrange(120, 500))))
    t = time.perf_counter()
    late = sum(not sch.schedule(steps, start, target, cal).feasible for steps, start, target in projects)
    report.figure(f"schedule 1,000 projects × 40 steps ({late} infeasible)", time.perf_counter() - t, "s", "≤ 1 s")
