"""Every write to the problem ledger. Each function is one business action: it locks the ticket,
checks the state machine and the actor's permission, writes, appends the event and notifies after
commit. ``actor=None`` is the system (the sweep, auto-routing)."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import numbering, roles, uploads, workdays
from yingshang.core.models import IdempotencyKey
from yingshang.core.services import notify
from yingshang.credit import services as credit_services
from yingshang.directory.models import Department, Enterprise, Stewardship

from . import sla, workflow
from .defaults import DEFAULT_TREE
from .models import Attachment, Category, Extension, SlaPolicy, SupervisionNotice, Ticket, TicketEvent, Urgency

User = get_user_model()

ALLOWED_EXTENSIONS = uploads.ALLOWED_EXTENSIONS
MAX_ATTACHMENT_BYTES = uploads.MAX_FILE_BYTES
MAX_ATTACHMENTS = 20  # per ticket


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _link(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


# --- people to tell -----------------------------------------------------------------

def _department_workers(department_ids, *, heads_only=False):
    names = [roles.DEPT_HEAD] if heads_only else [roles.HANDLER, roles.DEPT_HEAD]
    return list(User.objects.filter(staff_profile__department_id__in=department_ids, groups__name__in=names,
                                    is_active=True).distinct())


def _dispatchers() -> list[int]:
    return roles.members(roles.DISPATCHER)


def _firm_people(ticket: Ticket) -> list[int]:
    """The firm's own users and its current steward."""
    people = list(User.objects.filter(memberships__enterprise_id=ticket.enterprise_id, memberships__active=True)
                  .values_list("pk", flat=True))
    steward = Stewardship.objects.filter(enterprise_id=ticket.enterprise_id, ended_on__isnull=True) \
        .values_list("steward_id", flat=True).first()
    return people + [steward] if steward else people


# --- the machinery every action shares ---------------------------------------------------

def _lock(ticket: Ticket | int) -> Ticket:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    return Ticket.objects.select_for_update().get(pk=pk)


def may(actor, action: str, obj=None) -> bool:
    """The role rules of ``tickets.<action>``, applied to superusers too: a platform administrator
    does not sign for a department."""
    return rules.has_perm(f"tickets.{action}", actor, obj)


def _allow(actor, action: str, ticket: Ticket) -> None:
    if actor is not None and not may(actor, action, ticket):
        raise PermissionDenied(_("You may not do this to this problem."))


def _begin(actor, ticket, action: str) -> tuple[Ticket, str | None]:
    """Lock the row, then check state and permission against what is in the database now."""
    t = _lock(ticket)
    target = workflow.check(action, t.status)
    _allow(actor, action, t)
    return t, target


def _event(t: Ticket, actor, action: str, *, frm: str, to: str | None = None, note: str = "", data=None,
           public: bool = True, department=None, at=None) -> TicketEvent:
    return TicketEvent.objects.create(ticket=t, actor=actor, action=action, from_status=frm, to_status=to or frm,
                                      note=note, data=data or {}, public=public, department=department, at=_now(at))


def _refresh_next_due(t: Ticket) -> None:
    field = workflow.next_due_field(t.status, responded=t.first_response_at is not None)
    t.next_due = getattr(t, field) if field else None


def _policy(category: Category, urgency: str) -> sla.Policy:
    candidates = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rows = {p.category_id: p for p in SlaPolicy.objects.filter(
        Q(category_id__in=candidates) | Q(category__isnull=True), urgency=urgency)}
    for key in candidates + [None]:
        if key in rows:
            p = rows[key]
            return sla.Policy(p.accept_within, p.respond_within, p.resolve_within, p.unit)
    return sla.Policy(*sla.DEFAULTS[urgency])


def _apply_dues(t: Ticket) -> None:
    """Recompute the deadlines from the clock fields (see ``sla.compute_dues``)."""
    if t.clock_started_at is None:
        return
    cal = workdays.get_calendar()
    dues = sla.compute_dues(cal, sla.Policy(t.sla_accept, t.sla_respond, t.sla_resolve, t.sla_unit),
                            t.clock_started_at, t.extra_workdays)
    t.accept_due, t.respond_due, t.resolve_due = dues.accept, dues.respond, dues.resolve
    t.dues_provisional = dues.provisional
    if t.resolved_at and t.status == workflow.RESOLVED:
        t.confirm_due = sla.confirm_due(cal, t.resolved_at)
    _refresh_next_due(t)


def _start_clock(t: Ticket, at: datetime) -> None:
    policy = _policy(t.category, t.urgency)
    t.sla_accept, t.sla_respond, t.sla_resolve, t.sla_unit = policy.accept, policy.respond, policy.resolve, policy.unit
    t.clock_started_at, t.extra_workdays = at, 0
    _apply_dues(t)


def _validate_text(value: str, field: str, *, required=True, max_length=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return value


def validate_attachments(files, *, existing: int = 0) -> None:
    """Refuse the whole upload when any file is of a wrong type or too large, or there are too many."""
    uploads.validate_files(files, max_count=MAX_ATTACHMENTS, existing=existing)


def _save_attachments(t: Ticket, event: TicketEvent | None, files, actor) -> None:
    for f in files or []:
        Attachment.objects.create(ticket=t, event=event, file=f, name=PurePath(f.name).name[:200], size=f.size,
                                  content_type=getattr(f, "content_type", "") or "", uploaded_by=actor)


# --- register -----------------------------------------------------------------------------

# The app that keeps projects (a higher one) registers ``check(enterprise, ref) -> error message or None``: a
# problem may carry only a project of its own enterprise.
_project_ref_checks: list = []


def on_project_ref(check) -> None:
    if check not in _project_ref_checks:
        _project_ref_checks.append(check)


def register_ticket(*, actor, enterprise: Enterprise, category: Category, title: str, description: str,
                    urgency: str = "normal", channel: str = Ticket.Channel.WEB, is_historical: bool = False,
                    project_ref: str = "", attachments=(), idempotency_key: str = "",
                    at: datetime | None = None) -> Ticket:
    """挂号: register a problem with a new number. A category with a default department routes it
    there at once. With ``idempotency_key``, a retried call returns the first ticket."""
    if actor is None:
        raise ValueError("a ticket is raised by a person")
    if not may(actor, "raise", enterprise):
        raise PermissionDenied(_("You may not raise problems for this enterprise."))
    if idempotency_key:
        done = IdempotencyKey.objects.filter(user=actor, scope="tickets.register", key=idempotency_key).first()
        if done:
            return Ticket.objects.get(pk=done.object_id)
    title = _validate_text(title, "title", max_length=120)
    description = _validate_text(description, "description", max_length=5000)
    if urgency not in dict(Urgency.choices):
        raise ValidationError({"urgency": _("Unknown urgency.")})
    if channel not in dict(Ticket.Channel.choices):
        raise ValidationError({"channel": _("Unknown channel.")})
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    validate_attachments(attachments)
    project_ref = (project_ref or "").strip()
    for check in _project_ref_checks if project_ref else ():
        error = check(enterprise, project_ref)
        if error:
            raise ValidationError({"project_ref": error})
    at = _now(at)
    try:
        return _register(actor, enterprise, category, title, description, urgency, channel, is_historical,
                         project_ref, attachments, idempotency_key, at)
    except _AlreadyCreated:  # a concurrent retry with the same key won: give its ticket
        done = IdempotencyKey.objects.get(user=actor, scope="tickets.register", key=idempotency_key)
        return Ticket.objects.get(pk=done.object_id)


class _AlreadyCreated(Exception):
    pass


def _register(actor, enterprise, category, title, description, urgency, channel, is_historical, project_ref,
              attachments, idempotency_key, at) -> Ticket:
    with transaction.atomic():
        local_year = timezone.localtime(at).year
        number = f"QS-{local_year}-{numbering.next_value(f'tickets.{local_year}'):06d}"
        current = Stewardship.objects.filter(enterprise=enterprise, ended_on__isnull=True).values(
            "leader_id", "steward_id").first() or {}
        t = Ticket.objects.create(
            number=number, enterprise=enterprise, raised_by=actor, channel=channel,
            category=category, title=title, description=description, urgency=urgency, is_historical=is_historical,
            project_ref=project_ref[:60], leader_id=current.get("leader_id"), steward_id=current.get("steward_id"),
            created_at=at)
        event = _event(t, actor, "registered", frm="", to=workflow.REGISTERED, at=at,
                       data={"channel": channel, "number": number})
        _save_attachments(t, event, attachments, actor)
        credit_services.apply_green_channel(enterprise_id=enterprise.pk, context="tickets.register", ref=number,
                                            actor=actor)
        if idempotency_key:
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=actor, scope="tickets.register", key=idempotency_key,
                                                  object_id=str(t.pk))
            except IntegrityError:
                raise _AlreadyCreated from None  # leaves the block: this ticket is rolled back
        route = category.default_department or (category.parent.default_department if category.parent_id else None)
        if route is not None:
            return _dispatch(t, None, route, [], _("Routed automatically by category."), at)
        notify(recipients=_dispatchers() + ([t.steward_id] if t.steward_id else []),
               title=_("New problem %(number)s: %(title)s") % {"number": number, "title": title}, link=_link(t))
    return t


# --- dispatch, accept, return ---------------------------------------------------------------

def _dispatch(t: Ticket, actor, lead: Department, co, note: str, at: datetime, action="dispatched") -> Ticket:
    frm = t.status
    t.status = workflow.DISPATCHED
    t.lead_department = lead
    t.dispatched_at = at
    t.accepted_at = t.first_response_at = None  # the new department starts afresh
    for ext in t.extensions.filter(status=Extension.Status.PENDING):
        ext.status, ext.decided_by, ext.decided_at = Extension.Status.REJECTED, actor, at
        ext.save()
    _start_clock(t, at)
    t.save()
    t.co_departments.set([d for d in co if d.pk != lead.pk])
    _event(t, actor, action, frm=frm, to=t.status, note=note, department=lead, at=at,
           data={"lead": lead.name, "co": [d.name for d in co if d.pk != lead.pk]})
    notify(recipients=_department_workers([lead.pk] + [d.pk for d in co]),
           title=_("Problem %(number)s dispatched to your department: %(title)s") % {
               "number": t.number, "title": t.title}, link=_link(t))
    return t


@transaction.atomic
def dispatch_ticket(*, actor, ticket, lead_department: Department, co_departments=(), note: str = "",
                    at: datetime | None = None) -> Ticket:
    """派单 to a lead department (主办) and optional co-handling departments (协办)."""
    t = _lock(ticket)
    action = "dispatch" if t.status == workflow.REGISTERED else "redispatch"
    workflow.check(action, t.status)
    _allow(actor, action, t)
    if lead_department.kind == Department.Kind.CENTRE or not lead_department.active:
        raise ValidationError({"lead_department": _("Choose a department or bureau that handles cases.")})
    if any(d.kind == Department.Kind.CENTRE or not d.active for d in co_departments):
        raise ValidationError({"co_departments": _("Choose a department or bureau that handles cases.")})
    if t.status != workflow.REGISTERED and t.lead_department_id == lead_department.pk:
        raise ValidationError({"lead_department": _("The problem is already with this department.")})
    return _dispatch(t, actor, lead_department, list(co_departments), note.strip(), _now(at),
                     action="dispatched" if t.status == workflow.REGISTERED else "redispatched")


@transaction.atomic
def accept_ticket(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """签收: the lead department takes the problem on."""
    t, target = _begin(actor, ticket, "accept")
    at = _now(at)
    frm, t.status, t.accepted_at = t.status, target, at
    _refresh_next_due(t)
    t.save()
    _event(t, actor, "accepted", frm=frm, to=target, note=note.strip(), department=t.lead_department, at=at)
    return t


@transaction.atomic
def return_ticket(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    """退回: not this department's matter; back to the dispatcher with a reason (counted)."""
    t, target = _begin(actor, ticket, "return")
    reason = _validate_text(reason, "reason", max_length=2000)
    at = _now(at)
    dept = t.lead_department
    frm, t.status = t.status, target
    t.return_count += 1
    t.clock_started_at = None
    t.accept_due = t.respond_due = t.resolve_due = t.next_due = None
    t.save()
    _event(t, actor, "returned", frm=frm, to=target, note=reason, department=dept, at=at, public=False)
    notify(recipients=_dispatchers(), title=_("Problem %(number)s returned by %(dept)s") % {
        "number": t.number, "dept": dept}, link=_link(t))
    return t


# --- handling ------------------------------------------------------------------------------------

@transaction.atomic
def respond_ticket(*, actor, ticket, note: str, attachments=(), at: datetime | None = None) -> Ticket:
    """A progress reply the firm sees; the first one is the 回音."""
    t, _target = _begin(actor, ticket, "respond")
    note = _validate_text(note, "note", max_length=5000)
    validate_attachments(attachments, existing=t.attachments.count())
    at = _now(at)
    first = t.first_response_at is None
    if first:
        t.first_response_at = at
        _refresh_next_due(t)
        t.save()
    dept = getattr(getattr(actor, "staff_profile", None), "department", None)
    event = _event(t, actor, "responded", frm=t.status, note=note, department=dept, at=at,
                   data={"first": first})
    _save_attachments(t, event, attachments, actor)
    notify(recipients=_firm_people(t), title=_("Reply on your problem %(number)s") % {"number": t.number},
           link=_link(t))
    return t


@transaction.atomic
def suspend_ticket(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    """挂起 while waiting for the firm: the clock stops until it resumes."""
    t, target = _begin(actor, ticket, "suspend")
    reason = _validate_text(reason, "reason", max_length=2000)
    at = _now(at)
    frm, t.status, t.suspended_at = t.status, target, at
    _refresh_next_due(t)
    t.save()
    _event(t, actor, "suspended", frm=frm, to=target, note=reason, department=t.lead_department, at=at)
    notify(recipients=_firm_people(t), title=_("Problem %(number)s is waiting for you") % {"number": t.number},
           link=_link(t))
    return t


@transaction.atomic
def resume_ticket(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    t, target = _begin(actor, ticket, "resume")
    at = _now(at)
    stopped = sla.suspended_workdays(workdays.get_calendar(), t.suspended_at, at) if t.suspended_at else 0
    frm, t.status, t.suspended_at = t.status, target, None
    t.extra_workdays += stopped
    _apply_dues(t)
    t.save()
    _event(t, actor, "resumed", frm=frm, to=target, note=note.strip(), at=at, data={"stopped_workdays": stopped})
    notify(recipients=_department_workers([t.lead_department_id]),
           title=_("Problem %(number)s resumed") % {"number": t.number}, link=_link(t))
    return t


@transaction.atomic
def request_extension(*, actor, ticket, workdays: int, reason: str, at: datetime | None = None) -> Extension:
    """延期申请, decided by the dispatcher or the department head."""
    t, _target = _begin(actor, ticket, "request_extension")
    reason = _validate_text(reason, "reason", max_length=2000)
    if not isinstance(workdays, int) or not 1 <= workdays <= 60:
        raise ValidationError({"workdays": _("An extension is 1 to 60 working days.")})
    if t.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError({"workdays": _("An extension request is already waiting for a decision.")})
    ext = Extension.objects.create(ticket=t, requested_by=actor, workdays=workdays, reason=reason)
    _event(t, actor, "extension_requested", frm=t.status, note=reason, department=t.lead_department, at=at,
           data={"workdays": workdays, "extension": ext.pk}, public=False)
    notify(recipients=_dispatchers() + _department_workers([t.lead_department_id], heads_only=True),
           title=_("Extension requested for %(number)s") % {"number": t.number}, link=_link(t))
    return ext


@transaction.atomic
def decide_extension(*, actor, ticket, approve: bool, note: str = "", at: datetime | None = None) -> Extension:
    t, _target = _begin(actor, ticket, "decide_extension")
    ext = t.extensions.filter(status=Extension.Status.PENDING).select_for_update().first()
    if ext is None:
        raise workflow.IllegalTransition("decide_extension", "no pending extension")
    at = _now(at)
    ext.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    ext.decided_by, ext.decided_at = actor, at
    ext.save()
    if approve:
        t.extra_workdays += ext.workdays
        t.extension_count += 1
        _apply_dues(t)
        t.save()
    _event(t, actor, "extension_approved" if approve else "extension_rejected", frm=t.status, note=note.strip(),
           at=at, data={"workdays": ext.workdays, "resolve_due": t.resolve_due.isoformat() if t.resolve_due else None})
    notify(recipients=[ext.requested_by], title=(_("Extension approved for %(number)s") if approve else
                                                 _("Extension rejected for %(number)s")) % {"number": t.number},
           link=_link(t))
    return ext


@transaction.atomic
def resolve_ticket(*, actor, ticket, answer: str, outcome: str, attachments=(), at: datetime | None = None) -> Ticket:
    """办结 with the required answer; the firm then confirms."""
    t, target = _begin(actor, ticket, "resolve")
    answer = _validate_text(answer, "answer", max_length=5000)
    if outcome not in dict(Ticket.Outcome.choices):
        raise ValidationError({"outcome": _("Say whether the problem was solved or cannot be solved.")})
    validate_attachments(attachments, existing=t.attachments.count())
    at = _now(at)
    frm = t.status
    t.status, t.answer, t.outcome, t.resolved_at = target, answer, outcome, at
    t.resolve_workdays = max(0, workdays.workdays_between(
        timezone.localdate(t.dispatched_at or t.created_at), timezone.localdate(at), provisional=True))
    if t.first_response_at is None:
        t.first_response_at = at
    t.confirm_due = sla.confirm_due(workdays.get_calendar(), at)
    t.callback_due = False
    _refresh_next_due(t)
    t.save()
    event = _event(t, actor, "resolved", frm=frm, to=target, note=answer, department=t.lead_department, at=at,
                   data={"outcome": outcome})
    _save_attachments(t, event, attachments, actor)
    notify(recipients=_firm_people(t), title=_("Problem %(number)s has an answer: please confirm") % {
        "number": t.number}, link=_link(t))
    return t


def _close_or_reopen(t: Ticket, actor, rating: str, comment: str, at: datetime, action: str) -> Ticket:
    if rating not in dict(Ticket.Rating.choices):
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    frm = t.status
    t.rating, t.rating_comment, t.callback_due = rating, comment.strip()[:2000], False
    if rating == Ticket.Rating.UNSATISFIED:
        t.status = workflow.IN_PROGRESS
        t.redo_count += 1
        t.resolved_at = t.confirm_due = None
        t.outcome = ""
        # The resolve clock runs again from now; when it was first accepted and answered stays on record.
        t.clock_started_at, t.extra_workdays = at, 0
        _apply_dues(t)
        t.save()
        _event(t, actor, action, frm=frm, to=t.status, note=t.rating_comment, at=at,
               data={"rating": rating, "reopened": True})
        notify(recipients=_department_workers([t.lead_department_id]),
               title=_("Problem %(number)s reopened: the firm is not satisfied") % {"number": t.number},
               link=_link(t))
    else:
        t.status, t.closed_at, t.next_due = workflow.CLOSED, at, None
        t.save()
        _event(t, actor, action, frm=frm, to=t.status, note=t.rating_comment, at=at, data={"rating": rating})
    return t


@transaction.atomic
def confirm_ticket(*, actor, ticket, rating: str, comment: str = "", at: datetime | None = None) -> Ticket:
    """The firm confirms and rates: 满意 / 基本满意 close it out (销号); 不满意 reopens it (a redo)."""
    t, _target = _begin(actor, ticket, "confirm")
    return _close_or_reopen(t, actor, rating, comment, _now(at), "confirmed")


@transaction.atomic
def record_callback(*, actor, ticket, rating: str, comment: str, at: datetime | None = None) -> Ticket:
    """回访: the steward called the firm and records its answer."""
    t, _target = _begin(actor, ticket, "callback")
    at = _now(at)
    if not callback_open(t, at):
        raise ValidationError({"comment": _("The firm has until %(due)s to confirm; call back after that.") % {
            "due": timezone.localtime(t.confirm_due).strftime("%Y-%m-%d %H:%M")}})
    comment = _validate_text(comment, "comment", max_length=2000)
    return _close_or_reopen(t, actor, rating, comment, at, "called_back")


def callback_open(t: Ticket, now: datetime | None = None) -> bool:
    """A steward records the firm's answer only once the firm's own time to confirm has run out."""
    return t.callback_due or (t.confirm_due is not None and t.confirm_due < _now(now))


@transaction.atomic
def withdraw_ticket(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    t, target = _begin(actor, ticket, "withdraw")
    reason = _validate_text(reason, "reason", max_length=2000)
    at = _now(at)
    frm, t.status, t.closed_at, t.next_due = t.status, target, at, None
    t.save()
    _event(t, actor, "withdrawn", frm=frm, to=target, note=reason, at=at)
    if t.lead_department_id:
        notify(recipients=_department_workers([t.lead_department_id]),
               title=_("Problem %(number)s withdrawn by the firm") % {"number": t.number}, link=_link(t))
    return t


@transaction.atomic
def merge_ticket(*, actor, ticket, into: Ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """并单: a duplicate is merged into another open problem of the same enterprise."""
    first, second = sorted([ticket.pk if isinstance(ticket, Ticket) else ticket, into.pk])
    _lock(first), _lock(second)  # both rows, always in the same order: no deadlock between A→B and B→A
    t, target = _begin(actor, ticket, "merge")
    other = _lock(into)
    if other.pk == t.pk:
        raise ValidationError({"into": _("A problem cannot be merged into itself.")})
    if other.enterprise_id != t.enterprise_id:
        raise ValidationError({"into": _("Only problems of the same enterprise can be merged.")})
    if other.status not in workflow.OPEN:
        raise ValidationError({"into": _("Merge into a problem that is still open.")})
    at = _now(at)
    frm, t.status, t.merged_into, t.closed_at, t.next_due = t.status, target, other, at, None
    t.save()
    _event(t, actor, "merged", frm=frm, to=target, note=note.strip(), at=at, data={"into": other.number})
    _event(other, actor, "merged_in", frm=other.status, note=note.strip(), at=at, data={"from": t.number})
    notify(recipients=_firm_people(t), title=_("Problem %(a)s is handled together with %(b)s") % {
        "a": t.number, "b": other.number}, link=_link(other))
    return t


# --- leaders ---------------------------------------------------------------------------------

@transaction.atomic
def take_charge(*, actor, ticket, note: str = "", at: datetime | None = None) -> Ticket:
    """包保: a leader takes personal charge of the problem."""
    t, _target = _begin(actor, ticket, "take_charge")
    t.leader, t.leader_in_charge = actor, True
    t.save(update_fields=["leader", "leader_in_charge"])
    _event(t, actor, "leader_in_charge", frm=t.status, note=note.strip(), at=at)
    notify(recipients=_department_workers([t.lead_department_id]) if t.lead_department_id else [],
           title=_("%(leader)s takes personal charge of %(number)s") % {"leader": actor, "number": t.number},
           link=_link(t))
    return t


@transaction.atomic
def instruct_ticket(*, actor, ticket, instruction: str, at: datetime | None = None) -> Ticket:
    """批示: a leader's written instruction to the departments."""
    t, _target = _begin(actor, ticket, "instruct")
    instruction = _validate_text(instruction, "instruction", max_length=2000)
    _event(t, actor, "instructed", frm=t.status, note=instruction, at=at, public=False)
    depts = [t.lead_department_id] + list(t.co_departments.values_list("pk", flat=True)) if t.lead_department_id else []
    notify(recipients=_department_workers(depts), title=_("Instruction on %(number)s from %(leader)s") % {
        "number": t.number, "leader": actor}, link=_link(t))
    return t


@transaction.atomic
def supervise_ticket(*, actor, ticket, note: str, at: datetime | None = None) -> SupervisionNotice:
    """督办 by hand: a notice to the lead department's head (printable as a 督办单)."""
    t, _target = _begin(actor, ticket, "supervise")
    note = _validate_text(note, "note", max_length=2000)
    notice = SupervisionNotice.objects.create(ticket=t, kind=SupervisionNotice.Kind.MANUAL, issued_by=actor,
                                              department=t.lead_department, note=note, level=1,
                                              due_kind="", due_at=t.next_due)
    t.supervision_level = max(t.supervision_level, 1)
    t.save(update_fields=["supervision_level"])
    _event(t, actor, "supervised", frm=t.status, note=note, at=at, public=False, data={"notice": notice.pk})
    heads = _department_workers([t.lead_department_id], heads_only=True) if t.lead_department_id else []
    notify(recipients=heads, title=_("Supervision notice on %(number)s") % {"number": t.number},
           link=reverse("tickets:notice", args=[notice.pk]))
    return notice


def available_actions(user, t: Ticket) -> list[str]:
    """The actions ``user`` may take on ``t`` now: its state, its pending extension, the rules."""
    out = []
    for action in workflow.possible(t.status):
        if action == "decide_extension" and not any(e.status == "pending" for e in t.extensions.all()):
            continue
        if action == "request_extension" and any(e.status == "pending" for e in t.extensions.all()):
            continue
        if action == "take_charge" and t.leader_in_charge and t.leader_id == user.pk:
            continue
        if action == "callback" and not callback_open(t):
            continue
        if may(user, action, t):
            out.append(action)
    return out


# --- one entry point for pages and API ------------------------------------------------------------

def perform(actor, t: Ticket, action: str, d: dict):
    """Call the service of ``action`` with the cleaned data of its form (pages) or serializer (API)."""
    if action in ("dispatch", "redispatch"):
        return dispatch_ticket(actor=actor, ticket=t, lead_department=d["lead_department"],
                               co_departments=d.get("co_departments") or [], note=d.get("note", ""))
    if action == "accept":
        return accept_ticket(actor=actor, ticket=t, note=d.get("note", ""))
    if action == "return":
        return return_ticket(actor=actor, ticket=t, reason=d["reason"])
    if action == "respond":
        return respond_ticket(actor=actor, ticket=t, note=d["note"], attachments=d.get("attachments"))
    if action == "resolve":
        return resolve_ticket(actor=actor, ticket=t, answer=d["answer"], outcome=d["outcome"],
                              attachments=d.get("attachments"))
    if action == "suspend":
        return suspend_ticket(actor=actor, ticket=t, reason=d["reason"])
    if action == "resume":
        return resume_ticket(actor=actor, ticket=t, note=d.get("note", ""))
    if action == "request_extension":
        return request_extension(actor=actor, ticket=t, workdays=d["workdays"], reason=d["reason"])
    if action == "decide_extension":
        return decide_extension(actor=actor, ticket=t, approve=d["approve"], note=d.get("note", ""))
    if action == "confirm":
        return confirm_ticket(actor=actor, ticket=t, rating=d["rating"], comment=d.get("comment", ""))
    if action == "callback":
        return record_callback(actor=actor, ticket=t, rating=d["rating"], comment=d["comment"])
    if action == "withdraw":
        return withdraw_ticket(actor=actor, ticket=t, reason=d["reason"])
    if action == "merge":
        from .selectors import tickets_visible_to

        into = tickets_visible_to(actor).filter(number=d["into"].strip().upper()).first()
        if into is None:
            raise ValidationError({"into": _("No problem has this number.")})
        return merge_ticket(actor=actor, ticket=t, into=into, note=d.get("note", ""))
    if action == "take_charge":
        return take_charge(actor=actor, ticket=t, note=d.get("note", ""))
    if action == "instruct":
        return instruct_ticket(actor=actor, ticket=t, instruction=d["instruction"])
    if action == "supervise":
        return supervise_ticket(actor=actor, ticket=t, note=d["note"])
    raise ValueError(f"unknown action {action}")


# --- calendar changes -------------------------------------------------------------------------

def recompute_provisional_dues(years: list[int]) -> int:
    """After a calendar year is imported, deadlines computed on the weekday rule are computed again."""
    changed = 0
    ids = list(Ticket.objects.filter(dues_provisional=True, status__in=workflow.OPEN | {workflow.RESOLVED})
               .values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            t = _lock(pk)
            before = (t.accept_due, t.respond_due, t.resolve_due, t.confirm_due)
            _apply_dues(t)
            if (t.accept_due, t.respond_due, t.resolve_due, t.confirm_due) != before or not t.dues_provisional:
                t.save()
                _event(t, None, "deadlines_recomputed", frm=t.status, public=False,
                       data={"years": years, "resolve_due": t.resolve_due.isoformat() if t.resolve_due else None})
                changed += 1
    return changed


# --- supervision sweep ------------------------------------------------------------------------

ESCALATE_WORKDAYS = 2  # overdue this many working days more: the supervising leader is told too
DUE_KINDS = {"accept_due": "accept", "respond_due": "respond", "resolve_due": "resolve"}


def sweep_tickets(*, now: datetime | None = None) -> dict:
    """督办 sweep, safe to run again and from several servers at once: each warning and notice is a
    row under a unique constraint, so it is written — and its people told — exactly once.

    - a deadline within one working day: a warning to the lead department;
    - a deadline passed: a notice to the department head; ESCALATE_WORKDAYS working days later, one to
      the supervising leader;
    - an answer the firm has not confirmed in time: the steward is asked to call back (回访).
    """
    now = _now(now)
    cal = workdays.get_calendar()
    horizon = sla.warn_horizon(cal, now)
    counts = {"warnings": 0, "overdue": 0, "escalated": 0, "callbacks": 0}
    candidates = list(Ticket.objects.filter(
        status__in=[workflow.DISPATCHED, workflow.IN_PROGRESS], next_due__lte=horizon)
        .values_list("pk", "status", "next_due", "first_response_at"))
    existing = set(SupervisionNotice.objects.filter(ticket_id__in=[c[0] for c in candidates])
                   .exclude(kind=SupervisionNotice.Kind.MANUAL)
                   .values_list("ticket_id", "kind", "due_kind", "due_at", "level"))
    for pk, status, due, responded in candidates:
        field = workflow.next_due_field(status, responded=responded is not None)
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
    for pk in Ticket.objects.filter(status=workflow.RESOLVED, callback_due=False, confirm_due__lt=now) \
            .values_list("pk", flat=True):
        counts["callbacks"] += _ask_for_callback(pk, now)
    return counts


def _issue_notice(pk: int, kind: str, due_kind: str, due: datetime, level: int, now: datetime) -> bool:
    with transaction.atomic():
        t = _lock(pk)
        if t.next_due != due:  # the ticket moved on since the candidates were read
            return False
        try:
            with transaction.atomic():
                SupervisionNotice.objects.create(ticket=t, kind=kind, due_kind=due_kind, due_at=due, level=level,
                                                 department=t.lead_department)
        except IntegrityError:
            return False  # another sweep wrote it
        if kind == SupervisionNotice.Kind.WARNING:
            recipients = _department_workers([t.lead_department_id])
            title = _("%(number)s is due %(due)s") % {"number": t.number,
                                                       "due": timezone.localtime(due).strftime("%m-%d %H:%M")}
        elif level == 1:
            recipients = _department_workers([t.lead_department_id], heads_only=True)
            title = _("Overdue: %(number)s %(title)s") % {"number": t.number, "title": t.title}
        else:
            recipients = [t.leader] if t.leader_id else []
            title = _("Overdue for %(n)d working days: %(number)s %(title)s") % {
                "n": ESCALATE_WORKDAYS, "number": t.number, "title": t.title}
        if kind == SupervisionNotice.Kind.OVERDUE and t.supervision_level < level:
            t.supervision_level = level
            t.save(update_fields=["supervision_level"])
        _event(t, None, f"sweep_{kind}", frm=t.status, public=False, at=now,
               data={"due": due_kind, "level": level, "due_at": due.isoformat()})
        notify(recipients=recipients, title=title, link=_link(t))
        return True


def _ask_for_callback(pk: int, now: datetime) -> int:
    with transaction.atomic():
        t = _lock(pk)
        if t.status != workflow.RESOLVED or t.callback_due:
            return 0
        t.callback_due = True
        t.save(update_fields=["callback_due"])
        _event(t, None, "callback_due", frm=t.status, public=False, at=now)
        notify(recipients=[t.steward_id] if t.steward_id else _dispatchers(),
               title=_("Please call %(firm)s back about %(number)s") % {"firm": t.enterprise, "number": t.number},
               link=_link(t))
        return 1


# --- reference data -----------------------------------------------------------------------------

def categories_ensure_defaults() -> None:
    """Create the default category tree where it is missing (the first migration does the same)."""
    for order, (top, children) in enumerate(DEFAULT_TREE):
        parent, _created = Category.objects.get_or_create(name=top, parent=None, defaults={"sort_order": order * 10})
        for i, child in enumerate(children):
            Category.objects.get_or_create(name=child, parent=parent, defaults={"sort_order": i})


# --- statistics roll-up ----------------------------------------------------------------------

def statistics_refresh(*, now: datetime | None = None) -> dict:
    """Rebuild the statistics roll-up (the sweep runs it; derived data, replaced whole): the day cells from
    the ledger in one statement, the month cells summed from them in another. A second server running it at
    the same moment skips."""
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from yingshang.core import locks

    from .models import StatCell, StatDayCell, StatSnapshot
    from .selectors import COUNTERS, STATUS_COLUMNS, rollup_source

    now = now or timezone.now()
    counts = [*COUNTERS, *STATUS_COLUMNS.values()]
    keys = ["lead_department_id", "top_id", "bureau_id"]
    qn = connection.ops.quote_name

    def insert(model, period: str, sql: str, params, sources: list[str]) -> int:
        columns = [period, *keys, *counts]
        picks = [f"COALESCE(s.{qn(c)}, 0)" if c in counts else f"s.{qn(c)}" for c in sources]
        with connection.cursor() as cursor:
            # In order of the period: a run of days is then a run of pages, not cells scattered over the table.
            cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                           f"SELECT {', '.join(picks)} FROM ({sql}) s ORDER BY s.{qn(sources[0])}", params)
            return cursor.rowcount

    with locks.exclusive("tickets.statistics") as mine:
        if not mine:
            return {"skipped": "another server is rebuilding"}
        StatDayCell.objects.all().delete()
        StatCell.objects.all().delete()
        StatSnapshot.objects.all().delete()
        sql, params = rollup_source().query.sql_with_params()
        days = insert(StatDayCell, "day", sql, params, ["s_day", "s_lead", "s_top", "s_bureau", *counts])
        by_month = (StatDayCell.objects.annotate(s_month=TruncMonth("day")).values("s_month", *keys)
                    .annotate(**{f"s_{c}": Sum(c) for c in counts}).order_by())
        sql, params = by_month.query.sql_with_params()
        cells = insert(StatCell, "month", sql, params, ["s_month", *keys, *(f"s_{c}" for c in counts)])
        StatSnapshot.objects.create(taken_at=now, tickets=Ticket.objects.count())
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The rows just replaced are dead: reclaim their pages (the next rebuild fills them in order) and
        # their index entries, and tell the planner how big the tables now are.
        with connection.cursor() as cursor:
            for model in (StatDayCell, StatCell):
                cursor.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")
    return {"cells": cells, "day_cells": days}
