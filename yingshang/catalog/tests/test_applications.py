"""Applications (办件): the clock from acceptance, corrections asked for once, 容缺 only for secondary materials
and never for a firm in class D or on the black list, special procedures moving both deadlines, who may act."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingshang.catalog import services
from yingshang.catalog.models import ApplicationEvent, ItemType
from yingshang.core.actions import IllegalTransition
from yingshang.core.workdays import ZONE
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db, make_user):
    services.item_types_ensure_defaults()
    dept, other = DepartmentFactory(code="market"), DepartmentFactory(code="ecology")
    v = services.item_publish(actor=None, code="SP001", basic_code="B1", fields={
        "name": "食品经营许可", "type": ItemType.objects.get(code="01"), "department": dept, "kind": "committed",
        "statutory_limit": 20, "statutory_unit": "workday", "committed_limit": 3, "committed_unit": "workday",
        "visits": 1, "visit_reason": "现场核查", "online": True, "online_depth": 3, "tolerant": True,
        "commitment_allowed": True}, materials=[{"name": "申请书"}, {"name": "食品安全管理制度", "necessity": "secondary"}])
    firm, stranger = EnterpriseFactory(), EnterpriseFactory()

    class W:
        pass

    x = W()
    x.item, x.version, x.firm, x.stranger = v.item, v, firm, stranger
    x.member, x.outsider = make_user("enterprise", enterprise=firm), make_user("enterprise", enterprise=stranger)
    x.clerk, x.head = make_user("handler", department=dept), make_user("dept_head", department=dept)
    x.other_clerk = make_user("handler", department=other)
    return x


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=ZONE)


def test_the_clock_starts_at_acceptance_and_a_special_procedure_moves_it(w):
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, at=at(2026, 2, 12))
    assert a.number.startswith("BJ-2026-") and len(a.number) == 14 and a.due_at is None
    a = services.application_accept(actor=w.clerk, application=a, at=at(2026, 2, 13))
    # 3 working days from Friday 13 February 2026: the make-up Saturday 14th, then 24 and 25 February
    assert a.due_at == at(2026, 2, 25, 17).replace(minute=30)
    assert a.statutory_due_at.date() > a.due_at.date()
    a = services.application_suspend(actor=w.clerk, application=a, reason="专家评审", on=date(2026, 2, 24))
    a = services.application_resume(actor=w.clerk, application=a, on=date(2026, 2, 26))  # 25th and 26th
    assert a.paused_workdays == 2 and a.due_at.date() == date(2026, 2, 27)
    a = services.application_approve(actor=w.head, application=a, licence_number="JY12201740000001")
    a = services.application_deliver(actor=w.clerk, application=a, delivery="post", tracking_number="SF1234567890")
    assert a.status == "delivered"
    assert list(ApplicationEvent.objects.filter(application=a).values_list("action", flat=True)) == [
        f"applications.application.{n}" for n in ("submitted", "accepted", "suspended", "resumed", "approved",
                                                    "delivered")]


def test_corrections_are_asked_for_once_before_the_clock_starts(w):
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm)
    a = services.application_request_correction(actor=w.clerk, application=a, correction="补充经营场所平面图")
    assert a.status == "correction" and a.accepted_at is None
    a = services.application_resubmit(actor=w.member, application=a, note="已补充")
    with pytest.raises(ValidationError) as exc:
        services.application_request_correction(actor=w.clerk, application=a, correction="再补一份")
    assert "correction" in exc.value.message_dict
    a = services.application_refuse(actor=w.clerk, application=a, reason="不符合受理条件")
    assert a.status == "refused"
    with pytest.raises(IllegalTransition):
        services.application_accept(actor=w.clerk, application=a)


def test_a_missing_secondary_material_is_accepted_and_must_be_supplied_before_approval(w):
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm)
    with pytest.raises(ValidationError):  # a required material cannot be missing
        services.application_accept(actor=w.clerk, application=a, missing="申请书")
    a = services.application_accept(actor=w.clerk, application=a, missing="食品安全管理制度")
    assert a.missing == ["食品安全管理制度"] and a.accepted_at < a.missing_due <= a.due_at
    with pytest.raises(IllegalTransition):  # the action's condition: nothing is missing
        services.application_approve(actor=w.head, application=a, licence_number="JY1")
    a = services.application_supply(actor=w.member, application=a)
    assert services.application_approve(actor=w.head, application=a, licence_number="JY1").status == "approved"


@pytest.mark.parametrize("how", ["class_d", "black_list"])
def test_no_missing_material_for_a_firm_in_class_d_or_on_the_black_list(w, how, make_user):
    from yingshang.credit import services as credit
    from yingshang.credit.models import Standing

    credit.defaults_ensure()
    if how == "class_d":  # the standing as the credit app keeps it (its scoring is tested there)
        Standing.objects.create(enterprise=w.firm, grade="D", score=40, ruleset=credit.active_ruleset(),
                                since=date.today(), computed_on=date.today())
    else:
        credit.list_add(actor=make_user("admin"), enterprise=w.firm, kind="black", basis="联合惩戒")
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm)
    with pytest.raises(ValidationError) as exc:
        services.application_accept(actor=w.clerk, application=a, missing="食品安全管理制度")
    assert "missing" in exc.value.message_dict
    assert services.application_accept(actor=w.clerk, application=a).status == "review"  # all materials: fine


def test_who_may_act_on_an_application(w):
    with pytest.raises(PermissionDenied):  # another firm's staff cannot apply for this one
        services.application_submit(actor=w.outsider, item=w.item, enterprise=w.firm)
    counter = services.application_submit(actor=w.clerk, item=w.item, enterprise=w.firm, channel="window", visits=1)
    assert counter.channel == "window"
    for actor in (w.outsider, w.member, w.other_clerk):
        with pytest.raises(PermissionDenied):
            services.application_accept(actor=actor, application=counter)
    services.application_accept(actor=w.clerk, application=counter)
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=w.other_clerk, application=counter, licence_number="X")


def test_a_commitment_only_where_allowed_and_never_from_a_seriously_dishonest_firm(w):
    from yingshang.credit import services as credit

    credit.defaults_ensure()
    assert services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, commitment=True).commitment
    credit.record_create(actor=None, enterprise=w.firm, kind="serious_dishonest", decision_number="严失〔2026〕1号",
                         decided_on=date.today(), description="提交虚假材料", department=w.version.department)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, commitment=True)
    assert "commitment" in exc.value.message_dict


def test_numbers_follow_the_zones_year(w):
    """Shortly after midnight on 1 January in the zone it is still 31 December in UTC: the number is the new year's."""
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, at=at(2027, 1, 1, 0))
    b = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, at=at(2026, 12, 31, 23))
    assert a.number == "BJ-2027-000001" and b.number == "BJ-2026-000001"
