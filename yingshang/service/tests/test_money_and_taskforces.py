"""免申即享 payout lists, applications, 银企对接 (consent before any bank access) and task forces, through the
services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yingshang.core.actions import IllegalTransition
from yingshang.core.models import Notification
from yingshang.service import selectors, services
from yingshang.service.models import Application, Bank, BankAccess, BankMember, Event, Match, Payout
from yingshang.tickets import services as tickets
from yingshang.tickets.selectors import tickets_visible_to

TODAY = timezone.localdate


# --- 免申即享 -------------------------------------------------------------------------------------------------

def test_a_payout_list_is_prepared_approved_by_another_and_paid_line_by_line(world, make_user):
    w = world
    p = w.policy({"all": [{"attr": "size", "op": "in", "value": ["small"]}]}, automatic=True, amount=100000)
    clerk = w.handler
    po = services.payout_prepare(actor=clerk, policy=p)
    assert po.status == "prepared" and po.total == Decimal(200000)
    assert set(po.lines.values_list("enterprise_id", flat=True)) == {w.firm.pk, w.far_firm.pk}
    with pytest.raises(ValidationError):  # nobody new qualifies: no second list of the same firms
        services.payout_prepare(actor=clerk, policy=p)
    line = po.lines.get(enterprise=w.firm)
    with pytest.raises(IllegalTransition):  # not approved yet
        services.payout_pay(actor=clerk, line=line, voucher="PZ-1", paid_on=TODAY())
    with pytest.raises(PermissionDenied):  # a handler does not approve
        services.payout_approve(actor=clerk, payout=po)
    other_head = make_user("dept_head")  # of another department
    with pytest.raises(PermissionDenied):
        services.payout_approve(actor=other_head, payout=po)
    po = services.payout_approve(actor=w.head, payout=po)
    assert po.status == "approved"
    assert Notification.objects.filter(recipient=w.member, event="grants.payout.approved").exists()
    for ln in po.lines.all():
        services.payout_pay(actor=clerk, line=ln, voucher=f"PZ-{ln.pk}", paid_on=TODAY())
    po.refresh_from_db()
    assert po.status == "paid"
    with pytest.raises(IllegalTransition):
        services.payout_pay(actor=clerk, line=line, voucher="again", paid_on=TODAY())


def test_the_preparer_does_not_approve_and_only_automatic_policies_have_lists(world):
    w = world
    p = w.policy(automatic=True, amount=1000)
    po = services.payout_prepare(actor=w.head, policy=p)
    with pytest.raises(ValidationError):
        services.payout_approve(actor=w.head, payout=po)
    assert Payout.objects.get().status == "prepared"
    with pytest.raises(ValidationError):
        services.payout_prepare(actor=w.head, policy=w.policy(title="需申报"))
    with pytest.raises(PermissionDenied):
        services.payout_prepare(actor=w.steward, policy=p)


# --- applications -----------------------------------------------------------------------------------------

def test_an_application_runs_its_course_within_the_limit(world):
    w = world
    p = w.policy({"all": [{"attr": "size", "op": "in", "value": ["small"]}]}, amount=300000, pay_within=60)
    a = services.application_submit(actor=w.member, policy=p, enterprise=w.firm, statement="申请研发补助",
                                     amount_requested=Decimal(200000))
    assert a.number.startswith("SB-") and a.due_at > timezone.now() + timedelta(days=60)
    with pytest.raises(ValidationError):  # one at a time
        services.application_submit(actor=w.member, policy=p, enterprise=w.firm, statement="再申请",
                                    amount_requested=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=w.handler, application=a, amount_granted=1)
    services.application_accept(actor=w.handler, application=a)
    with pytest.raises(ValidationError):
        services.application_approve(actor=w.head, application=a, amount_granted=250000)  # more than asked
    services.application_approve(actor=w.head, application=a, amount_granted=180000)
    a = services.application_pay(actor=w.handler, application=a, voucher="PZ-88", paid_on=TODAY())
    assert (a.status, a.amount_granted, a.voucher) == ("paid", Decimal(180000), "PZ-88")
    assert Notification.objects.filter(recipient=w.member, event="grants.application.paid").exists()
    with pytest.raises(IllegalTransition):
        services.application_deny(actor=w.head, application=a, reason="x")


def test_an_application_is_refused_when_the_firm_does_not_qualify_saying_why(world):
    w = world
    p = w.policy({"all": [{"attr": "key", "op": "is", "value": True}]})
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=w.member, policy=p, enterprise=w.firm, statement="s",
                                    amount_requested=Decimal(1))
    assert "key enterprise" in " ".join(exc.value.messages) or "重点企业" in " ".join(exc.value.messages)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=w.other_member, policy=p, enterprise=w.firm, statement="s",
                                    amount_requested=Decimal(1))
    closed = w.policy(title="窗口已关", window_closes=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.application_submit(actor=w.member, policy=closed, enterprise=w.firm, statement="s",
                                    amount_requested=Decimal(1))
    assert not Application.objects.exists()


def test_the_sweep_tells_the_department_once_of_an_unpaid_application(world):
    w = world
    p = w.policy(pay_within=1)
    a = services.application_submit(actor=w.member, policy=p, enterprise=w.firm, statement="s",
                                    amount_requested=Decimal(1))
    later = a.due_at + timedelta(hours=1)
    assert services.applications_sweep(now=later) == 1
    assert services.applications_sweep(now=later) == 0
    assert Notification.objects.filter(recipient=w.head, event="grants.application.overdue").count() == 1
    assert Event.objects.get(application=a, action="grants.application.overdue").public is False


# --- 银企对接 ------------------------------------------------------------------------------------------------------

@pytest.fixture
def bank(world, make_user):
    b = Bank.objects.create(name="中国工商银行长春汽车厂支行", short_name="工行汽车厂支行")
    officer = make_user("bank")
    BankMember.objects.create(user=officer, bank=b)
    other = Bank.objects.create(name="吉林银行长春分行")
    other_officer = make_user("bank")
    BankMember.objects.create(user=other_officer, bank=other)
    return b, officer, other, other_officer


def _product(w, b, **kw):
    values = {"bank": b, "name": "科技贷", "rate_min": "3.45", "rate_max": "4.2", "term_months": 36,
              "amount_max": 5_000_000, "conditions": {"all": [{"attr": "size", "op": "in", "value": ["small"]}]}}
    values.update(kw)
    return services.product_save(actor=w.leader, **values)


def test_financing_consent_comes_before_any_bank_access(world, bank):
    w = world
    b, officer, other, other_officer = bank
    _product(w, b)
    _product(w, other, name="大额贷", amount_min=10_000_000, amount_max=50_000_000)  # too big for this need
    need = services.need_register(actor=w.member, enterprise=w.firm, amount=2_000_000, term_months=12,
                                  purpose="购置焊装设备", collateral="设备抵押")
    (m,) = services.matches_suggest(actor=w.leader, need=need)
    assert m.product.bank == b
    assert Notification.objects.filter(recipient=w.member, event="financing.match.suggested").exists()
    # before the firm consents, the bank sees nothing and reads nothing
    assert not selectors.needs_visible_to(officer).exists()
    with pytest.raises(PermissionDenied):
        services.bank_read_file(actor=officer, enterprise=w.firm)
    assert not BankAccess.objects.exists()
    with pytest.raises(PermissionDenied):  # the consent is the firm's to give
        services.consent_grant(actor=w.steward, enterprise=w.firm, bank=b)
    services.consent_grant(actor=w.member, enterprise=w.firm, bank=b)
    assert list(selectors.needs_visible_to(officer)) == [need]
    assert not selectors.needs_visible_to(other_officer).exists()  # another bank: still nothing
    services.bank_read_file(actor=officer, enterprise=w.firm, what="credit")
    assert BankAccess.objects.get().user == officer
    with pytest.raises(PermissionDenied):
        services.bank_read_file(actor=other_officer, enterprise=w.firm)
    # worked to a loan by the bank
    for step in ("match_contact", "match_diligence", "match_approve"):
        m = getattr(services, step)(actor=officer, match=m)
    with pytest.raises(PermissionDenied):
        services.match_lend(actor=other_officer, match=m, amount_lent=1_000_000, lent_on=TODAY())
    m = services.match_lend(actor=officer, match=m, amount_lent=1_500_000, lent_on=TODAY())
    need.refresh_from_db()
    assert (m.status, need.status) == ("lent", "lent")
    figures = selectors.financing_figures()
    assert (figures["registered"], figures["matched"], figures["lent"], figures["amount_lent"]) == \
        (1, 1, 1, Decimal(1_500_000))
    # revoked: the bank sees nothing again
    services.consent_revoke(actor=w.member, enterprise=w.firm, bank=b)
    assert not selectors.needs_visible_to(officer).exists()


def test_a_declined_match_says_why_and_illegal_steps_are_refused(world, bank):
    w = world
    b, officer, *_ = bank
    _product(w, b)
    need = services.need_register(actor=w.steward, enterprise=w.firm, amount=1_000_000, term_months=6,
                                  purpose="流动资金")
    (m,) = services.matches_suggest(actor=w.leader, need=need)
    with pytest.raises(IllegalTransition):
        services.match_lend(actor=w.leader, match=m, amount_lent=1, lent_on=TODAY())
    m = services.match_decline(actor=w.leader, match=m, reason="企业负债率偏高")
    assert m.reason == "企业负债率偏高" and Match.objects.get().status == "declined"
    with pytest.raises(PermissionDenied):
        services.need_register(actor=w.other_member, enterprise=w.firm, amount=1, term_months=1, purpose="x")
    for bad in ({"amount": "abc"}, {"term_months": 0}, {"purpose": ""}, {"amount": 10**13}):
        values = {"amount": 1000, "term_months": 12, "purpose": "p"} | bad
        with pytest.raises(ValidationError):
            services.need_register(actor=w.member, enterprise=w.firm, **values)


# --- 专班 ----------------------------------------------------------------------------------------------------------

def test_a_task_force_receives_problems_as_a_department_with_limits_in_hours(world, make_user):
    w = world
    dispatcher = make_user("dispatcher")
    steward_member = make_user("steward")  # any member acts for it, whatever their own role
    tf = services.taskforce_create(actor=w.leader, name="配件供应专班", lead=w.leader, starts_on=TODAY(),
                                   accept_hours=1, respond_hours=2, resolve_hours=12, members=[w.handler,
                                                                                               steward_member])
    assert tf.department.kind == "taskforce"
    t = tickets.ticket_register(actor=w.member, enterprise=w.firm, category=w.category, title="缸体铸件断供",
                                description="二级供应商停产", urgency="urgent")
    t = tickets.ticket_dispatch(actor=dispatcher, ticket=t, lead_department=tf.department)
    assert t.sla_unit == "hours" and (t.sla_accept, t.sla_resolve) == (1, 12)
    assert t.accept_due - t.dispatched_at <= timedelta(hours=1, minutes=1)
    # a steward seconded to it accepts and answers as the task force
    t = tickets.ticket_accept(actor=steward_member, ticket=t)
    assert t.status == "in_progress"
    assert tickets_visible_to(steward_member).filter(pk=t.pk).exists()
    outsider = make_user("handler")
    with pytest.raises(PermissionDenied):
        tickets.ticket_respond(actor=outsider, ticket=t, note="越权")
    # stood down: members no longer act for it, new problems get ordinary limits
    services.taskforce_close(actor=w.leader, taskforce=tf)
    steward_member = type(steward_member).objects.get(pk=steward_member.pk)  # a new request
    with pytest.raises(PermissionDenied):
        tickets.ticket_respond(actor=steward_member, ticket=t, note="已协调")
    other = tickets.ticket_register(actor=w.member, enterprise=w.firm, category=w.category, title="另一个问题",
                                    description="d")
    tf.department.refresh_from_db()
    with pytest.raises(ValidationError):  # its department takes no more problems
        tickets.ticket_dispatch(actor=dispatcher, ticket=other, lead_department=tf.department)


def test_task_force_rules(world, make_user):
    w = world
    with pytest.raises(PermissionDenied):
        services.taskforce_create(actor=w.head, name="x", lead=w.leader, starts_on=TODAY())
    with pytest.raises(ValidationError):
        services.taskforce_create(actor=w.leader, name="x", lead=w.handler, starts_on=TODAY())
    with pytest.raises(ValidationError):
        services.taskforce_create(actor=w.leader, name="x", lead=w.leader, starts_on=TODAY(), accept_hours=10,
                                  resolve_hours=5)
    with pytest.raises(ValidationError):
        services.taskforce_create(actor=w.leader, name="x", lead=w.leader, starts_on=TODAY(), members=[w.member])
    hq = services.taskforce_create(actor=w.leader, name="疫情防控指挥部", lead=w.leader, starts_on=TODAY())
    group = services.taskforce_create(actor=w.leader, name="物流保通专班", lead=w.leader, starts_on=TODAY(), parent=hq,
                                      members=[w.handler])
    with pytest.raises(ValidationError):  # its groups first
        services.taskforce_close(actor=w.leader, taskforce=hq)
    services.taskforce_members_set(actor=w.leader, taskforce=group, members=[w.head])
    assert {s.user for s in selectors.taskforce_members(group)} == {w.head, w.leader}
    with pytest.raises(PermissionDenied):
        services.taskforce_members_set(actor=w.head, taskforce=group, members=[])


def test_the_supply_list_is_updated_daily_and_the_brief_counts_it(world):
    w = world
    tf = services.taskforce_create(actor=w.leader, name="配件供应专班", lead=w.leader, starts_on=TODAY(),
                                   members=[w.handler])
    a = services.supply_add(actor=w.handler, taskforce=tf, enterprise=w.firm, supplies="缸体铸件 → 一汽解放")
    services.supply_add(actor=w.handler, taskforce=tf, enterprise=w.other_firm)
    with pytest.raises(ValidationError):  # at risk says why
        services.supply_update(actor=w.handler, watch=a, status="at_risk", note="")
    services.supply_update(actor=w.handler, watch=a, status="stopped", note="原材料断供，预计停产 2 天")
    with pytest.raises(PermissionDenied):
        services.supply_update(actor=w.steward, watch=a, status="normal")
    brief = selectors.taskforce_brief(tf, TODAY())
    assert brief["supply"] == {"normal": 1, "at_risk": 0, "stopped": 1}
    assert [x.enterprise for x in brief["attention"]] == [w.firm]
    assert len(brief["updates"]) == 1
