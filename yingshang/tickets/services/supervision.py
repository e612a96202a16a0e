"""Leaders and the supervision sweep: personal charge (包保), instructions (批示), supervision notices
(督办) by hand and by the sweep, call-backs asked for, deadlines recomputed when the calendar changes."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from yingshang.core import workdays

from .. import sla
from ..models import OPEN, SupervisionNotice, Ticket, next_due_field
from . import _common as c


@transaction.atomic
def ticket_take_charge(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """包保: a leader takes personal charge of the problem."""
    t, _target = c.begin(actor, ticket, "take_charge")
    note = c.text(note, "note", required=False)
    t.leader, t.leader_in_charge = actor, True
    t.save(update_fields=["leader", "leader_in_charge"])
    c.event("taken_in_charge", t, actor, frm=t.status, internal_note=note, at=at)
    return t


@transaction.atomic
def ticket_instruct(*, actor, ticket, instruction: str, at: datetime | None = None) -> Ticket:
    """批示: a leader's written instruction to the departments."""
    t, _target = c.begin(actor, ticket, "instruct")
    instruction = c.text(instruction, "instruction")
    c.event("instructed", t, actor, frm=t.status, internal_note=instruction, at=at)
    return t


@transaction.atomic
def ticket_supervise(*, actor, ticket, note: str, at: datetime | None = None) -> SupervisionNotice:
    """督办 by hand: a notice to the lead department's head (printable as a 督办单)."""
    t, _target = c.begin(actor, ticket, "supervise")
    note = c.text(note, "note")
    notice = SupervisionNotice.objects.create(ticket=t, kind=SupervisionNotice.Kind.MANUAL, issued_by=actor,
                                              department=t.lead_department, note=note, level=1,
                                              due_kind="", due_at=t.next_due)
    t.supervision_level = max(t.supervision_level, 1)
    t.save(update_fields=["supervision_level"])
    c.event("supervised", t, actor, frm=t.status, internal_note=note, at=at, data={"notice": notice.pk})
    return notice


@transaction.atomic
def ticket_urge(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """催办: the firm presses a department past its deadline (once per working day; counted; the head is told)."""
    from yingshang.core.actions import IllegalTransition

    from ..audiences import urge_open

    t, _target = c.begin(actor, ticket, "urge")
    at = c.now_or(at)
    if not urge_open(t, at):
        raise IllegalTransition("urge", "not overdue, or urged today")
    note = c.text(note, "note", required=False)
    t.urge_count += 1
    t.last_urged_at = at
    t.save(update_fields=["urge_count", "last_urged_at"])
    c.event("urged", t, actor, frm=t.status, note=note, department=t.lead_department, at=at,
            data={"count": t.urge_count})
    return t


# --- calendar changes -------------------------------------------------------------------------

def dues_recompute_provisional(years: list[int]) -> int:
    """After a calendar year is imported, deadlines computed on the weekday rule are computed again."""
    changed = 0
    ids = list(Ticket.objects.filter(dues_provisional=True, status__in=OPEN | {Ticket.Status.RESOLVED})
               .values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            t = c.lock(pk)
            before = (t.accept_due, t.respond_due, t.resolve_due, t.confirm_due)
            c.apply_dues(t)
            if (t.accept_due, t.respond_due, t.resolve_due, t.confirm_due) != before or not t.dues_provisional:
                t.save()
                c.event("deadlines_recomputed", t, None, frm=t.status,
                        data={"years": years, "resolve_due": t.resolve_due.isoformat() if t.resolve_due else None})
                changed += 1
    return changed


# --- supervision sweep ------------------------------------------------------------------------

ESCALATE_WORKDAYS = 2  # overdue this many working days more: the supervising leader is told too
DUE_KINDS = {"accept_due": "accept", "respond_due": "respond", "resolve_due": "resolve"}


def tickets_sweep(*, now: datetime | None = None) -> dict:
    """督办 sweep, safe to run again and from several servers at once: each warning and notice is a
    row under a unique constraint, so it is written — and its people told — exactly once.

    - a deadline within one working day: a warning to the lead department;
    - a deadline passed: a notice to the department head; ESCALATE_WORKDAYS working days later, one to
      the supervising leader;
    - an answer the firm has not confirmed in time: the steward is asked to call back (回访).
    """
    now = c.now_or(now)
    cal = workdays.get_calendar()
    horizon = sla.warn_horizon(cal, now)
    counts = {"warnings": 0, "overdue": 0, "escalated": 0, "callbacks": 0}
    candidates = list(Ticket.objects.filter(
        status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__lte=horizon)
        .values_list("pk", "status", "next_due", "first_response_at"))
    existing = set(SupervisionNotice.objects.filter(ticket_id__in=[x[0] for x in candidates])
                   .exclude(kind=SupervisionNotice.Kind.MANUAL)
                   .values_list("ticket_id", "kind", "due_kind", "due_at", "level"))
    for pk, status, due, responded in candidates:
        field = next_due_field(status, responded=responded is not None)
        due_kind = DUE_KINDS.get(field, "")
        wanted = []
        if due > now:
            wanted.append((SupervisionNotice.Kind.WARNING, 1))
        else:
            wanted.append((SupervisionNotice.Kind.OVERDUE, 1))
            if cal.deadline(due, ESCALATE_WORKDAYS, provisional=True) < now:
                wanted.append((SupervisionNotice.Kind.OVERDUE, 2))
        for kind, level in wanted:
            if (pk, kind, due_kind, due, level) in existing:
                continue
            if _issue_notice(pk, kind, due_kind, due, level, now):
                key = "warnings" if kind == SupervisionNotice.Kind.WARNING else ("escalated" if level == 2 else "overdue")
                counts[key] += 1
    for pk in Ticket.objects.filter(status=Ticket.Status.RESOLVED, callback_due=False, confirm_due__lt=now) \
            .values_list("pk", flat=True):
        counts["callbacks"] += _ask_for_callback(pk, now)
    return counts


def _issue_notice(pk: int, kind: str, due_kind: str, due: datetime, level: int, now: datetime) -> bool:
    with transaction.atomic():
        t = c.lock(pk)
        if t.next_due != due:  # the ticket moved on since the candidates were read
            return False
        try:
            with transaction.atomic():
                SupervisionNotice.objects.create(ticket=t, kind=kind, due_kind=due_kind, due_at=due, level=level,
                                                 department=t.lead_department)
        except IntegrityError:
            return False  # another sweep wrote it
        if kind == SupervisionNotice.Kind.OVERDUE and t.supervision_level < level:
            t.supervision_level = level
            t.save(update_fields=["supervision_level"])
        name = "warned" if kind == SupervisionNotice.Kind.WARNING else ("escalated" if level == 2 else "overdue")
        c.event(name, t, None, frm=t.status, at=now,
                data={"due": due_kind, "level": level, "due_at": due.isoformat(), "workdays": ESCALATE_WORKDAYS},
                context={"due_text": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")})
        return True


def _ask_for_callback(pk: int, now: datetime) -> int:
    with transaction.atomic():
        t = c.lock(pk)
        if t.status != Ticket.Status.RESOLVED or t.callback_due:
            return 0
        t.callback_due = True
        t.save(update_fields=["callback_due"])
        c.event("callback_due", t, None, frm=t.status, at=now)
        return 1
