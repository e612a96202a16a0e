"""Deadlines on the official calendar: National Day 2025, Spring Festival 2026, suspension, extension,
urgent hours, provisional years and their recomputation."""

from datetime import datetime

import pytest

from yingshang.core.actions import IllegalTransition

from yingshang.core import services as core_services
from yingshang.tickets import services
from yingshang.tickets.models import SupervisionNotice

from .conftest import SH


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def dispatched(world, when, urgency="normal"):
    t = services.ticket_register(actor=world.member, enterprise=world.firm, category=world.category, title="停电",
                                 description="厂区停电", urgency=urgency, at=at(when))
    return services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept, at=at(when))


@pytest.mark.django_db
def test_deadlines_across_national_day_2025(world):
    t = dispatched(world, "2025-09-30 10:00")
    assert t.accept_due == at("2025-10-09 17:30")    # 1 working day: the holiday is 1–8 October
    assert t.respond_due == at("2025-10-10 17:30")
    assert t.resolve_due == at("2025-10-21 17:30")   # 10 working days, the make-up Saturday 11 October counts
    assert t.next_due == t.accept_due and not t.dues_provisional


@pytest.mark.django_db
def test_deadlines_across_the_2026_spring_festival(world):
    t = dispatched(world, "2026-02-13 15:00")
    assert t.accept_due == at("2026-02-14 17:30")    # the make-up Saturday before the festival
    assert t.respond_due == at("2026-02-24 17:30")
    assert t.resolve_due == at("2026-03-05 17:30")   # 28 February (make-up Saturday) counts


@pytest.mark.django_db
def test_suspension_stops_the_clock(world):
    t = dispatched(world, "2026-02-13 15:00")
    services.ticket_accept(actor=world.handler, ticket=t, at=at("2026-02-14 09:00"))
    services.ticket_suspend(actor=world.handler, ticket=t, reason="等企业补充材料", at=at("2026-02-24 10:00"))
    t.refresh_from_db()
    assert t.status == "suspended" and t.next_due is None   # nothing runs while suspended
    t = services.ticket_resume(actor=world.member, ticket=t, note="材料已补充", at=at("2026-02-27 11:00"))
    assert t.extra_workdays == 3                             # 25, 26, 27 February
    assert t.resolve_due == at("2026-03-10 17:30")           # 10 + 3 working days after 13 February
    assert t.events.get(action="tickets.ticket.resumed").data["stopped_workdays"] == 3


@pytest.mark.django_db
def test_an_approved_extension_moves_the_resolve_deadline(world):
    t = dispatched(world, "2025-09-30 10:00")
    services.ticket_accept(actor=world.handler, ticket=t, at=at("2025-10-09 09:00"))
    services.extension_request(actor=world.handler, ticket=t, workdays=5, reason="需要公示")
    with pytest.raises(IllegalTransition):  # one at a time
        services.extension_request(actor=world.handler, ticket=t, workdays=3, reason="再来一次")
    ext = services.extension_decide(actor=world.head, ticket=t, approve=True)
    t.refresh_from_db()
    assert ext.status == "approved" and t.extension_count == 1
    assert t.resolve_due == at("2025-10-28 17:30")


@pytest.mark.django_db
def test_a_rejected_extension_changes_no_deadline(world):
    t = dispatched(world, "2025-09-30 10:00")
    services.ticket_accept(actor=world.handler, ticket=t)
    services.extension_request(actor=world.handler, ticket=t, workdays=5, reason="需要公示")
    services.extension_decide(actor=world.dispatcher, ticket=t, approve=False, note="请按期办结")
    t.refresh_from_db()
    assert t.resolve_due == at("2025-10-21 17:30") and t.extension_count == 0


@pytest.mark.django_db
def test_urgent_problems_count_in_hours(world):
    t = dispatched(world, "2026-02-13 15:00", urgency="urgent")
    assert (t.accept_due, t.respond_due, t.resolve_due) == (
        at("2026-02-13 17:00"), at("2026-02-13 19:00"), at("2026-02-15 15:00"))


@pytest.mark.django_db
def test_provisional_deadlines_are_recomputed_when_the_year_is_imported(world, django_capture_on_commit_callbacks):
    t = dispatched(world, "2026-12-24 10:00")
    assert t.dues_provisional
    assert t.resolve_due == at("2027-01-07 17:30")           # weekday rule: 1 January 2027 counted as working
    with django_capture_on_commit_callbacks(execute=True):
        core_services.calendar_import(actor=None, data="date,kind,name\n2027-01-01,holiday,元旦\n".encode(),
                                      filename="2027.csv")
    t.refresh_from_db()
    assert not t.dues_provisional
    assert t.resolve_due == at("2027-01-08 17:30")
    assert t.events.filter(action="tickets.ticket.deadlines_recomputed").exists()


@pytest.mark.django_db
def test_sweep_warns_then_supervises_then_escalates_exactly_once(world, django_capture_on_commit_callbacks):
    from yingshang.core.models import Notification

    t = dispatched(world, "2026-03-02 09:00")                # accept by 3 March 17:30
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tickets_sweep(now=at("2026-03-02 10:00")) == {"warnings": 0, "overdue": 0, "escalated": 0,
                                                                       "callbacks": 0}
        first = services.tickets_sweep(now=at("2026-03-03 09:00"))
        again = services.tickets_sweep(now=at("2026-03-03 09:30"))
        assert (first["warnings"], again["warnings"]) == (1, 0)
        assert services.tickets_sweep(now=at("2026-03-04 09:00"))["overdue"] == 1
        late = services.tickets_sweep(now=at("2026-03-06 09:00"))
        assert (late["overdue"], late["escalated"]) == (0, 1)
        assert services.tickets_sweep(now=at("2026-03-09 09:00")) == {"warnings": 0, "overdue": 0, "escalated": 0,
                                                                       "callbacks": 0}
    kinds = sorted(SupervisionNotice.objects.filter(ticket=t).values_list("kind", "level"))
    assert kinds == [("overdue", 1), ("overdue", 2), ("warning", 1)]
    t.refresh_from_db()
    assert t.supervision_level == 2
    assert Notification.objects.filter(recipient=world.leader, title__contains=t.number).count() == 1
    assert Notification.objects.filter(recipient=world.head, title__contains=t.number).count() >= 1


@pytest.mark.django_db
def test_unconfirmed_answers_go_to_the_steward_for_a_call_back(world, django_capture_on_commit_callbacks):
    from yingshang.core.models import Notification

    t = world.ticket("resolved", at=at("2026-03-02 10:00"))
    assert t.confirm_due == at("2026-03-09 17:30")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tickets_sweep(now=at("2026-03-09 12:00"))["callbacks"] == 0
        assert services.tickets_sweep(now=at("2026-03-10 09:00"))["callbacks"] == 1
        assert services.tickets_sweep(now=at("2026-03-11 09:00"))["callbacks"] == 0
    t.refresh_from_db()
    assert t.callback_due and t.status == "resolved"         # no silent auto-close
    assert Notification.objects.filter(recipient=world.steward, title__contains=t.number).exists()
    t = services.callback_record(actor=world.steward, ticket=t, rating="satisfied", comment="电话回访满意")
    assert t.status == "closed" and not t.callback_due


@pytest.mark.django_db
def test_the_sweep_command(world, capsys):
    from django.core.management import call_command

    dispatched(world, "2025-09-30 10:00")
    call_command("sweep")
    call_command("sweep")
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("tickets:")]
    assert "1 overdue" in out[0] and "1 escalated" in out[0]
    assert "0 overdue" in out[1]


def test_lights():
    from yingshang.core.workdays import SpecialDay, WorkCalendar
    from yingshang.tickets.sla import light

    cal = WorkCalendar([SpecialDay(datetime(2030, 1, 1).date(), "holiday")], covered_years=[2030])
    now = at("2030-01-07 10:00")  # Monday
    assert light(cal, None, now) == ""
    assert light(cal, at("2030-01-07 09:00"), now) == "red"
    assert light(cal, at("2030-01-08 09:59"), now) == "yellow"  # within one working day from now
    assert light(cal, at("2030-01-08 10:01"), now) == "green"
    friday = at("2030-01-11 16:00")
    assert light(cal, at("2030-01-14 15:00"), friday) == "yellow"  # the weekend does not count
