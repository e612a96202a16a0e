"""Races: every state change two people can make at once, made at once. Exactly one wins; the other is told
the record moved on (409) and writes nothing — no lost update, no doubled event. PostgreSQL only (its row
locks are what is tested)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from yingshang.core.actions import IllegalTransition
from yingshang.tickets.actions import tickets as TABLE
from yingshang.tickets.models import Ticket, TicketEvent
from yingshang.tickets.tests.conftest import world  # noqa: F401 (the ledger's world)
from yingshang.tickets.tests.test_transitions import ALLOWED, bring, sample

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
              pytest.mark.django_db(transaction=True)]


def at_once(*calls):
    """Run the calls in threads released together; return what each ended with ("ok" or the exception)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            fn()
            results[i] = "ok"
        except Exception as exc:  # noqa: BLE001 — the outcome of each side is what is examined
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    return results


# Every action that moves a ticket to another state: two people it allows take it at the same moment.
STATE_CHANGES = sorted(a.name for a in TABLE if a.target is not None)


@pytest.mark.parametrize("name", STATE_CHANGES)
def test_two_people_taking_one_action_at_once(world, name):  # noqa: F811
    state, allowed = ALLOWED[name]
    t = bring(world, state)
    people = sorted(allowed)
    a, b = getattr(world, people[0]), getattr(world, people[-1])
    action = TABLE[name]
    data_a, data_b = sample(world, action, t), sample(world, action, t)
    events_before = TicketEvent.objects.filter(ticket=t).count()
    results = at_once(lambda: action.perform(a, Ticket.objects.get(pk=t.pk), data_a),
                      lambda: action.perform(b, Ticket.objects.get(pk=t.pk), data_b))
    wins = [r for r in results if r == "ok"]
    losses = [r for r in results if r != "ok"]
    assert len(wins) == 1, results
    # The loser is told the problem moved on (409) — or, re-dispatching to where the winner just sent it, that it is
    # already there (400).
    assert all(isinstance(r, (IllegalTransition, ValidationError)) for r in losses), results
    written = TicketEvent.objects.filter(ticket=t).count() - events_before
    assert written == 1
    assert Ticket.objects.get(pk=t.pk).status == action.target


def test_accept_and_return_at_once_one_wins(world):  # noqa: F811
    t = world.ticket("dispatched")
    results = at_once(lambda: TABLE["accept"].perform(world.handler, Ticket.objects.get(pk=t.pk), {"note": ""}),
                      lambda: TABLE["return"].perform(world.head, Ticket.objects.get(pk=t.pk), {"reason": "非本部门"}))
    assert sorted(r if r == "ok" else "conflict" for r in results) == ["conflict", "ok"]
    t.refresh_from_db()
    assert t.status in ("in_progress", "registered") and TicketEvent.objects.filter(
        ticket=t, action__in=["tickets.ticket.accepted", "tickets.ticket.returned"]).count() == 1


def test_the_firm_confirming_while_its_steward_records_the_call_back(world):  # noqa: F811
    t = world.ticket("resolved")
    Ticket.objects.filter(pk=t.pk).update(confirm_due=timezone.now() - timedelta(hours=1))
    results = at_once(lambda: TABLE["confirm"].perform(world.member, Ticket.objects.get(pk=t.pk),
                                                       {"rating": "satisfied", "comment": ""}),
                      lambda: TABLE["callback"].perform(world.steward, Ticket.objects.get(pk=t.pk),
                                                        {"rating": "basic", "comment": "电话回访"}))
    assert sorted(r if r == "ok" else "conflict" for r in results) == ["conflict", "ok"]
    assert Ticket.objects.get(pk=t.pk).status == "closed"


def test_two_departments_deciding_one_credit_objection(make_user, enterprise):
    from yingshang.credit import services
    from yingshang.credit.models import Event, Request
    from yingshang.directory.tests.factories import DepartmentFactory

    services.defaults_ensure()
    dept = DepartmentFactory()
    handler, head = make_user("handler", department=dept), make_user("dept_head", department=dept)
    member = make_user("enterprise", enterprise=enterprise)
    rec = services.record_create(actor=handler, enterprise=enterprise, kind="penalty", decision_number="罚1",
                                 decided_on=timezone.localdate(), description="处罚")
    services.objection_file(actor=member, record=rec, reason="已整改")
    results = at_once(lambda: services.request_decide(actor=handler, record=rec, approve=True, answer="撤销"),
                      lambda: services.request_decide(actor=head, record=rec, approve=False, answer="维持"))
    assert sorted(r if r == "ok" else "conflict" for r in results) == ["conflict", "ok"]
    assert Request.objects.get().status in ("approved", "rejected")
    assert Event.objects.filter(record=rec, action__startswith="credit.objection.u").count() + \
        Event.objects.filter(record=rec, action="credit.objection.rejected").count() == 1
