"""The demo projects: the article's projects in realistic states, and (with the year of history) about a hundred
generated major projects over the nine bureaus — the Toyota bureau's ledger has 45. Played through the
services; a step's progress is replayed day by day so that its actual dates follow its schedule. Loaded once:
skipped when present."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yingshang.core import events, workdays
from yingshang.directory.models import Department, Enterprise
from yingshang.projects import scheduling, services
from yingshang.projects.models import Event, Link, Project, Stage, Step

from . import clock
from .places import place

MARKER = "吉林玲珑轮胎高性能子午线轮胎项目"
YI = Decimal(100_000_000)

# name, investor, bureau, investment (亿元), kind, capacity, returned from, stage, months since the
# approvals started, land (亩), template ("general" | "land_start" | None)
ARTICLE = [
    (MARKER, "吉林玲珑轮胎有限公司", "bureau-parts", Decimal("48.93"), "new", "年产1420万条高性能子午线轮胎",
     "山东招远（配套回归）", Stage.STARTED, 9, 1300, "land_start"),
    ("一汽解放J7整车智慧工厂", "一汽解放集团股份有限公司", "bureau-jiefang", Decimal("38.3"), "new", "年产10万辆J7重型卡车",
     "", Stage.PRODUCTION, 40, 1000, "general"),
    ("红旗新能源汽车工厂", "一汽红旗汽车有限公司", "bureau-hongqi", Decimal("83.2"), "new", "年产20万辆新能源汽车",
     "", Stage.STARTED, 8, 1500, "land_start"),
    ("一汽丰越扩能项目", "长春一汽丰越汽车有限公司", "bureau-toyota", Decimal("25.6"), "expansion", "新增年产能12万辆",
     "", Stage.APPROVED, 2, 280, "general"),
    ("奥迪一汽新能源汽车项目（PPE平台）", "奥迪一汽新能源汽车有限公司", "bureau-vw-audi", Decimal("351"), "new",
     "年产15万辆PPE平台纯电动车", "", Stage.TOPPED, 12, 2000, "general"),
    ("一汽物流智慧物流园", "一汽物流有限公司", "bureau-logistics", Decimal("19.8"), "new", "智能仓储及整车物流中心",
     "", Stage.APPROVED, 1, 650, "land_start"),
    ("一汽新能源汽车试验基地", "中国第一汽车集团有限公司研发总院", "bureau-rd", Decimal("12.6"), "new",
     "新能源整车及三电系统试验", "", Stage.STARTED, 6, 900, "land_start"),
    ("富赛汽车电子产业园", "长春富赛汽车电子有限公司", "bureau-parts", Decimal("10.5"), "new", "智能座舱及车载电子",
     "惠州（配套回归）", Stage.PRODUCTION, 30, 210, "general"),
]

# Generated projects per bureau (with the Fengyue expansion the Toyota bureau's ledger holds 45).
GENERATED = {"bureau-toyota": 44, "bureau-hongqi": 8, "bureau-jiefang": 8, "bureau-vw-audi": 8, "bureau-rd": 5,
             "bureau-logistics": 6, "bureau-parts": 12, "bureau-nev": 7, "bureau-general": 2}
SUBJECTS = ["冲焊件生产线", "座椅总成配套", "动力电池包组装", "电驱动系统", "智能网联零部件", "轻量化铝合金铸件",
            "线束总成", "汽车玻璃深加工", "热管理系统", "内外饰件", "精密模具", "底盘结构件", "智能仓储中心",
            "涂装材料", "车规级芯片封测", "新能源汽车充换电设施", "汽车软件研发中心", "制动系统", "转向系统"]
ORIGINS = ["江苏昆山", "浙江宁波", "广东佛山", "上海嘉定", "天津武清", "重庆两江", "湖北武汉", "山东青岛"]


def load(*, depts: dict, firms: dict, users: dict, history: bool = True) -> int:
    if Project.objects.filter(name=MARKER).exists():
        return 0
    templates = {"general": services.default_template("expansion"),
                 "land_start": services.Template.objects.get(name="拿地即开工")}
    today = timezone.localdate()
    rng = random.Random(20261128)
    made = 0
    with transaction.atomic():
        for (name, investor, bureau, yi, kind, capacity, origin, stage, months, mu, tpl) in ARTICLE:
            _project(name=name, investor=firms[investor], bureau=depts[bureau], investment=yi * YI, kind=kind,
                     capacity=capacity, origin=origin, stage=stage, months=months, mu=mu,
                     template=templates[tpl] if tpl else None, users=users, today=today, rng=rng)
            made += 1
        _test_base_in_28_days()
        if history:
            made += _generated(depts, users, templates, today, rng)
    return made


def _leader(users, rng):
    return users["leader"] if rng.random() < 0.6 else users["leader2"]


def _steward(users, bureau: Department):
    key = "steward" if bureau.code in ("bureau-rd", "bureau-parts") else \
        f"steward_{bureau.code.split('-', 1)[1].replace('-', '_')}"
    return users.get(key)


def _project(*, name, investor, bureau, investment, kind, capacity, origin, stage, months, mu, template, users,
             today, rng, lag_days: int = 0, investor_name: str = ""):
    """A project whose approvals began ``months`` ago, replayed up to today (less ``lag_days`` of delay)."""
    start = today - timedelta(days=int(months * 30.4))
    contact = start - timedelta(days=rng.randint(20, 120))
    landed = stage in (Stage.STARTED, Stage.TOPPED, Stage.COMPLETED, Stage.PRODUCTION)
    if template is None:  # not yet at the approvals: the dates ahead are the negotiators' targets
        target_signing = today + timedelta(days=rng.randint(20, 150))
        target_start = target_signing + timedelta(days=rng.randint(60, 120))
    else:
        target_signing, target_start = start - timedelta(days=10), start + timedelta(days=rng.randint(150, 200))
    target_production = target_start + timedelta(days=rng.randint(420, 560))
    created = contact if not template else start - timedelta(days=10)
    with clock.story(created, 10):
        p = _create(template, stage, created, name, investor, bureau, investor_name, investment, kind, capacity,
                    origin, mu, rng, users, landed, contact, start, target_signing, target_start, target_production)
    if template is None:
        return p
    _replay(p, until=today - timedelta(days=lag_days), rng=rng,
            hold={"C1", "A1", "A2"} if stage == Stage.APPROVED else
            set() if stage in (Stage.COMPLETED, Stage.PRODUCTION) else {"A1", "A2"})
    # Stages as the steps were reached: 立项 when L1 was done, 开工 when the construction permit came.
    steps = {s.code: s for s in Step.objects.filter(project=p)}
    if steps["L1"].actual_finish:
        _stage(p, Stage.APPROVED, steps["L1"].actual_finish)
    if landed and steps["C1"].actual_finish:
        _stage(p, Stage.STARTED, steps["C1"].actual_finish)
        for later, after_days in ((Stage.TOPPED, 240), (Stage.COMPLETED, 480), (Stage.PRODUCTION, 560)):
            on = steps["C1"].actual_finish + timedelta(days=after_days)
            if PIPELINE_INDEX[later] <= PIPELINE_INDEX[stage] and on <= today:
                _stage(p, later, on)
    return p


def _stage(p: Project, to: str, on: date, reason: str = "") -> None:
    """A stage reached on day ``on``, entered by its steward that afternoon."""
    with clock.story(on, 16):
        services.stage_change(actor=p.steward, project=p, to=to, on=on, reason=reason)


def _create(template, stage, created, name, investor, bureau, investor_name, investment, kind, capacity, origin, mu,
            rng, users, landed, contact, start, target_signing, target_start, target_production) -> Project:
    steward = _steward(users, bureau)
    return services.project_create(  # registered by the bureau's steward (by the zone leader where it has none)
        actor=steward or users["leader"], template=template, stage=Stage.SIGNED if template else stage, stage_since=created, name=name, investor=investor, bureau=bureau,
        investor_name=investor_name, investment=investment, kind=kind, capacity=capacity, is_returned=bool(origin), returned_from=origin,
        land_mu=Decimal(mu), site=f"汽开区{rng.choice(['西新', '东风', '锦程', '蔚山', '新城'])}片区",
        industry=investor.industry if investor else "", leader=_leader(users, rng), steward=steward,
        first_contact_on=contact, starts_on=start if template else None, target_signing=target_signing,
        target_start=target_start, target_production=target_production,
        power_kva=int(mu) * 40, power_status=rng.choice(["arranged", "supplied"] if landed else ["pending", "arranged"]),
        water_t_day=int(mu) * 2, water_status="supplied" if landed else "pending",
        gas_m3_day=int(mu) * 15 if kind != "upgrade" else None, gas_status="arranged" if landed else "pending",
        land_status="supplied" if landed else "arranged", **dict(zip(("lng", "lat"), place(f"project:{name}"))))


PIPELINE_INDEX = {s: i for i, s in enumerate([Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.APPROVED, Stage.STARTED,
                                              Stage.TOPPED, Stage.COMPLETED, Stage.PRODUCTION])}


def _replay(p: Project, *, until: date, rng, hold: set[str]) -> None:
    """Mark steps done in schedule order while their planned finish is before ``until`` (a few a day or two
    late); the steps in ``hold`` stay open (the permit of a project not yet started, the acceptance of one
    not yet completed). Replayed in memory on the scheduler, written once."""
    cal = workdays.get_calendar()
    steps = list(Step.objects.filter(project=p).order_by("order", "id"))
    links = list(Link.objects.filter(step__project=p, active=True).values_list("step_id", "predecessor_id", "lag"))
    preds = {s.pk: [pred for sid, pred, _lag in links if sid == s.pk] for s in steps}
    by_pk = {s.pk: s for s in steps}
    start = p.starts_on
    for _round in range(30):
        timing = scheduling.schedule(services._plan_steps(steps, links), start, start, cal).steps
        due = [s for s in steps if s.status != Step.Status.DONE and s.code not in hold
               and timing[s.code].early_finish < until
               and all(by_pk[x].status == Step.Status.DONE for x in preds[s.pk])]
        if not due:
            break
        for s in due:
            t = timing[s.code]
            finish = min(cal.add_workdays(t.early_finish, rng.choice([0, 0, 0, 1, 2]), provisional=True), until)
            s.status, s.actual_start, s.actual_finish = Step.Status.DONE, t.early_start, max(finish, t.early_start)
    # One step under way today, begun on its planned day.
    timing = scheduling.schedule(services._plan_steps(steps, links), start, start, cal).steps
    ready = sorted((s for s in steps if s.status == Step.Status.TODO and timing[s.code].early_start <= until
                    and all(by_pk[x].status == Step.Status.DONE for x in preds[s.pk])),
                   key=lambda s: timing[s.code].early_start)
    if ready:
        ready[0].status, ready[0].actual_start = Step.Status.DOING, timing[ready[0].code].early_start
    Step.objects.bulk_update(steps, ["status", "actual_start", "actual_finish"])
    # The replayed history carries the days of its story, not the time the demo was loaded.
    Event.objects.bulk_create([events.build("projects.step.finished", project=p, step=s, frm="todo", to="done",
                                            on=s.actual_finish, at=_story_at(s.actual_finish), actor=p.steward)
                               for s in steps if s.status == Step.Status.DONE]
                              + [events.build("projects.step.started", project=p, step=s, frm="todo", to="doing",
                                              on=s.actual_start, at=_story_at(s.actual_start), actor=p.steward)
                                 for s in steps if s.status == Step.Status.DOING])
    services.project_reschedule(p)


def _story_at(d):
    """A moment in the office hours of day ``d`` (Shanghai time) — never later than now (a step finished today,
    with the demo loaded before ten in the morning)."""
    from datetime import datetime, time

    return min(timezone.make_aware(datetime.combine(d, time(10, 0))), timezone.now())


def _test_base_in_28_days() -> None:
    """The article: 28 days from first contact to ground-breaking at the new-energy test base."""
    p = Project.objects.get(name="一汽新能源汽车试验基地")
    started = p.events.filter(action="projects.project.stage_changed", to_status=Stage.STARTED).first()
    if started is not None:
        Project.objects.filter(pk=p.pk).update(first_contact_on=started.on - timedelta(days=28))


def _generated(depts, users, templates, today, rng) -> int:
    made = 0
    stages = [Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.APPROVED, Stage.APPROVED, Stage.STARTED, Stage.STARTED,
              Stage.STARTED, Stage.TOPPED, Stage.COMPLETED, Stage.PRODUCTION, Stage.PAUSED]
    for code, n in GENERATED.items():
        bureau = depts[code]
        investors = list(Enterprise.objects.filter(bureau=bureau).order_by("pk")[:40])
        for i in range(n):
            investor = investors[i % len(investors)] if investors and rng.random() < 0.8 else None
            stage = rng.choice(stages)
            yi = Decimal(rng.choice([0.5, 0.6, 0.8, 1.2, 1.5, 2, 3, 5, 8, 12, 20])).quantize(Decimal("0.01"))
            subject = rng.choice(SUBJECTS)
            name = f"{(investor.name[:6] if investor else '意向企业')}{subject}项目"
            months = {Stage.APPROVED: rng.randint(1, 2), Stage.STARTED: rng.randint(6, 12), Stage.TOPPED: rng.randint(10, 13),
                      Stage.COMPLETED: rng.randint(22, 26), Stage.PRODUCTION: rng.randint(26, 36)}.get(stage, 0)
            template = None if not months else templates["general"] if stage == Stage.APPROVED or rng.random() < 0.7 \
                else templates["land_start"]
            origin = rng.choice(ORIGINS) + "（配套回归）" if rng.random() < 0.3 else ""
            unregistered = "" if investor else f"{rng.choice(ORIGINS)[:2]}某汽车零部件企业"
            if stage == Stage.PAUSED:
                p = _project(name=name, investor=investor, bureau=bureau, investment=yi * YI, kind="new",
                             capacity="", origin=origin, stage=Stage.SIGNED, months=0, mu=rng.randint(50, 400),
                             template=None, users=users, today=today, rng=rng, investor_name=unregistered)
                _stage(p, Stage.PAUSED, min(today, p.stage_since + timedelta(days=rng.randint(10, 60))), reason="企业投资计划调整，待重新论证")
            else:
                p = _project(name=name, investor=investor, bureau=bureau, investment=yi * YI,
                             kind=rng.choice(["new", "new", "expansion", "upgrade"]), capacity="", origin=origin,
                             stage=stage, months=months, mu=rng.randint(50, 400), template=template, users=users,
                             today=today, rng=rng, lag_days=rng.choice([0, 0, 0, 0, 5, 12]),
                             investor_name=unregistered)
            made += 1
    return made
