"""What every write to the ledger shares: locking, the check of who may act and in which state, the
deadlines, the event row (and so the notifications), attachments."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from django.db.models import Q
from django.utils import timezone

from yingshang.core import events, inputs, uploads, workdays

from .. import sla
from ..actions import tickets as TABLE
from ..models import Attachment, Category, SlaPolicy, Ticket, TicketEvent, next_due_field

ALLOWED_EXTENSIONS = uploads.ALLOWED_EXTENSIONS
MAX_ATTACHMENT_BYTES = uploads.MAX_FILE_BYTES
MAX_ATTACHMENTS = 20  # per ticket


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def lock(ticket: Ticket | int) -> Ticket:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    return Ticket.objects.select_for_update().get(pk=pk)


def may(actor, action: str, obj=None) -> bool:
    """The role rules of ``tickets.<action>``, applied to superusers too: a platform administrator does not
    sign for a department."""
    import rules

    return rules.has_perm(f"tickets.{action}", actor, obj)


def begin(actor, ticket, action: str) -> tuple[Ticket, str | None]:
    """Lock the row; then who may act, then whether its state allows the action — both against the row
    as it is in the database now, before anything the actor sent is read."""
    t = lock(ticket)
    return t, TABLE.begin(actor, action, t)


def event(name: str, t: Ticket, actor, *, frm: str, to: str | None = None, note: str = "", internal_note: str = "",
          data=None, department=None, at=None, tell: bool = True, context=None) -> TicketEvent:
    return events.record(f"tickets.ticket.{name}", t, actor=actor, ticket=t, frm=frm, to=to, note=note,
                         internal_note=internal_note, data=data, department=department, at=now_or(at), tell=tell,
                         context=context)


def refresh_next_due(t: Ticket) -> None:
    field = next_due_field(t.status, responded=t.first_response_at is not None)
    t.next_due = getattr(t, field) if field else None


def policy(category: Category, urgency: str) -> sla.Policy:
    candidates = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rows = {p.category_id: p for p in SlaPolicy.objects.filter(
        Q(category_id__in=candidates) | Q(category__isnull=True), urgency=urgency)}
    for key in candidates + [None]:
        if key in rows:
            p = rows[key]
            return sla.Policy(p.accept_within, p.respond_within, p.resolve_within, p.unit)
    return sla.Policy(*sla.DEFAULTS[urgency])


def apply_dues(t: Ticket) -> None:
    """Recompute the deadlines from the clock fields (see ``sla.compute_dues``)."""
    if t.clock_started_at is None:
        return
    cal = workdays.get_calendar()
    dues = sla.compute_dues(cal, sla.Policy(t.sla_accept, t.sla_respond, t.sla_resolve, t.sla_unit),
                            t.clock_started_at, t.extra_workdays)
    t.accept_due, t.respond_due, t.resolve_due = dues.accept, dues.respond, dues.resolve
    if t.resolve_by is not None and t.resolve_due is not None and t.resolve_by < t.resolve_due:
        # the transferring system's deadline is earlier: it is the one (and a first response comes before it)
        t.resolve_due = t.resolve_by
        t.respond_due = min(t.respond_due, t.resolve_by) if t.respond_due else None
    t.dues_provisional = dues.provisional
    if t.resolved_at and t.status == Ticket.Status.RESOLVED:
        t.confirm_due = sla.confirm_due(cal, t.resolved_at)
    refresh_next_due(t)


# Higher apps may set the limits of the problems led by their departments (a task force's, in hours): each
# override is ``ticket → sla.Policy or None``, asked when the clock starts.
_limit_overrides: list = []


def on_limits(override) -> None:
    if override not in _limit_overrides:
        _limit_overrides.append(override)


def start_clock(t: Ticket, at: datetime) -> None:
    p = next((o for o in (f(t) for f in _limit_overrides) if o is not None), None) or policy(t.category, t.urgency)
    t.sla_accept, t.sla_respond, t.sla_resolve, t.sla_unit = p.accept, p.respond, p.resolve, p.unit
    t.clock_started_at, t.extra_workdays = at, 0
    apply_dues(t)


def text(value, field: str, *, required=True, max_length=2000) -> str:
    return inputs.text(value, field, required=required, max_length=max_length)


def validate_attachments(files, *, existing: int = 0) -> None:
    """Refuse the whole upload when any file is of a wrong type or too large, or there are too many."""
    uploads.validate_files(files, max_count=MAX_ATTACHMENTS, existing=existing)


def save_attachments(t: Ticket, ev: TicketEvent | None, files, actor) -> None:
    for f in files or []:
        Attachment.objects.create(ticket=t, event=ev, file=f, name=PurePath(f.name).name[:200], size=f.size,
                                  content_type=getattr(f, "content_type", "") or "", uploaded_by=actor)
