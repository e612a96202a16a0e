"""Every action of the ledger's table × every role, and every action × every state it may not start from.
The tests loop over ``actions.py``: a new action without an expectation here fails."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yingshang.core.actions import IllegalTransition
from yingshang.tickets import services
from yingshang.tickets.actions import tickets as TABLE
from yingshang.tickets.models import Extension, Ticket, TicketEvent

ROLES = ["member", "other_member", "steward", "dispatcher", "handler", "head", "co_handler", "other_handler",
         "leader", "supervisor", "inspector", "admin", "sender"]

# action → (the state the ticket is brought to, the roles that may take it)
ALLOWED = {
    "dispatch": ("registered", {"dispatcher", "admin"}),
    "redispatch": ("in_progress", {"dispatcher", "admin"}),
    "accept": ("dispatched", {"handler", "head"}),
    "return": ("dispatched", {"handler", "head"}),
    "respond": ("in_progress", {"handler", "head", "co_handler"}),
    "suspend": ("in_progress", {"handler", "head"}),
    "resume": ("suspended", {"handler", "head", "member"}),
    "request_extension": ("in_progress", {"handler", "head"}),
    "decide_extension": ("extension pending", {"dispatcher", "admin", "head"}),
    "resolve": ("in_progress", {"handler", "head"}),
    "confirm": ("resolved", {"member"}),
    "callback": ("call-back due", {"steward", "dispatcher", "admin"}),
    "withdraw": ("in_progress", {"member", "steward"}),
    "merge": ("in_progress", {"dispatcher", "admin"}),
    "take_charge": ("in_progress", {"leader"}),
    "instruct": ("in_progress", {"leader"}),
    "supervise": ("in_progress", {"leader", "supervisor"}),
    "urge": ("overdue", {"member"}),
    "sender_reject": ("answered, from the hotline", {"sender"}),
    "publish": ("in_progress", {"member"}),
    "unpublish": ("published", {"member"}),
}
STATES = ["registered", "dispatched", "in_progress", "suspended", "resolved", "closed"]


def sample(w, action, t) -> dict:
    """Inputs an action's fields accept, made from the kinds its table entry declares."""
    out = {}
    for f in action.fields:
        if f.kind in ("text", "line"):
            out[f.name] = "按要求办理"
        elif f.kind == "choice":
            out[f.name] = f.choice_list()[0][0]
        elif f.kind == "yesno":
            out[f.name] = True
        elif f.kind == "int":
            out[f.name] = f.min_value or 1
        elif f.kind == "department":
            out[f.name] = w.other_dept if t.lead_department_id == w.dept.pk else w.dept
        elif f.kind in ("departments", "files"):
            out[f.name] = []
    if action.name == "merge":
        out["into"] = w.ticket("in_progress").number
    return out


def bring(w, state):
    if state == "extension pending":
        t = w.ticket("in_progress")
        services.extension_request(actor=w.handler, ticket=t, workdays=3, reason="需要公示")
        return Ticket.objects.get(pk=t.pk)
    if state == "overdue":
        t = w.ticket("in_progress")
        Ticket.objects.filter(pk=t.pk).update(next_due=timezone.now() - timedelta(hours=1))
        return Ticket.objects.get(pk=t.pk)
    if state == "answered, from the hotline":
        return w.ticket("resolved", by=w.sender)
    if state == "published":
        return services.ticket_publish(actor=w.member, ticket=w.ticket("in_progress"))
    if state == "call-back due":
        t = w.ticket("resolved")
        Ticket.objects.filter(pk=t.pk).update(confirm_due=timezone.now() - timedelta(hours=1))
        return Ticket.objects.get(pk=t.pk)
    return w.ticket(state)


def snapshot(t):
    return Ticket.objects.filter(pk=t.pk).values().get(), TicketEvent.objects.count(), Extension.objects.count()


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(TABLE.actions)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_action_by_role(world, name, role):
    state, allowed = ALLOWED[name]
    action = TABLE[name]
    t = bring(world, state)
    actor = getattr(world, role)
    data = sample(world, action, t)
    before = snapshot(t)
    assert action.allowed(actor, t) == (role in allowed)
    if role in allowed:
        action.perform(actor, t, data)
        assert TicketEvent.objects.count() > before[1]
        written = set(TicketEvent.objects.filter(ticket=t).order_by("-pk").values_list("action", flat=True)[:1])
        assert written <= {action.event, *action.events}
    else:
        with pytest.raises(PermissionDenied):
            action.perform(actor, t, data)
        assert snapshot(t) == before


def _illegal():
    for a in TABLE:
        for state in STATES:
            if not a.possible_in(state):
                yield a.name, state


@pytest.mark.django_db
@pytest.mark.parametrize("name,state", list(_illegal()))
def test_illegal_transitions_change_nothing(world, name, state):
    """Each action from each state it may not start from is refused — 409 when the person may take it on
    this ticket (a ticket nobody was given to has no department that may accept it: 403) — and nothing is
    written."""
    action = TABLE[name]
    t = world.ticket(state)
    actor = getattr(world, sorted(ALLOWED[name][1])[0])
    data = sample(world, action, t)
    before = snapshot(t)
    with pytest.raises(IllegalTransition if action.allowed(actor, t) else PermissionDenied):
        action.perform(actor, t, data)
    assert snapshot(t) == before


@pytest.mark.django_db
def test_dispatch_never_becomes_a_redispatch(world):
    """Two dispatchers dispatching at once: the second is refused, the first department keeps the ticket."""
    t = world.ticket("registered")
    services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept)
    services.ticket_accept(actor=world.handler, ticket=t)
    with pytest.raises(IllegalTransition):
        services.ticket_dispatch(actor=world.admin, ticket=t, lead_department=world.other_dept)
    t.refresh_from_db()
    assert (t.status, t.lead_department_id, t.accepted_at is not None) == ("in_progress", world.dept.pk, True)


@pytest.mark.django_db
def test_redispatch_needs_its_reason_and_another_department(world):
    t = world.ticket("in_progress")
    with pytest.raises(ValidationError) as e:
        services.ticket_redispatch(actor=world.dispatcher, ticket=t, lead_department=world.other_dept, reason=" ")
    assert "reason" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.ticket_redispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept, reason="改派")
    assert "lead_department" in e.value.message_dict
    t = services.ticket_redispatch(actor=world.dispatcher, ticket=t, lead_department=world.other_dept,
                                   reason="属于其他部门职责")
    assert (t.status, t.lead_department, t.accepted_at) == ("dispatched", world.other_dept, None)
    ev = t.events.last()
    assert (ev.action, ev.internal_note, ev.note) == ("tickets.ticket.redispatched", "属于其他部门职责", "")


@pytest.mark.django_db
def test_dispatch_to_an_inactive_department_or_the_centre_is_refused(world):
    from yingshang.directory.models import Department
    from yingshang.directory.tests.factories import DepartmentFactory

    t = world.ticket("registered")
    for dept in (DepartmentFactory(active=False), DepartmentFactory(kind=Department.Kind.CENTRE)):
        with pytest.raises(ValidationError) as e:
            services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=dept)
        assert "lead_department" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                                 co_departments=[DepartmentFactory(active=False)])
    assert "co_departments" in e.value.message_dict
    assert Ticket.objects.get(pk=t.pk).status == "registered"


@pytest.mark.django_db
def test_the_whole_life_of_a_problem(world):
    t = world.ticket("registered")
    assert t.number.startswith("QS-2026-") and len(t.number) == len("QS-2026-000001")
    t = services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept)
    t = services.ticket_return(actor=world.handler, ticket=t, reason="应由其他部门办理")
    assert (t.status, t.return_count, t.next_due) == ("registered", 1, None)
    t = services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                                 co_departments=[world.co_dept])
    t = services.ticket_accept(actor=world.handler, ticket=t)
    t = services.ticket_respond(actor=world.co_handler, ticket=t, note="协办部门已现场踏勘")
    assert t.first_response_at is not None and t.next_due == t.resolve_due
    t = services.ticket_resolve(actor=world.handler, ticket=t, answer="已完成迁改", outcome="solved")
    t = services.ticket_confirm(actor=world.member, ticket=t, rating="unsatisfied", comment="还有一段没迁")
    assert (t.status, t.redo_count) == ("in_progress", 1)
    t = services.ticket_resolve(actor=world.handler, ticket=t, answer="剩余线路已迁改", outcome="solved")
    t = services.ticket_confirm(actor=world.member, ticket=t, rating="satisfied")
    assert t.status == "closed" and t.closed_at is not None
    actions = [a.removeprefix("tickets.ticket.") for a in t.events.values_list("action", flat=True)]
    assert actions == ["registered", "dispatched", "returned", "dispatched", "accepted", "responded", "resolved",
                       "reopened", "resolved", "confirmed"]
    assert [(e.from_status, e.to_status) for e in t.events.all()][:3] == [
        ("", "registered"), ("registered", "dispatched"), ("dispatched", "registered")]


@pytest.mark.django_db
def test_numbers_are_never_reused(world):
    numbers = [world.ticket().number for _ in range(3)]
    assert len(set(numbers)) == 3 and numbers == sorted(numbers)


@pytest.mark.django_db
def test_category_routing_dispatches_at_once(world):
    world.category.default_department = world.dept
    world.category.save()
    t = world.ticket()
    assert t.status == "dispatched" and t.lead_department == world.dept
    assert t.events.last().actor is None


@pytest.mark.django_db
def test_merge_and_leader_actions(world):
    a, b = world.ticket(), world.ticket("in_progress")
    services.ticket_merge(actor=world.dispatcher, ticket=a, into=b.number, note="同一事项")
    a.refresh_from_db()
    assert a.status == "merged" and a.merged_into == b
    assert b.events.filter(action="tickets.ticket.merged_in").exists()
    with pytest.raises(ValidationError) as e:  # into a problem that is no longer open
        services.ticket_merge(actor=world.dispatcher, ticket=world.ticket(), into=a)
    assert "into" in e.value.message_dict
    t = services.ticket_take_charge(actor=world.leader, ticket=b, note="我来包保")
    assert t.leader_in_charge and t.leader == world.leader
    notice = services.ticket_supervise(actor=world.supervisor, ticket=b, note="限期办结")
    assert notice.kind == "manual" and notice.department == world.dept


@pytest.mark.django_db
def test_merge_into_itself_another_firm_or_an_unknown_number_is_refused(world):
    from yingshang.tickets.models import Category

    t = world.ticket("in_progress")
    other = services.ticket_register(actor=world.other_member, enterprise=world.other_firm,
                                     category=Category.objects.filter(parent__isnull=False).first(), title="其他企业",
                                     description="另一家企业的问题")
    for into in (t, other, "QS-1999-000001", "not a number\x00"):
        before = snapshot(t)
        with pytest.raises(ValidationError) as e:
            services.ticket_merge(actor=world.dispatcher, ticket=t, into=into)
        assert "into" in e.value.message_dict
        assert snapshot(t) == before


@pytest.mark.django_db
def test_a_firm_cannot_raise_for_another_firm(world):
    from yingshang.tickets.models import Category

    with pytest.raises(PermissionDenied):
        services.ticket_register(actor=world.member, enterprise=world.other_firm, category=Category.objects.first(),
                                 title="x", description="y")


@pytest.mark.django_db
def test_the_firm_urges_once_per_working_day_after_the_deadline(world):
    t = world.ticket("in_progress")
    Ticket.objects.filter(pk=t.pk).update(next_due=timezone.now() + timedelta(days=2))
    with pytest.raises(IllegalTransition):  # not overdue yet
        services.ticket_urge(actor=world.member, ticket=t)
    Ticket.objects.filter(pk=t.pk).update(next_due=timezone.now() - timedelta(hours=1))
    t = services.ticket_urge(actor=world.member, ticket=t, note="请尽快处理")
    assert t.urge_count == 1 and t.events.last().action == "tickets.ticket.urged"
    with pytest.raises(IllegalTransition):  # once per working day
        services.ticket_urge(actor=world.member, ticket=t)
    from yingshang.core.models import Notification

    assert Notification.objects.filter(recipient=world.head, event="tickets.ticket.urged").exists()
    assert not Notification.objects.filter(recipient=world.handler, event="tickets.ticket.urged").exists()
