"""Races in 万人助万企: the same step taken twice at the same moment — a payment recorded, an application decided,
a visit confirmed, a firm's figures entered, a match worked. Exactly one wins, the other is told the record
moved on, nothing is written twice. PostgreSQL only (its row locks are what is tested)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from yingshang.core.actions import IllegalTransition
from yingshang.service import services
from yingshang.service.models import Event, Facts, Match, PayoutLine
from yingshang.service.tests.conftest import world  # noqa: F401 (the service's world)

from .test_races import at_once

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
              pytest.mark.django_db(transaction=True)]
MOVED_ON = (IllegalTransition, ValidationError, PermissionDenied)


def _one_won(results):
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert isinstance(next(r for r in results if r != "ok"), MOVED_ON), results


def test_one_payment_line_paid_twice_at_once(world):  # noqa: F811
    w = world
    p = w.policy(automatic=True, amount=1000)
    po = services.payout_approve(actor=w.head, payout=services.payout_prepare(actor=w.handler, policy=p))
    line = po.lines.first()
    results = at_once(lambda: services.payout_pay(actor=w.handler, line=line, voucher="A", paid_on=date.today()),
                      lambda: services.payout_pay(actor=w.head, line=line, voucher="B", paid_on=date.today()))
    _one_won(results)
    assert Event.objects.filter(payout=po, action="grants.payout.paid", data__line=line.pk).count() == 1
    assert PayoutLine.objects.get(pk=line.pk).voucher in ("A", "B")


def test_an_application_approved_and_denied_at_once(world):  # noqa: F811
    w = world
    p = w.policy(amount=1000)
    a = services.application_accept(actor=w.handler, application=services.application_submit(
        actor=w.member, policy=p, enterprise=w.firm, statement="s", amount_requested=Decimal(500)))
    results = at_once(lambda: services.application_approve(actor=w.head, application=a, amount_granted=400),
                      lambda: services.application_deny(actor=w.head, application=a, reason="不符合"))
    _one_won(results)
    assert Event.objects.filter(application=a, action__in=["grants.application.approved",
                                                           "grants.application.denied"]).count() == 1


def test_a_visit_confirmed_twice_at_once(world, make_user):  # noqa: F811
    w = world
    second = make_user("enterprise", enterprise=w.firm)
    v = services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=date.today(), form="onsite",
                              discussion="走访")
    _one_won(at_once(lambda: services.visit_confirm(actor=w.member, visit=v),
                     lambda: services.visit_confirm(actor=second, visit=v)))
    assert Event.objects.filter(visit=v, action="service.visit.confirmed").count() == 1


def test_a_firms_figures_entered_by_two_at_once(world):  # noqa: F811
    w = world
    results = at_once(lambda: services.facts_set(actor=w.member, enterprise=w.firm, year=2025, headcount=10),
                      lambda: services.facts_set(actor=w.steward, enterprise=w.firm, year=2025, headcount=20))
    assert results == ["ok", "ok"]  # both are entries of the year's figures: the later one stands
    assert Facts.objects.filter(enterprise=w.firm, year=2025).count() == 1
    assert Facts.objects.get(enterprise=w.firm, year=2025).headcount in (10, 20)
    assert Event.objects.filter(enterprise=w.firm, action="service.facts.set").count() == 2


def test_a_match_lent_and_declined_at_once(world):  # noqa: F811
    from yingshang.service.models import Bank

    w = world
    bank = Bank.objects.create(name="测试银行")
    services.product_save(actor=w.leader, bank=bank, name="贷", rate_min=3, rate_max=4, term_months=12,
                          amount_max=10**7)
    need = services.need_register(actor=w.member, enterprise=w.firm, amount=10**6, term_months=12, purpose="p")
    (m,) = services.matches_suggest(actor=w.leader, need=need)
    for step in ("match_contact", "match_diligence", "match_approve"):
        m = getattr(services, step)(actor=w.leader, match=m)
    _one_won(at_once(lambda: services.match_lend(actor=w.leader, match=m, amount_lent=10**6, lent_on=date.today()),
                     lambda: services.match_decline(actor=w.head, match=m, reason="r")))
    assert Match.objects.get(pk=m.pk).status in ("lent", "declined")
    assert Event.objects.filter(need=need, action__in=["financing.match.lent", "financing.match.declined"]).count() == 1
