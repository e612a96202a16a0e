"""挂号 and the ends of a problem that are not its handling: registering, withdrawing, merging."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import numbering
from yingshang.core.models import IdempotencyKey
from yingshang.credit import services as credit_services
from yingshang.directory.models import Enterprise, Stewardship

from ..models import OPEN, Category, Ticket, Urgency
from ..permissions import channels_for
from . import _common as c

# The app that keeps projects (a higher one) registers ``check(enterprise, ref) -> error message or None``: a
# problem may carry only a project of its own enterprise.
_project_ref_checks: list = []


def on_project_ref(check) -> None:
    if check not in _project_ref_checks:
        _project_ref_checks.append(check)


class _AlreadyCreated(Exception):
    pass


def ticket_register(*, actor, enterprise: Enterprise, category: Category, title: str, description: str,
                    urgency: str = Urgency.NORMAL, channel: str | None = None, is_historical: bool = False,
                    project_ref: str = "", attachments=(), idempotency_key: str = "",
                    resolve_by: datetime | None = None, at: datetime | None = None) -> Ticket:
    """挂号: register a problem with a new number. A category with a default department routes it there at
    once. With ``idempotency_key``, a retried call returns the first ticket.

    Who may raise for which firm is ``permissions.may_raise_for``; through which channel,
    ``permissions.channels_for`` (a firm's staff raise online; the on-site office is the leaders')."""
    if actor is None:
        raise ValueError("a ticket is raised by a person")
    if not c.may(actor, "raise", enterprise):
        raise PermissionDenied(_("You may not raise problems for this enterprise."))
    if idempotency_key:
        done = IdempotencyKey.objects.filter(user=actor, scope="tickets.register", key=idempotency_key).first()
        if done:
            return Ticket.objects.get(pk=done.object_id)
    allowed_channels = channels_for(actor)
    channel = channel or (allowed_channels[0] if allowed_channels else Ticket.Channel.WEB)
    if channel not in allowed_channels:
        label = dict(Ticket.Channel.choices).get(channel)
        raise ValidationError({"channel": _("You cannot register a problem through “%(channel)s”.")
                               % {"channel": label} if label else _("Unknown channel.")})
    if enterprise.status != Enterprise.Status.OPERATING:
        raise ValidationError({"enterprise": _("%(firm)s is %(status)s: no new problems can be registered for it.")
                               % {"firm": enterprise.name, "status": enterprise.get_status_display()}})
    title = c.text(title, "title", max_length=120)
    description = c.text(description, "description", max_length=5000)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Unknown urgency.")})
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    c.validate_attachments(attachments)
    project_ref = c.text(project_ref, "project_ref", required=False, max_length=60)
    for check in _project_ref_checks if project_ref else ():
        error = check(enterprise, project_ref)
        if error:
            raise ValidationError({"project_ref": error})
    at = c.now_or(at)
    try:
        return _register(actor, enterprise, category, title, description, urgency, channel, is_historical,
                         project_ref, attachments, idempotency_key, at, resolve_by)
    except _AlreadyCreated:  # a concurrent retry with the same key won: give its ticket
        done = IdempotencyKey.objects.get(user=actor, scope="tickets.register", key=idempotency_key)
        return Ticket.objects.get(pk=done.object_id)


def _register(actor, enterprise, category, title, description, urgency, channel, is_historical, project_ref,
              attachments, idempotency_key, at, resolve_by=None) -> Ticket:
    with transaction.atomic():
        local_year = timezone.localtime(at).year
        number = f"QS-{local_year}-{numbering.next_value(f'tickets.{local_year}'):06d}"
        current = Stewardship.objects.filter(enterprise=enterprise, ended_on__isnull=True).values(
            "leader_id", "steward_id").first() or {}
        t = Ticket.objects.create(
            number=number, enterprise=enterprise, raised_by=actor, channel=channel,
            category=category, title=title, description=description, urgency=urgency, is_historical=is_historical,
            project_ref=project_ref, leader_id=current.get("leader_id"), steward_id=current.get("steward_id"),
            resolve_by=resolve_by, created_at=at)
        route = category.default_department or (category.parent.default_department if category.parent_id else None)
        # Routed at once: the departments are told of the dispatch, the dispatchers need not be.
        ev = c.event("registered", t, actor, frm="", to=Ticket.Status.REGISTERED, at=at, tell=route is None,
                     data={"channel": channel, "number": number})
        c.save_attachments(t, ev, attachments, actor)
        credit_services.green_channel_apply(enterprise_id=enterprise.pk, context="tickets.register", ref=number,
                                            actor=actor)
        if idempotency_key:
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=actor, scope="tickets.register", key=idempotency_key,
                                                  object_id=str(t.pk))
            except IntegrityError:
                raise _AlreadyCreated from None  # leaves the block: this ticket is rolled back
        if route is not None:
            from .handling import dispatch_to

            return dispatch_to(t, None, route, [], "", at, "dispatched", note=_("Routed automatically by category."))
    return t


@transaction.atomic
def ticket_withdraw(*, actor, ticket, reason: str, at: datetime | None = None) -> Ticket:
    t, target = c.begin(actor, ticket, "withdraw")
    reason = c.text(reason, "reason")
    at = c.now_or(at)
    frm, t.status, t.closed_at, t.next_due = t.status, target, at, None
    t.save()
    c.event("withdrawn", t, actor, frm=frm, to=target, note=reason, at=at)
    return t


@transaction.atomic
def ticket_merge(*, actor, ticket, into, note: str = "", at: datetime | None = None) -> Ticket:
    """并单: a duplicate is merged into another open problem of the same enterprise. ``into`` is a ticket or
    its number (looked up among the tickets the actor can see)."""
    from ..selectors import tickets_visible_to

    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    t = Ticket.objects.get(pk=pk)
    c.TABLE.begin(actor, "merge", t)  # who, then the state; checked again below under the locks
    if not isinstance(into, Ticket):
        number = c.text(into, "into", max_length=20).upper()
        into = (tickets_visible_to(actor) if actor is not None else Ticket.objects).filter(number=number).first()
        if into is None:
            raise ValidationError({"into": _("No problem has this number.")})
    if into.pk == t.pk:
        raise ValidationError({"into": _("A problem cannot be merged into itself.")})
    # Both rows locked, always in the same order: no deadlock between A→B and B→A.
    first, second = sorted([t.pk, into.pk])
    locked = {first: c.lock(first), second: c.lock(second)}
    t, other = locked[t.pk], locked[into.pk]
    target = c.TABLE.check("merge", t.status)
    if other.enterprise_id != t.enterprise_id:
        raise ValidationError({"into": _("Only problems of the same enterprise can be merged.")})
    if other.status not in OPEN:
        raise ValidationError({"into": _("Merge into a problem that is still open.")})
    note = c.text(note, "note", required=False)
    at = c.now_or(at)
    frm, t.status, t.merged_into, t.closed_at, t.next_due = t.status, target, other, at, None
    t.save()
    c.event("merged", t, actor, frm=frm, to=target, internal_note=note, at=at, data={"into": other.number})
    c.event("merged_in", other, actor, frm=other.status, internal_note=note, at=at, data={"from": t.number})
    return t


def _set_published(actor, ticket, action: str, value: bool, at) -> Ticket:
    from yingshang.core.actions import IllegalTransition

    t, _target = c.begin(actor, ticket, action)
    if t.published == value:
        raise IllegalTransition(action, "published" if value else "not published")
    t.published = value
    t.save(update_fields=["published"])
    c.event(f"{action}ed", t, actor, frm=t.status, at=c.now_or(at))
    return t


@transaction.atomic
def ticket_publish(*, actor, ticket, at: datetime | None = None) -> Ticket:
    """The firm lets the public read the problem through Open311 (nothing is public until it does)."""
    return _set_published(actor, ticket, "publish", True, at)


@transaction.atomic
def ticket_unpublish(*, actor, ticket, at: datetime | None = None) -> Ticket:
    """The firm takes the problem out of public view again."""
    return _set_published(actor, ticket, "unpublish", False, at)
