"""Handling a problem: dispatch and re-dispatch, accept or return, replies, suspension, extensions,
the answer, and the firm's confirmation or the steward's call-back."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import actions, workdays
from yingshang.directory.models import Department

from .. import sla
from ..audiences import callback_open
from ..models import Extension, Ticket
from . import _common as c


def _check_departments(lead: Department, co) -> None:
    if lead.kind == Department.Kind.CENTRE or not lead.active:
        raise ValidationError({"lead_department": _("Choose a department or bureau that handles cases.")})
    if any(d.kind == Department.Kind.CENTRE or not d.active for d in co):
        raise ValidationError({"co_departments": _("Choose a department or bureau that handles cases.")})


def dispatch_to(t: Ticket, actor, lead: Department, co, internal_note: str, at: datetime, name: str,
                note: str = "") -> Ticket:
    """Give ``t`` (locked) to ``lead`` with ``co``: the clock starts afresh, pending extensions lapse."""
    frm = t.status
    t.status = Ticket.Status.DISPATCHED
    t.lead_department = lead
    t.dispatched_at = at
    t.accepted_at = t.first_response_at = None  # the new department starts afresh
    for ext in t.extensions.filter(status=Extension.Status.PENDING):
        ext.status, ext.decided_by, ext.decided_at = Extension.Status.REJECTED, actor, at
        ext.save()
    c.start_clock(t, at)
    t.save()
    co = [d for d in co if d.pk != lead.pk]
    t.co_departments.set(co)
    c.event(name, t, actor, frm=frm, to=t.status, note=note, internal_note=internal_note, department=lead, at=at,
            data={"lead": lead.name, "co": [d.name for d in co]})
    return t


@transaction.atomic
def ticket_dispatch(*, actor, ticket, lead_department: Department, co_departments=(), note: str = "",
                    at: datetime | None = None) -> Ticket:
    """派单 a registered problem to a lead department (主办) and optional co-handling departments (协办).
    A problem already with a department is refused (409): moving it is ``ticket_redispatch``."""
    t, _target = c.begin(actor, ticket, "dispatch")
    co = list(co_departments or [])
    _check_departments(lead_department, co)
    note = c.text(note, "note", required=False)
    return dispatch_to(t, actor, lead_department, co, note, c.now_or(at), "dispatched")


@transaction.atomic
def ticket_redispatch(*, actor, ticket, lead_department: Department, reason: str, co_departments=(),
                      at: datetime | None = None) -> Ticket:
    """改派: move a problem already with a department to another one, with the reason; the new department
    starts afresh (its acceptance and deadlines)."""
    t, _target = c.begin(actor, ticket, "redispatch")
    co = list(co_departments or [])
    _check_departments(lead_department, co)
    if t.lead_department_id == lead_department.pk:
        raise ValidationError({"lead_department": _("The problem is already with this department.")})
    reason = c.text(reason, "reason")
    return dispatch_to(t, actor, lead_department, co, reason, c.now_or(at), "redispatched")


def tickets_dispatch_bulk(*, actor, ids, lead_department: Department, co_departments=(), note: str = "") -> dict:
    """Dispatch several registered problems to one department: each in its own transaction, so one that
    another dispatcher moved meanwhile is skipped and counted, never dispatched twice."""
    from ..selectors import tickets_visible_to

    if not c.may(actor, "dispatch_bulk"):
        raise PermissionDenied(_("You may not do this."))
    ids = sorted({int(i) for i in ids})
    if not ids:
        raise ValidationError({"ids": _("Choose the problems to dispatch.")})
    co = list(co_departments or [])
    _check_departments(lead_department, co)
    done, skipped = [], []
    for pk in tickets_visible_to(actor).filter(pk__in=ids).order_by("pk").values_list("pk", flat=True):
        try:
            ticket_dispatch(actor=actor, ticket=pk, lead_department=lead_department, co_departments=co, note=note)
            done.append(pk)
        except actions.IllegalTransition:
            skipped.append(pk)
    return {"dispatched": done, "skipped": sorted(set(ids) - set(done))}


@transaction.atomic
def ticket_accept(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """签收: the lead department takes the problem on."""
    t, target = c.begin(actor, ticket, "accept")
    note = c.text(note, "note", required=False)
    at = c.now_or(at)
    frm, t.status, t.accepted_at = t.status, target, at
    c.refresh_next_due(t)
    t.save()
    c.event("accepted", t, actor, frm=frm, to=target, internal_note=note, department=t.lead_department, at=at)
    return t


@transaction.atomic
def ticket_return(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    """退回: not this department's matter; back to the dispatcher with a reason (counted)."""
    t, target = c.begin(actor, ticket, "return")
    reason = c.text(reason, "reason")
    at = c.now_or(at)
    dept = t.lead_department
    frm, t.status = t.status, target
    t.return_count += 1
    t.clock_started_at = None
    t.accept_due = t.respond_due = t.resolve_due = t.next_due = None
    t.save()
    c.event("returned", t, actor, frm=frm, to=target, internal_note=reason, department=dept, at=at,
            data={"dept": dept.name if dept else ""})
    return t


@transaction.atomic
def ticket_respond(*, actor, ticket, note: str, attachments=(), at: datetime | None = None) -> Ticket:
    """A progress reply the firm sees; the first one is the 回音."""
    t, _target = c.begin(actor, ticket, "respond")
    note = c.text(note, "note", max_length=5000)
    c.validate_attachments(attachments, existing=t.attachments.count())
    at = c.now_or(at)
    first = t.first_response_at is None
    if first:
        t.first_response_at = at
        c.refresh_next_due(t)
        t.save()
    dept = getattr(getattr(actor, "staff_profile", None), "department", None)
    ev = c.event("responded", t, actor, frm=t.status, note=note, department=dept, at=at, data={"first": first})
    c.save_attachments(t, ev, attachments, actor)
    return t


@transaction.atomic
def ticket_suspend(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    """挂起 while waiting for the firm: the clock stops until it resumes."""
    t, target = c.begin(actor, ticket, "suspend")
    reason = c.text(reason, "reason")
    at = c.now_or(at)
    frm, t.status, t.suspended_at = t.status, target, at
    c.refresh_next_due(t)
    t.save()
    c.event("suspended", t, actor, frm=frm, to=target, note=reason, department=t.lead_department, at=at)
    return t


@transaction.atomic
def ticket_resume(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    t, target = c.begin(actor, ticket, "resume")
    note = c.text(note, "note", required=False)
    at = c.now_or(at)
    stopped = sla.suspended_workdays(workdays.get_calendar(), t.suspended_at, at) if t.suspended_at else 0
    frm, t.status, t.suspended_at = t.status, target, None
    t.extra_workdays += stopped
    c.apply_dues(t)
    t.save()
    c.event("resumed", t, actor, frm=frm, to=target, note=note, at=at, data={"stopped_workdays": stopped})
    return t


@transaction.atomic
def extension_request(*, actor, ticket, workdays: int, reason: str, at: datetime | None = None) -> Extension:
    """延期申请, decided by the dispatcher or the department head."""
    from yingshang.core import inputs

    t, _target = c.begin(actor, ticket, "request_extension")
    if t.extensions.filter(status=Extension.Status.PENDING).exists():
        raise actions.IllegalTransition("request_extension", "extension pending")
    workdays = inputs.integer(workdays, "workdays", min_value=1, max_value=60)
    reason = c.text(reason, "reason")
    ext = Extension.objects.create(ticket=t, requested_by=actor, workdays=workdays, reason=reason)
    c.event("extension_requested", t, actor, frm=t.status, internal_note=reason, department=t.lead_department, at=at,
            data={"workdays": workdays, "extension": ext.pk})
    return ext


@transaction.atomic
def extension_decide(*, actor, ticket, approve: bool, note: str = "", at: datetime | None = None) -> Extension:
    t, _target = c.begin(actor, ticket, "decide_extension")
    ext = t.extensions.filter(status=Extension.Status.PENDING).select_for_update().first()
    if ext is None:
        raise actions.IllegalTransition("decide_extension", "no pending extension")
    if not isinstance(approve, bool):
        raise ValidationError({"approve": _("Approve or reject.")})
    note = c.text(note, "note", required=False)
    at = c.now_or(at)
    ext.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    ext.decided_by, ext.decided_at = actor, at
    ext.save()
    if approve:
        t.extra_workdays += ext.workdays
        t.extension_count += 1
        c.apply_dues(t)
        t.save()
    c.event("extension_approved" if approve else "extension_rejected", t, actor, frm=t.status, internal_note=note,
            at=at, data={"workdays": ext.workdays, "extension": ext.pk,
                         "resolve_due": t.resolve_due.isoformat() if t.resolve_due else None})
    return ext


@transaction.atomic
def ticket_resolve(*, actor, ticket, answer: str, outcome: str, attachments=(), at: datetime | None = None) -> Ticket:
    """办结 with the required answer; the firm then confirms."""
    t, target = c.begin(actor, ticket, "resolve")
    answer = c.text(answer, "answer", max_length=5000)
    if outcome not in Ticket.Outcome.values:
        raise ValidationError({"outcome": _("Say whether the problem was solved or cannot be solved.")})
    c.validate_attachments(attachments, existing=t.attachments.count())
    at = c.now_or(at)
    frm = t.status
    t.status, t.answer, t.outcome, t.resolved_at = target, answer, outcome, at
    t.resolve_workdays = max(0, workdays.workdays_between(
        timezone.localdate(t.dispatched_at or t.created_at), timezone.localdate(at), provisional=True))
    if t.first_response_at is None:
        t.first_response_at = at
    t.confirm_due = sla.confirm_due(workdays.get_calendar(), at)
    t.callback_due = False
    c.refresh_next_due(t)
    t.save()
    ev = c.event("resolved", t, actor, frm=frm, to=target, note=answer, department=t.lead_department, at=at,
                 data={"outcome": outcome})
    c.save_attachments(t, ev, attachments, actor)
    return t


def _close_or_reopen(t: Ticket, actor, rating: str, comment: str, at: datetime, name: str) -> Ticket:
    if rating not in Ticket.Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or unsatisfied.")})
    comment = c.text(comment, "comment", required=name == "called_back")
    frm = t.status
    t.rating, t.rating_comment, t.callback_due = rating, comment, False
    if rating == Ticket.Rating.UNSATISFIED:
        t.status = Ticket.Status.IN_PROGRESS
        t.redo_count += 1
        t.resolved_at = t.confirm_due = None
        t.outcome = ""
        # The resolve clock runs again from now; when it was first accepted and answered stays on record.
        t.clock_started_at, t.extra_workdays = at, 0
        c.apply_dues(t)
        t.save()
        c.event("reopened", t, actor, frm=frm, to=t.status, note=comment, at=at,
                data={"rating": rating, "by": "callback" if name == "called_back" else "firm"})
    else:
        t.status, t.closed_at, t.next_due = Ticket.Status.CLOSED, at, None
        t.save()
        c.event(name, t, actor, frm=frm, to=t.status, note=comment, at=at, data={"rating": rating})
    return t


@transaction.atomic
def ticket_confirm(*, actor, ticket, rating: str, comment: str = "", at: datetime | None = None) -> Ticket:
    """The firm confirms and rates: 满意 / 基本满意 close it out (销号); 不满意 reopens it (a redo)."""
    t, _target = c.begin(actor, ticket, "confirm")
    return _close_or_reopen(t, actor, rating, comment, c.now_or(at), "confirmed")


@transaction.atomic
def ticket_sender_reject(*, actor, ticket, reason: str, resolve_by: datetime | None = None,
                         at: datetime | None = None) -> Ticket:
    """退单: the system that transferred the problem (the 12345 hotline) rejects the answer; the problem is in
    progress again with its resolve clock restarted (and the sender's new deadline, if it sets one)."""
    t, target = c.begin(actor, ticket, "sender_reject")
    reason = c.text(reason, "reason", max_length=2000)
    at = c.now_or(at)
    frm = t.status
    t.status, t.redo_count = target, t.redo_count + 1
    t.resolved_at = t.confirm_due = t.closed_at = None
    t.outcome, t.rating, t.rating_comment, t.callback_due = "", "", "", False
    if resolve_by is not None:
        t.resolve_by = resolve_by
    t.clock_started_at, t.extra_workdays = at, 0
    c.apply_dues(t)
    c.refresh_next_due(t)
    t.save()
    c.event("sender_rejected", t, actor, frm=frm, to=t.status, note=reason, at=at)
    return t


@transaction.atomic
def callback_record(*, actor, ticket, rating: str, comment: str, at: datetime | None = None) -> Ticket:
    """回访: the steward called the firm and records its answer (once the firm's own time to confirm ran out)."""
    t, _target = c.begin(actor, ticket, "callback")
    at = c.now_or(at)
    if not callback_open(t, at):
        raise ValidationError({"comment": _("The firm has until %(due)s to confirm; call back after that.") % {
            "due": timezone.localtime(t.confirm_due).strftime("%Y-%m-%d %H:%M")}})
    return _close_or_reopen(t, actor, rating, comment, at, "called_back")
