"""Major projects at scale: backward scheduling of 1,000 projects × 40 approval steps on the official
calendar, the daily sweep that stores every schedule and light, and the battle map with 1,000 projects.

Budgets (issue): scheduling 1,000 projects × 40 steps ≤ 1 s in total; the battle map with 1,000 projects
≤ 300 ms server time.
"""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

PROJECTS = 1000
STEPS = 40


def _graphs(rng):
    from yingshang.projects import scheduling as sch

    projects = []
    for _p in range(PROJECTS):
        steps = []
        for i in range(STEPS):
            preds = rng.sample(range(i), min(i, rng.randint(0, 3)))
            after = [sch.Dependency(f"S{j}", rng.choice([0, 0, 0, 2])) for j in preds]
            steps.append(sch.Step(f"S{i}", rng.randint(1, 25), after))
        start = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
        projects.append((steps, start, start + timedelta(days=rng.randrange(120, 500))))
    return projects


def _integer_cpm(sch, steps):
    """CPM on working-day numbers from 0: the same passes and the same results per step (early and late start
    and finish, slack, critical) without a calendar — the yardstick of the budget."""
    ordered = sch.topological_order(steps)
    es, ef = {}, {}
    for s in ordered:
        es[s.id] = max((ef[d.step] + 1 + d.lag for d in s.after), default=0)
        ef[s.id] = es[s.id] + s.duration - 1
    last = max(ef.values())
    successors = {s.id: [] for s in steps}
    for s in steps:
        for d in s.after:
            successors[d.step].append((s.id, d.lag))
    ls, lf = {}, {}
    for s in reversed(ordered):
        lf[s.id] = min((ls[n] - 1 - lag for n, lag in successors[s.id]), default=last)
        ls[s.id] = lf[s.id] - (s.duration - 1) if s.duration > 1 else lf[s.id]
    slack = {s.id: ls[s.id] - es[s.id] for s in steps}
    least = min(slack.values())
    return {s.id: (es[s.id], ef[s.id], ls[s.id], lf[s.id], slack[s.id], slack[s.id] == least) for s in steps}


def run(report):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from yingshang.core import workdays
    from yingshang.demo import world
    from yingshang.projects import scheduling as sch
    from yingshang.projects import services
    from yingshang.projects.models import Project, Step

    cal = workdays.get_calendar()
    rng = random.Random(40)
    graphs = _graphs(rng)
    t = time.perf_counter()
    late = sum(not sch.schedule(steps, start, target, cal).feasible for steps, start, target in graphs)
    on_calendar = time.perf_counter() - t
    report.figure(f"schedule 1,000 projects × 40 steps ({late} infeasible)", on_calendar, "s", "≤ 1 s")
    t = time.perf_counter()
    for steps, _start, _target in graphs:
        _integer_cpm(sch, steps)
    integer = time.perf_counter() - t
    report.figure("the same CPM on working-day integers (no calendar, no dates)", integer, "s")
    report.figure("schedule on the calendar ÷ integer CPM", on_calendar / integer, "×", "≤ 1.5 × (city scale)")

    world.load(history=False)
    missing = PROJECTS - Project.objects.filter(number__startswith="BM-").count()
    if missing > 0:
        t = time.perf_counter()
        _insert(graphs[:missing], rng)
        report.figure(f"bulk insert of {missing} projects with {missing * STEPS} steps", time.perf_counter() - t, "s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    # Every step's stored schedule forgotten, as after the bulk insert or a new year's holidays: all written.
    Step.objects.update(early_start=None)
    t = time.perf_counter()
    result = services.projects_sweep()
    report.figure(f"full reschedule: {result['rescheduled']} projects, every step's schedule written",
                  time.perf_counter() - t, "s")
    t = time.perf_counter()
    result = services.projects_sweep()
    report.figure(f"daily sweep: reschedule {result['rescheduled']} projects, store what moved",
                  time.perf_counter() - t, "s")
    major = Project.objects.filter(investment__gte=services.major_threshold()).count()
    report.figure("major projects on the battle map", major, "")

    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    assert client.get("/projects/").status_code == 200
    report.timings("battle map, every major project, by bureau", lambda: client.get("/projects/"), repeat=30,
                   budget="≤ 300 ms")
    report.timings("battle map, grouped by stage", lambda: client.get("/projects/?group=stage"), repeat=20)
    report.timings("battle map, one bureau, red only", lambda: client.get("/projects/?light=red&bureau=%d"
                                                                          % Project.objects.first().bureau_id),
                   repeat=20)
    report.timings("supervision ledger page", lambda: client.get("/projects/ledger/"), repeat=10)
    report.timings("investment pipeline page", lambda: client.get("/projects/pipeline/"), repeat=10)
    report.timings("a project's page (40 steps, Gantt)",
                   lambda: client.get(f"/projects/{Project.objects.filter(number__startswith='BM-').first().pk}/"),
                   repeat=20)


def _insert(graphs, rng):
    from django.db import transaction

    from yingshang.directory.models import Department, Enterprise
    from yingshang.projects.models import Link, Project, Stage, Step

    bureaus = list(Department.objects.filter(kind=Department.Kind.BUREAU))
    depts = list(Department.objects.filter(kind=Department.Kind.DEPARTMENT))
    firms = list(Enterprise.objects.order_by("pk")[:500])
    phases = ["land", "design", "permit", "acceptance", "parallel"]
    stages = [Stage.SIGNED, Stage.APPROVED, Stage.STARTED, Stage.TOPPED]
    base = Project.objects.filter(number__startswith="BM-").count()
    with transaction.atomic():
        projects = Project.objects.bulk_create([
            Project(number=f"BM-{base + i:05d}", name=f"基准测试项目{base + i}", investor=rng.choice(firms),
                    bureau=rng.choice(bureaus), investment=Decimal(rng.randint(50, 5000)) * 1_000_000,
                    stage=rng.choice(stages), stage_since=start, starts_on=start, target_start=target,
                    target_production=target + timedelta(days=400), is_returned=rng.random() < 0.3)
            for i, (_steps, start, target) in enumerate(graphs)])
        rows = []
        for p, (steps, _start, _target) in zip(projects, graphs):
            for order, s in enumerate(steps):
                rows.append(Step(project=p, code=s.id, name=f"审批事项{s.id}", phase=rng.choice(phases),
                                 department=rng.choice(depts), statutory_days=s.duration * 2,
                                 committed_days=s.duration, order=order))
        made = Step.objects.bulk_create(rows, batch_size=5000)
        by_key = {(s.project_id, s.code): s.pk for s in made}
        Link.objects.bulk_create([
            Link(step_id=by_key[(p.pk, s.id)], predecessor_id=by_key[(p.pk, d.step)], lag=d.lag)
            for p, (steps, _a, _b) in zip(projects, graphs) for s in steps for d in s.after], batch_size=5000)
