"""A small world for the cockpit's figures: two enterprise groups, two service bureaus, a firm in each and one
in none, the departments, and builders that make one record each figure counts — by hand, on the day given,
so the tests can put records just inside and just outside a period's ends (Shanghai midnight)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

import pytest

from yingshang.core.workdays import ZONE
from yingshang.directory.tests.factories import BureauFactory, DepartmentFactory, EnterpriseFactory, GroupFactory

_n = count(1)


def sh(d: date, t: time = time(10)) -> datetime:
    return datetime.combine(d, t, tzinfo=ZONE)


@dataclass
class World:
    group: object
    other_group: object
    bureau: object
    other_bureau: object
    firm: object          # in ``group`` and ``bureau``
    other_firm: object    # in ``other_group`` and ``other_bureau``
    lone_firm: object     # in no group and no bureau
    dept: object
    dept2: object
    dept3: object
    user: object
    leader: object
    supervisor: object


@pytest.fixture
def cw(db, make_user):
    group, other_group = GroupFactory(name="中国第一汽车集团有限公司"), GroupFactory(name="另一集团")
    bureau, other_bureau = BureauFactory(name="红旗服务局"), BureauFactory(name="零部件服务局")
    dept, dept2, dept3 = (DepartmentFactory(code="market", name="市场监督管理局"), DepartmentFactory(name="应急管理局"),
                          DepartmentFactory(name="消防救援大队"))
    return World(group=group, other_group=other_group, bureau=bureau, other_bureau=other_bureau,
                 firm=EnterpriseFactory(group=group, bureau=bureau),
                 other_firm=EnterpriseFactory(group=other_group, bureau=other_bureau),
                 lone_firm=EnterpriseFactory(), dept=dept, dept2=dept2, dept3=dept3,
                 user=make_user("dispatcher", department=dept), leader=make_user("leader", department=dept),
                 supervisor=make_user("supervisor", department=dept))


# --- one record counted by each flow figure -----------------------------------------------------------
# build(w, when, firm, above, amount) → the record the figure counts; ``when`` is a moment for figures
# counted by a moment, a date for those counted by a date.

def _ticket(w, firm, **kw):
    from yingshang.tickets.models import Category, Ticket

    cat, _ = Category.objects.get_or_create(name="水电气热", parent=None)
    n = next(_n)
    kw.setdefault("created_at", sh(date(2026, 1, 5)))
    return Ticket.objects.create(number=f"QS-T-{n:06d}", enterprise=firm, raised_by=w.user, category=cat,
                                 title=f"问题{n}", description="描述", **kw)


def t_registered(w, when, firm, above=True, amount=None):
    return _ticket(w, firm, created_at=when)


def t_closed(w, when, firm, above=True, amount=None):
    return _ticket(w, firm, status="closed", closed_at=when)


def t_on_time(w, when, firm, above=True, amount=None):
    due = when + timedelta(hours=1) if above else when - timedelta(hours=1)
    return _ticket(w, firm, status="resolved", resolved_at=when, resolve_due=due)


def t_satisfied(w, when, firm, above=True, amount=None):
    return _ticket(w, firm, status="closed", closed_at=when, rating="satisfied" if above else "unsatisfied")


def _project(w, day, firm, *, investment=Decimal(100_000_000), returned=False, contact=None):
    from yingshang.projects.models import Event, Project

    n = next(_n)
    p = Project.objects.create(number=f"XM-T-{n:05d}", name=f"项目{n}", investor=firm,
                               bureau=firm.bureau or w.bureau, investment=investment, is_returned=returned,
                               stage="started", stage_since=day, first_contact_on=contact)
    Event.objects.create(project=p, action="projects.project.stage_changed", from_status="approved",
                         to_status="started", on=day)
    return p


def p_major(w, when, firm, above=True, amount=None):
    return _project(w, when, firm, investment=amount or Decimal(100_000_000))


def p_returned(w, when, firm, above=True, amount=None):
    return _project(w, when, firm, investment=amount or Decimal(100_000_000), returned=True)


def p_returned_signed(w, when, firm, above=True, amount=None):
    """A returned project signed on ``when`` at a recruiting campaign's invitation (it has not broken ground)."""
    from yingshang.chain.models import Campaign, Invitation, Target

    p = _project(w, when - timedelta(days=400), firm, investment=amount or Decimal(100_000_000), returned=True)
    n = next(_n)
    campaign, _ = Campaign.objects.get_or_create(name="六个回归", defaults={"held_on": date(2021, 6, 18),
                                                                        "team": w.dept, "created_by": w.user})
    target = Target.objects.create(number=f"ZS-T-{n:04d}", name=f"区外企业{n}", region="江苏昆山", added_by=w.user,
                                   status="signed")
    Invitation.objects.create(campaign=campaign, target=target, stage="signed", stage_since=when, project=p,
                              invited_by=w.user)
    return p


def p_contact(w, when, firm, above=True, amount=None):
    return _project(w, when, firm, contact=when - timedelta(days=int(amount or 10)))


def _plan(w, departments, *, approved_at=None, bureau=None):
    from yingshang.inspections.models import Plan

    n = next(_n)
    plan = Plan.objects.create(number=f"CJ-T-{n:04d}", name=f"计划{n}", year=2026, lead_department=departments[0],
                               starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), created_by=w.user,
                               status="drawn", approved_at=approved_at, bureau=bureau)
    plan.departments.set(departments)
    return plan


def _draw(w, plan, drawn_at):
    from yingshang.inspections.models import Draw

    return Draw.objects.create(plan=plan, sequence=1, status="drawn", firms=[], inspectors=[], firms_hash="x",
                               inspectors_hash="x", rules={}, frozen_by=w.user, drawn_at=drawn_at)


def i_plans(w, when, firm, above=True, amount=None):
    return _plan(w, [w.dept], approved_at=when, bureau=firm.bureau)


def i_single(w, when, firm, above=True, amount=None):
    return _draw(w, _plan(w, [w.dept], bureau=firm.bureau), when)


def i_joint(w, when, firm, above=True, amount=None):
    return _draw(w, _plan(w, [w.dept, w.dept2], bureau=firm.bureau), when)


def _visit(w, draw, firm, **kw):
    from yingshang.inspections.models import Visit

    return Visit.objects.create(draw=draw, plan=draw.plan, enterprise=firm, grade="B", position=next(_n), **kw)


def i_firms_drawn(w, when, firm, above=True, amount=None):
    return _visit(w, _draw(w, _plan(w, [w.dept]), when), firm)


def _inspectors(w, k):
    from yingshang.inspections.models import Inspector

    return [Inspector.objects.create(name=f"检查员{next(_n)}", department=w.dept, certificate=f"ZF{next(_n):06d}")
            for _ in range(k)]


def i_inspector_visits(w, when, firm, above=True, amount=None):
    v = _visit(w, _draw(w, _plan(w, [w.dept]), sh(date(2026, 1, 2))), firm, visited_on=when, status="done")
    v.inspectors.set(_inspectors(w, int(amount or 2)))
    return v


def i_saved(w, when, firm, above=True, amount=None):
    depts = [w.dept, w.dept2, w.dept3][: int(amount or 1) + 1]
    return _visit(w, _draw(w, _plan(w, depts), sh(date(2026, 1, 2))), firm, visited_on=when, status="done")


def _check(w, day, firm):
    from yingshang.inspections.models import Campaign, Check

    campaign = Campaign.objects.create(name=f"专项{next(_n)}", sector="fire", department=w.dept2,
                                       starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31), created_by=w.user)
    return Check.objects.create(campaign=campaign, enterprise=firm, checked_on=day, checkers="张三、李四",
                                recorded_by=w.user)


def s_checks(w, when, firm, above=True, amount=None):
    return _check(w, when, firm)


def _hazard(w, check, *, rectified_on=None):
    from yingshang.inspections.models import Hazard

    return Hazard.objects.create(check_record=check, description="消防通道堵塞", due_on=date(2026, 12, 31),
                                 status="rectified" if rectified_on else "open", rectified_on=rectified_on)


def s_found(w, when, firm, above=True, amount=None):
    return _hazard(w, _check(w, when, firm))


def s_rectified(w, when, firm, above=True, amount=None):
    return _hazard(w, _check(w, date(2025, 1, 2), firm), rectified_on=when)


def s_rate(w, when, firm, above=True, amount=None):
    return _hazard(w, _check(w, when, firm), rectified_on=date(2026, 12, 1) if above else None)


def _version(w):
    from yingshang.catalog import services
    from yingshang.catalog.models import Item, ItemType

    item = Item.objects.filter(code="T-ITEM").first()
    if item:
        return item.current
    services.item_types_ensure_defaults()
    v = services.item_publish(actor=None, code="T-ITEM", basic_code="TB", fields={
        "type": ItemType.objects.get(code="01"), "kind": "committed", "statutory_limit": 20,
        "statutory_unit": "workday", "committed_limit": 5, "committed_unit": "workday", "online": True,
        "online_depth": 4, "name": "供水报装", "department": w.dept}, materials=[{"name": "申请书"}])
    return v


def g_online(w, when, firm, above=True, amount=None):
    from yingshang.catalog.models import Application

    v = _version(w)
    return Application.objects.create(number=f"BJ-T-{next(_n):06d}", version=v, item=v.item, department=w.dept,
                                      enterprise=firm, channel="online" if above else "window", created_at=when)


def g_startup(w, when, firm, above=True, amount=None):
    from yingshang.catalog.models import Bundle, BundleApplication

    bundle, _ = Bundle.objects.get_or_create(code="kaiban", defaults={"name": "开办企业", "life_event": "start"})
    hours = Decimal(str(amount or 4.5))
    return BundleApplication.objects.create(number=f"YJ-T-{next(_n):06d}", bundle=bundle, enterprise=firm,
                                            status="done", created_at=when - timedelta(hours=6), done_at=when,
                                            work_hours=hours)


def g_claims(w, when, firm, above=True, amount=None):
    from yingshang.catalog.models import Claim, Registration

    n = next(_n)
    reg = Registration.objects.create(enterprise=firm, name=firm.name, uscc=firm.uscc, scope="汽车零部件制造",
                                      registered_on=date(2020, 1, 1) + timedelta(days=n), recorded_at=when)
    return Claim.objects.create(registration=reg, department=w.dept, status="claimed" if above else "pending",
                                due_at=when + timedelta(days=7), claimed_at=when if above else None)


BUILDERS = {
    "tickets.registered": t_registered, "tickets.closed": t_closed, "tickets.closed_for_group": t_closed,
    "tickets.on_time_resolution_rate": t_on_time, "tickets.satisfaction_rate": t_satisfied,
    "projects.major_started": p_major, "projects.returned": p_returned, "projects.returned_signed": p_returned_signed,
    "projects.contact_to_groundbreaking_days": p_contact,
    "inspections.plans": i_plans, "inspections.tasks_in_department": i_single, "inspections.tasks_joint": i_joint,
    "inspections.firms_drawn": i_firms_drawn, "inspections.inspector_visits": i_inspector_visits,
    "inspections.visits_saved": i_saved,
    "safety.checks": s_checks, "safety.hazards_found": s_found, "safety.hazards_rectified": s_rectified,
    "safety.rectification_rate": s_rate,
    "catalog.online_rate": g_online, "catalog.business_startup_workdays": g_startup, "catalog.claim_rate": g_claims,
}
