"""Every action of inspections' table × every role (``actions.py``): who may act on a plan, a draw, a visit
or a rectification order, and a refused action changes nothing. A new action without an expectation fails."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from yingshang.directory.tests.factories import DepartmentFactory
from yingshang.inspections import services
from yingshang.inspections.actions import inspections as TABLE
from yingshang.inspections.models import Draw, Event, Order, Plan, Visit

from .test_services import drawn, plan, w  # noqa: F401 (the world of these tests)

pytestmark = pytest.mark.django_db
ROLES = ["handler", "head", "other_head", "outside_head", "assigned", "unassigned", "member", "leader", "admin"]
ALLOWED = {
    "approve": {"head", "admin"},
    "freeze": {"handler", "head", "admin"},
    "draw": {"handler", "head", "admin"},
    "publish": {"handler", "head", "admin"},
    "result": {"assigned", "admin"},
    "complete": {"assigned", "admin"},
    "submit": {"member"},
    # Closed by the inspectors who found it or a head of one of the plan's departments — not any head.
    "verify": {"assigned", "head", "other_head", "admin"},
}


@pytest.fixture
def people(w, make_user):
    return {"outside_head": make_user("dept_head", department=DepartmentFactory()),
            "leader": make_user("leader"), "admin": make_user("admin")}


def bring(w, name):
    """The record the action works on, in the state it starts from."""
    if name == "approve":
        return plan(w)
    if name == "freeze":
        p = plan(w)
        services.plan_approve(actor=w.head, plan=p)
        return Plan.objects.get(pk=p.pk)
    if name == "draw":
        p = plan(w)
        services.plan_approve(actor=w.head, plan=p)
        return services.pools_freeze(actor=w.handler, plan=p)
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    if name == "publish":  # one inspection carried out: there is something to publish
        for item in w.items:
            services.result_record(actor=inspector, visit=v, item=item, outcome="ok")
        services.visit_complete(actor=inspector, visit=v)
        return Plan.objects.get(pk=p.pk)
    if name in ("result", "complete"):
        if name == "complete":
            for item in w.items:
                services.result_record(actor=inspector, visit=v, item=item, outcome="ok")
        return Visit.objects.get(pk=v.pk)
    services.result_record(actor=inspector, visit=v, item=w.items[0], outcome="ordered", requirement="更换灭火器",
                           workdays_to_rectify=5)
    services.result_record(actor=inspector, visit=v, item=w.items[1], outcome="ok")
    services.visit_complete(actor=inspector, visit=v)
    o = Order.objects.get(visit=v)
    if name == "verify":
        from yingshang.directory.models import EnterpriseMember

        member = EnterpriseMember.objects.filter(enterprise=v.enterprise).first()
        firm_user = member.user if member else None
        if firm_user is None:
            from yingshang.core import roles
            from django.contrib.auth.models import Group
            from yingshang.directory.tests.factories import UserFactory

            firm_user = UserFactory()
            firm_user.groups.add(Group.objects.get(name=roles.ENTERPRISE))
            EnterpriseMember.objects.create(user=firm_user, enterprise=v.enterprise)
        services.order_submit(actor=firm_user, order=o, note="已更换",
                              evidence=SimpleUploadedFile("更换.jpg", b"\xff\xd8jpeg", content_type="image/jpeg"))
    return Order.objects.get(pk=o.pk)


def actor_of(w, people, role, obj):
    visit = obj.visit if isinstance(obj, Order) else obj if isinstance(obj, Visit) else None
    if role == "assigned":
        return visit.inspectors.first().user if visit else w.inspectors[0].user
    if role == "unassigned":
        drawn_ids = set(visit.inspectors.values_list("pk", flat=True)) if visit else set()
        return next(i.user for i in w.inspectors if i.pk not in drawn_ids)
    if role == "member":
        from django.contrib.auth.models import Group

        from yingshang.core import roles
        from yingshang.directory.models import EnterpriseMember
        from yingshang.directory.tests.factories import UserFactory

        firm = visit.enterprise if visit else w.firms[0]
        m = EnterpriseMember.objects.filter(enterprise=firm).first()
        if m:
            return m.user
        u = UserFactory()
        u.groups.add(Group.objects.get(name=roles.ENTERPRISE))
        EnterpriseMember.objects.create(user=u, enterprise=firm)
        return u
    return people.get(role) or getattr(w, role)


def sample(w, name, obj):
    if name == "result":
        return {"item": w.items[0], "outcome": "ok"}
    if name == "submit":
        return {"note": "已整改", "evidence": SimpleUploadedFile("整改.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")}
    if name == "verify":
        return {"accept": True, "note": "复查合格"}
    if name == "draw":
        return {"seed": "20261201"}
    return {}


def snapshot():
    return (list(Plan.objects.values_list("status", flat=True)), list(Draw.objects.values_list("status", flat=True)),
            list(Visit.objects.values_list("status", flat=True)), list(Order.objects.values_list("status", flat=True)),
            Event.objects.count())


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(TABLE.actions)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_action_by_role(w, people, name, role):
    obj = bring(w, name)
    actor = actor_of(w, people, role, obj)
    action = TABLE[name]
    assert action.allowed(actor, obj) == (role in ALLOWED[name]), (name, role)
    before = snapshot()
    if role in ALLOWED[name]:
        action.perform(actor, obj, sample(w, name, obj))
        assert Event.objects.count() > before[-1]
    else:
        with pytest.raises(PermissionDenied):
            action.perform(actor, obj, sample(w, name, obj))
        assert snapshot() == before


def test_an_inspector_reads_only_the_visits_they_were_drawn_for_on_pages_and_api(w, client):
    p, d = drawn(w)
    mine = Visit.objects.filter(draw=d).first()
    inspector = mine.inspectors.first().user
    others = Visit.objects.filter(draw=d).exclude(inspectors__user=inspector)
    assert others.exists()
    client.force_login(inspector)
    assert client.get(f"/inspections/visits/{mine.pk}/").status_code == 200
    assert client.get(f"/inspections/visits/{others.first().pk}/").status_code == 404
    assert client.get(f"/api/v1/inspections/visits/{others.first().pk}/").status_code == 404
    listed = {v["id"] for v in client.get("/api/v1/inspections/visits/").json()["results"]}
    assert mine.pk in listed and not listed & set(others.values_list("pk", flat=True))
