"""Campaigns and pairings, and visits with the problems they collect (filed in the ledger in the same step)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, uploads, workdays
from yingshang.core.actions import IllegalTransition
from yingshang.core.models import IdempotencyKey
from yingshang.core.permissions import require
from yingshang.directory.models import Department, Enterprise
from yingshang.tickets.models import Category, Ticket
from yingshang.tickets.permissions import channels_for
from yingshang.tickets.services import ticket_register

from ..actions import service as TABLE
from ..models import Assignment, Campaign, Delivery, Need, Photo, Policy, Visit
from ..permissions import may
from ._common import denied

EDIT_WORKDAYS = 1      # a visit is the author's to correct until the end of the next working day
MAX_PROBLEMS = 10      # collected on one visit
MAX_NEEDS = 20
MAX_PHOTOS = 9


# --- campaigns ----------------------------------------------------------------------------------------------

def campaign_create(*, actor, name: str, department: Department, starts_on: date, ends_on: date,
                    description: str = "", bureaus=(), industries=(), sizes=(), key_only: bool = False) -> Campaign:
    """A visiting campaign: its period and the firms in scope (bureaus, industry words, sizes, key firms)."""
    require(actor, "service.add_campaign")
    name = inputs.text(name, "name", max_length=100, multiline=False)
    description = inputs.text(description, "description", required=False, max_length=2000)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    if any(b.kind != Department.Kind.BUREAU for b in bureaus):
        raise ValidationError({"bureaus": _("Choose service bureaus.")})
    industries = [inputs.text(w, "industries", max_length=60, multiline=False) for w in industries if w.strip()]
    sizes = list(dict.fromkeys(sizes))
    if any(s not in Enterprise.Size.values for s in sizes):
        raise ValidationError({"sizes": _("Unknown size.")})
    with transaction.atomic():
        c = Campaign.objects.create(name=name, department=department, starts_on=starts_on, ends_on=ends_on,
                                    description=description, industries=industries, sizes=sizes,
                                    key_only=bool(key_only), created_by=actor)
        c.bureaus.set(bureaus)
        events.record("service.campaign.created", c, actor=actor, campaign=c,
                      data={"name": name, "from": starts_on.isoformat(), "until": ends_on.isoformat()})
    return c


def campaign_assign(*, actor, campaign: Campaign, enterprise: Enterprise, official) -> Assignment:
    """Pair an official (a steward or a leader) with a firm of the campaign, instead of its steward."""
    require(actor, "service.assign")
    from yingshang.core import roles

    from ..selectors import campaign_firms

    if not roles.has_role(official, roles.STEWARD, roles.LEADER):
        raise ValidationError({"official": _("Pair a steward or a leader with the firm.")})
    if not campaign_firms(campaign).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("%(firm)s is not in the campaign's scope.") % {"firm": enterprise.name}})
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        a, _created = Assignment.objects.update_or_create(
            campaign=campaign, enterprise=enterprise, defaults={"official": official, "assigned_by": actor})
        events.record("service.campaign.assigned", campaign, actor=actor, campaign=campaign, enterprise=enterprise,
                      data={"official": official.pk, "firm": enterprise.name})
    return a


# --- visits -------------------------------------------------------------------------------------------------

def _clean_needs(needs) -> list[dict]:
    out = []
    for n in needs or ():
        kind = n.get("kind", "")
        if kind not in Need.Kind.values:
            raise ValidationError({"needs": _("Unknown kind of need.")})
        out.append({"kind": kind, "detail": inputs.text(n.get("detail", ""), "needs", required=False,
                                                         max_length=300, multiline=False)})
    if len(out) > MAX_NEEDS:
        raise ValidationError({"needs": _("At most %(n)d needs on one visit.") % {"n": MAX_NEEDS}})
    return out


def _clean_problems(problems) -> list[dict]:
    out = []
    for p in problems or ():
        category = p.get("category")
        if not isinstance(category, Category) or not category.active:
            raise ValidationError({"problems": _("Choose the category of each problem.")})
        out.append({"category": category,
                    "title": inputs.text(p.get("title", ""), "problems", max_length=120, multiline=False),
                    "description": inputs.text(p.get("description") or p.get("title", ""), "problems",
                                               max_length=5000)})
    if len(out) > MAX_PROBLEMS:
        raise ValidationError({"problems": _("At most %(n)d problems on one visit.") % {"n": MAX_PROBLEMS}})
    return out


def _check_policies(policies) -> list[Policy]:
    policies = list(dict.fromkeys(policies or ()))
    if any(p.status != Policy.Status.PUBLISHED for p in policies):
        raise ValidationError({"policies": _("Only policies in force can be handed over.")})
    return policies


def _visit_day(visited_on: date) -> date:
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit is recorded after it took place.")})
    if visited_on < timezone.localdate() - timedelta(days=366):
        raise ValidationError({"visited_on": _("Record visits of the last twelve months.")})
    return visited_on


def visit_record(*, actor, enterprise: Enterprise, visited_on: date, form: str, discussion: str,
                 campaign: Campaign | None = None, companions: str = "", internal_note: str = "", problems=(),
                 needs=(), policies=(), photos=(), idempotency_key: str = "", at: datetime | None = None) -> Visit:
    """走访: record a visit to a firm. Each problem collected is registered in the ledger in the same step
    (channel: steward visit) and linked to the visit; each policy handed over is a delivery to the firm."""
    if not may(actor, "service.record_visit", enterprise):
        raise denied()
    if idempotency_key:
        done = IdempotencyKey.objects.filter(user=actor, scope="service.visit", key=idempotency_key).first()
        if done:
            return Visit.objects.get(pk=done.object_id)
    if form not in Visit.Form.values:
        raise ValidationError({"form": _("Choose how the visit took place.")})
    visited_on = _visit_day(visited_on)
    discussion = inputs.text(discussion, "discussion", max_length=5000)
    companions = inputs.text(companions, "companions", required=False, max_length=200, multiline=False)
    internal_note = inputs.text(internal_note, "internal_note", required=False, max_length=5000)
    if campaign is not None and not (campaign.starts_on <= visited_on <= campaign.ends_on):
        raise ValidationError({"campaign": _("The visit is outside the campaign's period (%(a)s – %(b)s).")
                               % {"a": campaign.starts_on, "b": campaign.ends_on}})
    problems, needs, policies = _clean_problems(problems), _clean_needs(needs), _check_policies(policies)
    photos = list(photos or ())
    uploads.validate_files(photos, field="photos", max_count=MAX_PHOTOS)
    if any(not uploads.clean_name(f).lower().endswith(tuple(uploads.IMAGE_EXTENSIONS)) for f in photos):
        raise ValidationError({"photos": _("Photos are JPEG, PNG or GIF images.")})
    at = at or timezone.now()
    with transaction.atomic():
        year = timezone.localtime(at).year
        v = Visit.objects.create(
            number=f"ZF-{year}-{numbering.next_value(f'service.visits.{year}'):06d}", campaign=campaign,
            enterprise=enterprise, author=actor, companions=companions, visited_on=visited_on, form=form,
            discussion=discussion, internal_note=internal_note, created_at=at,
            editable_until=workdays.deadline(at, EDIT_WORKDAYS, provisional=True))
        tickets = _file_problems(actor, v, problems, at)
        Need.objects.bulk_create([Need(visit=v, **n) for n in needs])
        _hand_over(actor, v, policies, at)
        _save_photos(actor, v, photos)
        events.record("service.visit.recorded", v, actor=actor, visit=v, enterprise=enterprise, at=at,
                      note=discussion, internal_note=internal_note,
                      data={"problems": [t.number for t in tickets], "needs": [n["kind"] for n in needs],
                            "policies": [p.pk for p in policies], "photos": len(photos)})
        if idempotency_key:
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=actor, scope="service.visit", key=idempotency_key,
                                                  object_id=str(v.pk))
            except IntegrityError:
                raise ValidationError({"idempotency_key": _("This visit is being recorded already.")}) from None
    return v


def _file_problems(actor, v: Visit, problems: list[dict], at) -> list[Ticket]:
    # A steward's visit files through the steward channel; a leader's through the leader's own (the on-site office).
    channels = channels_for(actor)
    channel = Ticket.Channel.STEWARD if Ticket.Channel.STEWARD in channels else (channels or [None])[0]
    tickets = [ticket_register(actor=actor, enterprise=v.enterprise, channel=channel, at=at, **p) for p in problems]
    v.problems.add(*tickets)
    return tickets


def _hand_over(actor, v: Visit, policies: list[Policy], at) -> None:
    new = [p for p in policies if p.pk not in set(v.policies.values_list("pk", flat=True))]
    v.policies.add(*new)
    Delivery.objects.bulk_create([Delivery(policy=p, enterprise=v.enterprise, via=Delivery.Via.VISIT, visit=v,
                                           by=actor, at=at) for p in new])


def _save_photos(actor, v: Visit, photos) -> None:
    if v.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d files.") % {"n": MAX_PHOTOS}})
    for f in photos:
        Photo.objects.create(visit=v, file=f, name=uploads.clean_name(f)[:100], uploaded_by=actor)


def _lock_visit(visit) -> Visit:
    return Visit.objects.select_for_update().select_related("enterprise").get(pk=visit.pk)


def visit_edit(*, actor, visit: Visit, version: int, visited_on: date, form: str, discussion: str,
               companions: str = "", internal_note: str = "", problems=(), needs=(), policies=(), photos=(),
               at: datetime | None = None) -> Visit:
    """Correct a visit: its author, until the end of the next working day. Problems, needs, policies and photos
    can be added, never taken away (the problems are in the ledger, the policies with the firm)."""
    with transaction.atomic():
        v = _lock_visit(visit)
        if not may(actor, "service.edit_visit", v):
            if v.author_id == actor.pk:
                raise ValidationError(_("The time to correct this visit has passed: add a note instead."))
            raise denied()
        if v.version != version:
            raise ValidationError(_("The visit was changed meanwhile: reload it and make your change again."))
        if form not in Visit.Form.values:
            raise ValidationError({"form": _("Choose how the visit took place.")})
        if v.campaign_id and not (v.campaign.starts_on <= visited_on <= v.campaign.ends_on):
            raise ValidationError({"visited_on": _("The visit is outside the campaign's period (%(a)s – %(b)s).")
                                   % {"a": v.campaign.starts_on, "b": v.campaign.ends_on}})
        before = {"visited_on": v.visited_on.isoformat(), "form": v.form, "discussion": v.discussion}
        v.visited_on, v.form = _visit_day(visited_on), form
        v.discussion = inputs.text(discussion, "discussion", max_length=5000)
        v.companions = inputs.text(companions, "companions", required=False, max_length=200, multiline=False)
        v.internal_note = inputs.text(internal_note, "internal_note", required=False, max_length=5000)
        problems, policies = _clean_problems(problems), _check_policies(policies)
        photos = list(photos or ())
        uploads.validate_files(photos, field="photos", max_count=MAX_PHOTOS)
        at = at or timezone.now()
        v.version += 1
        v.save()
        tickets = _file_problems(actor, v, problems, at)
        Need.objects.bulk_create([Need(visit=v, **n) for n in _clean_needs(needs)])
        _hand_over(actor, v, policies, at)
        _save_photos(actor, v, photos)
        events.record("service.visit.edited", v, actor=actor, visit=v, enterprise=v.enterprise, at=at, tell=False,
                      data={"before": before, "problems": [t.number for t in tickets]})
        if v.needs.count() > MAX_NEEDS:
            raise ValidationError({"needs": _("At most %(n)d needs on one visit.") % {"n": MAX_NEEDS}})
    return v


def visit_annotate(*, actor, visit: Visit, note: str) -> Visit:
    """Add a note to a visit (officials read it): how a visit is completed once it can no longer be edited."""
    with transaction.atomic():
        v = _lock_visit(visit)
        TABLE.begin(actor, "annotate", v)
        note = inputs.text(note, "note", max_length=2000)
        events.record("service.visit.annotated", v, actor=actor, visit=v, enterprise=v.enterprise,
                      internal_note=note)
    return v


def visit_confirm(*, actor, visit: Visit, comment: str = "") -> Visit:
    """The firm confirms, from its own account, that the visit took place (once)."""
    with transaction.atomic():
        v = _lock_visit(visit)
        if not TABLE["confirm"].allowed(actor, v):
            raise denied()
        if v.confirmed_at is not None:
            raise IllegalTransition("confirm", "confirmed")
        comment = inputs.text(comment, "comment", required=False, max_length=2000)
        v.confirmed_at, v.confirmed_by = timezone.now(), actor
        v.save(update_fields=["confirmed_at", "confirmed_by"])
        events.record("service.visit.confirmed", v, actor=actor, visit=v, enterprise=v.enterprise, note=comment)
    return v


