"""Every action × role: allowed or refused, table-driven. A refused action changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.tickets import services, workflow
from yingshang.tickets.models import Ticket, TicketEvent

ROLES = ["member", "other_member", "steward", "dispatcher", "handler", "head", "co_handler", "other_handler",
         "leader", "supervisor", "inspector", "admin"]


def call(w, action, actor, t):
    if action == "dispatch":
        return services.dispatch_ticket(actor=actor, ticket=t, lead_department=w.dept)
    if action == "accept":
        return services.accept_ticket(actor=actor, ticket=t)
    if action == "return":
        return services.return_ticket(actor=actor, ticket=t, reason="不属于本部门")
    if action == "respond":
        return services.respond_ticket(actor=actor, ticket=t, note="正在办理")
    if action == "suspend":
        return services.suspend_ticket(actor=actor, ticket=t, reason="等企业材料")
    if action == "resume":
        return services.resume_ticket(actor=actor, ticket=t)
    if action == "request_extension":
        return services.request_extension(actor=actor, ticket=t, workdays=5, reason="需要公示")
    if action == "resolve":
        return services.resolve_ticket(actor=actor, ticket=t, answer="已解决", outcome="solved")
    if action == "confirm":
        return services.confirm_ticket(actor=actor, ticket=t, rating="satisfied")
    if action == "callback":
        return services.record_callback(actor=actor, ticket=t, rating="basic", comment="电话回访")
    if action == "withdraw":
        return services.withdraw_ticket(actor=actor, ticket=t, reason="已自行解决")
    if action == "take_charge":
        return services.take_charge(actor=actor, ticket=t)
    if action == "instruct":
        return services.instruct_ticket(actor=actor, ticket=t, instruction="抓紧办理")
    if action == "supervise":
        return services.supervise_ticket(actor=actor, ticket=t, note="三日内办结")
    raise AssertionError(action)


# action → (state the ticket is in, roles allowed)
TABLE = {
    "dispatch": ("registered", {"dispatcher", "admin"}),
    "accept": ("dispatched", {"handler", "head"}),
    "return": ("dispatched", {"handler", "head"}),
    "respond": ("in_progress", {"handler", "head", "co_handler"}),
    "suspend": ("in_progress", {"handler", "head"}),
    "resume": ("suspended", {"handler", "head", "member"}),
    "request_extension": ("in_progress", {"handler", "head"}),
    "resolve": ("in_progress", {"handler", "head"}),
    "confirm": ("resolved", {"member"}),
    "callback": ("resolved", {"steward", "dispatcher", "admin"}),
    "withdraw": ("in_progress", {"member", "steward"}),
    "take_charge": ("in_progress", {"leader"}),
    "instruct": ("in_progress", {"leader"}),
    "supervise": ("in_progress", {"leader", "supervisor"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(TABLE))
def test_action_by_role(world, action, role):
    state, allowed = TABLE[action]
    t = world.ticket(state)
    before = (Ticket.objects.filter(pk=t.pk).values().get(), TicketEvent.objects.count())
    actor = getattr(world, role)
    if role in allowed:
        call(world, action, actor, t)
        assert TicketEvent.objects.count() > before[1]
    else:
        with pytest.raises(PermissionDenied):
            call(world, action, actor, t)
        assert (Ticket.objects.filter(pk=t.pk).values().get(), TicketEvent.objects.count()) == before


# Illegal state changes: refused with IllegalTransition whoever asks, nothing written.
ILLEGAL = [
    ("accept", "registered"), ("accept", "in_progress"), ("resolve", "dispatched"), ("resolve", "resolved"),
    ("confirm", "in_progress"), ("confirm", "closed"), ("withdraw", "resolved"), ("withdraw", "closed"),
    ("return", "in_progress"), ("respond", "dispatched"), ("resume", "in_progress"), ("suspend", "suspended"),
    ("dispatch", "closed"), ("take_charge", "closed"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("action,state", ILLEGAL)
def test_illegal_transitions_change_nothing(world, action, state):
    t = world.ticket(state)
    before = (Ticket.objects.filter(pk=t.pk).values().get(), TicketEvent.objects.count())
    actor = {"accept": world.handler, "resolve": world.handler, "confirm": world.member, "withdraw": world.member,
             "return": world.handler, "respond": world.handler, "resume": world.handler, "suspend": world.handler,
             "dispatch": world.dispatcher, "take_charge": world.leader}[action]
    with pytest.raises(workflow.IllegalTransition):
        call(world, action, actor, t)
    assert (Ticket.objects.filter(pk=t.pk).values().get(), TicketEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_whole_life_of_a_problem(world):
    t = world.ticket("registered")
    assert t.number.startswith("QS-2026-") and len(t.number) == len("QS-2026-000001")
    t = services.dispatch_ticket(actor=world.dispatcher, ticket=t, lead_department=world.dept)
    t = services.return_ticket(actor=world.handler, ticket=t, reason="应由其他部门办理")
    assert (t.status, t.return_count, t.next_due) == ("registered", 1, None)
    t = services.dispatch_ticket(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                                 co_departments=[world.co_dept])
    t = services.accept_ticket(actor=world.handler, ticket=t)
    t = services.respond_ticket(actor=world.co_handler, ticket=t, note="协办部门已现场踏勘")
    assert t.first_response_at is not None and t.next_due == t.resolve_due
    t = services.resolve_ticket(actor=world.handler, ticket=t, answer="已完成迁改", outcome="solved")
    t = services.confirm_ticket(actor=world.member, ticket=t, rating="unsatisfied", comment="还有一段没迁")
    assert (t.status, t.redo_count) == ("in_progress", 1)
    t = services.resolve_ticket(actor=world.handler, ticket=t, answer="剩余线路已迁改", outcome="solved")
    t = services.confirm_ticket(actor=world.member, ticket=t, rating="satisfied")
    assert t.status == "closed" and t.closed_at is not None
    actions = list(t.events.values_list("action", flat=True))
    assert actions == ["registered", "dispatched", "returned", "dispatched", "accepted", "responded", "resolved",
                       "confirmed", "resolved", "confirmed"]
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
    services.merge_ticket(actor=world.dispatcher, ticket=a, into=b, note="同一事项")
    a.refresh_from_db()
    assert a.status == "merged" and a.merged_into == b
    assert b.events.filter(action="merged_in").exists()
    with pytest.raises(Exception):
        services.merge_ticket(actor=world.dispatcher, ticket=world.ticket(), into=a)
    t = services.take_charge(actor=world.leader, ticket=b, note="我来包保")
    assert t.leader_in_charge and t.leader == world.leader
    notice = services.supervise_ticket(actor=world.supervisor, ticket=b, note="限期办结")
    assert notice.kind == "manual" and notice.department == world.dept


@pytest.mark.django_db
def test_a_firm_cannot_raise_for_another_firm(world):
    from yingshang.tickets.models import Category

    with pytest.raises(PermissionDenied):
        services.register_ticket(actor=world.member, enterprise=world.other_firm, category=Category.objects.first(),
                                 title="x", description="y")
