"""一件事一次办: one application for a bundle of items — one form (a field several items ask is asked once),
one material list (a material several items need is submitted once). It creates the item applications of
its first stage at once, the next stage's when every application of a stage is finished, and is done when
all are; its elapsed time is counted in working hours against its own committed limit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, workdays

from .. import limits
from ..models import Application, Bundle, BundleApplication, BundleItem, Item, OPEN
from .applications import application_submit, form_values


def bundle_define(*, actor, code: str, name: str, items: list[tuple[Item, int]], committed_workdays: int = 1,
                  description: str = "", life_event: str = "") -> Bundle:
    """An administrator defines (or redefines) a bundle: its items, each with its stage."""
    from yingshang.core.permissions import require

    require(actor, "catalog.import_items")
    code = inputs.text(code, "code", max_length=40, multiline=False)
    if len({i.pk for i, _s in items}) != len(items) or len(items) < 2:
        raise ValidationError({"items": _("A bundle has at least two items, each once.")})
    unpublished = [i.code for i, _s in items if i.current_id is None]
    if unpublished:
        raise ValidationError({"items": _("Not published: %(codes)s") % {"codes": "、".join(unpublished)}})
    with transaction.atomic():
        b, _created = Bundle.objects.update_or_create(code=code, defaults={
            "name": inputs.text(name, "name", max_length=120, multiline=False), "description": description,
            "committed_workdays": inputs.integer(committed_workdays, "committed_workdays", min_value=1, max_value=60),
            "life_event": life_event})
        kept = []
        for order, (item, stage) in enumerate(items):
            m, _c = BundleItem.objects.update_or_create(bundle=b, item=item, defaults={
                "stage": inputs.integer(stage, "stage", min_value=1, max_value=9), "order": order})
            kept.append(m.pk)
        BundleItem.objects.filter(bundle=b).exclude(pk__in=kept).delete()  # membership is configuration, not a record
    return b


def bundle_members(bundle: Bundle) -> list[BundleItem]:
    return list(bundle.members.select_related("item__current__department").order_by("stage", "order", "id"))


def merged_form(members: list[BundleItem]) -> list[dict]:
    """Every field the bundle's items ask, each once (the first label wins), with the items asking it."""
    out: dict[str, dict] = {}
    for m in members:
        for f in m.item.current.form_fields:
            entry = out.setdefault(f["key"], {**f, "items": []})
            entry["items"].append(m.item.current.name)
            if not f.get("optional"):
                entry.pop("optional", None)
    return list(out.values())


def merged_materials(members: list[BundleItem]) -> list[dict]:
    """Every material the bundle's items need, each once by its name, with the items needing it."""
    from ..models import Material

    out: dict[str, dict] = {}
    versions = [m.item.current_id for m in members]
    names = {m.item.current_id: m.item.current.name for m in members}
    for mat in Material.objects.filter(version_id__in=versions).order_by("version_id", "order", "id"):
        entry = out.setdefault(mat.name, {"name": mat.name, "necessity": mat.necessity, "items": [],
                                          "original": mat.original, "copies": mat.copies})
        entry["items"].append(names[mat.version_id])
        if mat.necessity == Material.Necessity.REQUIRED:
            entry["necessity"] = mat.necessity
    return list(out.values())


def bundle_apply(*, actor, bundle: Bundle, enterprise, form_data: dict | None = None,
                 channel: str = Application.Channel.ONLINE, visits: int = 0, at=None) -> BundleApplication:
    """One application for the whole bundle: the first stage's item applications are made at once."""
    from yingshang.directory.permissions import is_member_of

    if not (is_member_of(actor, enterprise) or actor.has_perm("catalog.counter")):
        raise PermissionDenied(_("You may not do this."))
    if not bundle.active:
        raise ValidationError({"bundle": _("This bundle is no longer offered.")})
    members = bundle_members(bundle)
    if not members:
        raise ValidationError({"bundle": _("This bundle has no items yet.")})
    data = form_values(merged_form(members), form_data or {})
    at = at or timezone.now()
    year = timezone.localtime(at).year
    with transaction.atomic():
        ba = BundleApplication.objects.create(
            number=f"YJ-{year}-{numbering.next_value(f'catalog.bundle.{year}'):06d}", bundle=bundle,
            enterprise=enterprise, applicant=actor if actor.is_authenticated else None,
            channel=inputs.choice(channel, "channel", Application.Channel), form_data=data, created_at=at,
            due_at=workdays.deadline(at, bundle.committed_workdays, provisional=True), stage=members[0].stage)
        events.record("applications.bundle.submitted", ba, actor=actor, bundle_application=ba, to=ba.status, at=at,
                      data={"items": [m.item.code for m in members]})
        _start_stage(actor, ba, members, ba.stage, visits=visits, at=at)
    return ba


def _start_stage(actor, ba: BundleApplication, members, stage: int, *, visits: int = 0, at=None) -> None:
    for m in members:
        if m.stage == stage:
            keys = {f["key"] for f in m.item.current.form_fields}
            application_submit(actor=actor, item=m.item, enterprise=ba.enterprise, channel=ba.channel,
                               visits=visits, at=at, bundle_application=ba, from_bundle=actor is None,
                               form_data={k: v for k, v in ba.form_data.items() if k in keys})
            visits = 0  # the bundle's visits are counted once


def on_application_finished(application: Application, *, actor=None, at=None) -> None:
    """An application of a bundle is finished (decided, not accepted or terminated): start the next stage
    when its stage is all finished, and end the bundle when everything is."""
    if not application.bundle_application_id:
        return
    ba = BundleApplication.objects.select_for_update(of=("self",)).select_related("bundle").get(
        pk=application.bundle_application_id)
    if ba.status != BundleApplication.Status.OPEN:
        return
    if ba.applications.filter(status__in=OPEN).exists():
        return
    members = bundle_members(ba.bundle)
    later = sorted({m.stage for m in members if m.stage > ba.stage})
    at = at or timezone.now()
    granted = not ba.applications.filter(stage_filter(ba.stage, members)).exclude(status__in=GRANTED).exists()
    if later and granted:
        ba.stage = later[0]
        ba.save(update_fields=["stage"])
        events.record("applications.bundle.stage_started", ba, actor=actor, bundle_application=ba,
                      frm=ba.status, data={"stage": ba.stage}, at=at)
        _start_stage(None, ba, members, ba.stage, at=at)  # the platform starts them, for the firm
        return
    ba.status = BundleApplication.Status.DONE if granted else BundleApplication.Status.ENDED
    ba.done_at = at
    ba.work_hours = limits.work_hours(ba.created_at, at, workdays.get_calendar(), opens=settings.OFFICE_OPEN,
                                      closes=settings.OFFICE_CLOSE)
    ba.save(update_fields=["status", "done_at", "work_hours"])
    events.record("applications.bundle.done" if granted else "applications.bundle.ended", ba, actor=actor,
                  bundle_application=ba, frm="open", to=ba.status, at=at,
                  data={"work_hours": float(ba.work_hours), "late": at > ba.due_at})


GRANTED = (Application.Status.APPROVED, Application.Status.DELIVERED)


def stage_filter(stage: int, members):
    """The applications of one stage of a bundle application (by their items)."""
    from django.db.models import Q

    return Q(item_id__in=[m.item_id for m in members if m.stage == stage])
