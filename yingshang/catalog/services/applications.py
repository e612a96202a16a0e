"""Applications (办件): submission, acceptance (with 容缺), correction, refusal, the special procedure, the
decision and delivery, each locking the application and writing its event."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, workdays
from yingshang.credit import services as credit_services

from .. import hooks
from ..models import Application, Item, ItemVersion, Material


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def application_submit(*, actor, item: Item, enterprise, channel: str = Application.Channel.ONLINE,
                       commitment: bool = False, visits: int = 0, form_data: dict | None = None, at=None,
                       bundle_application=None, ref: str = "", from_bundle: bool = False,
                       files: list | None = None) -> Application:
    """A firm applies for ``item`` (its current version), or a window clerk records a counter application for
    it. A commitment in place of proofs (告知承诺) only for an item that allows it, never from a firm with a
    serious dishonesty record."""
    from yingshang.directory.permissions import is_member_of

    version = item.current
    if version is None:
        raise ValidationError({"item": _("This item is not published.")})
    member = actor is None or is_member_of(actor, enterprise)
    if not member and not (actor.has_perm("catalog.counter") or actor.has_perm(
            "catalog.handle_application", Application(version=version, department_id=version.department_id,
                                                      enterprise=enterprise))):
        raise PermissionDenied(_("You may not do this."))
    channel = inputs.choice(channel, "channel", Application.Channel)
    if not member and channel != Application.Channel.WINDOW:
        raise ValidationError({"channel": _("An official records an application at the window; only the firm's own "
                                            "staff apply online.")})
    if enterprise.status != "operating" and channel == Application.Channel.ONLINE and not from_bundle:
        raise ValidationError({"enterprise": _("Only an operating firm applies online.")})
    if commitment:
        if not version.commitment_allowed:
            raise ValidationError({"commitment": _("This item does not accept a commitment in place of proofs.")})
        if _seriously_dishonest(enterprise.pk):
            raise ValidationError({"commitment": _("A firm with a serious dishonesty record cannot apply on a "
                                                   "commitment.")})
        if Application.objects.filter(enterprise=enterprise, status=Application.Status.REVOKED).exists():
            raise ValidationError({"commitment": _("A firm that once made a false commitment supplies the proofs.")})
    # A bundle's later stage takes the answers the firm gave once, even if a form changed since.
    data = {f["key"]: form_data[f["key"]] for f in version.form_fields if (form_data or {}).get(f["key"])} \
        if from_bundle else form_values(version.form_fields, form_data or {})
    files = _check_files(version, files)
    ref = inputs.text(ref, "ref", required=False, max_length=60, multiline=False)
    if ref and not re.fullmatch(r"[a-z]+\.[a-z]+:[0-9]{1,18}", ref):
        raise ValidationError({"ref": _("A reference is written as app.kind:id (projects.step:12).")})
    at = at or timezone.now()
    year = timezone.localtime(at).year  # the zone's year: an application at 01:00 on 1 January is next year's
    with transaction.atomic():
        a = Application.objects.create(
            number=f"BJ-{year}-{numbering.next_value(f'catalog.application.{year}'):06d}",
            version=version, item=item, department_id=version.department_id, enterprise=enterprise,
            applicant=_user(actor), channel=channel, commitment=commitment, form_data=data,
            visits=inputs.integer(visits, "visits", min_value=0, max_value=20), created_at=at,
            bundle_application=bundle_application, ref=ref)
        _store_files(a, files, actor)
        a.green_channel = credit_services.green_channel_apply(enterprise_id=enterprise.pk,
                                                              context="catalog.application", ref=a.number,
                                                              actor=_user(actor))
        if a.green_channel:
            a.save(update_fields=["green_channel"])
        events.record("applications.application.submitted", a, actor=actor, application=a, to=a.status, at=at,
                      data={"green_channel": True} if a.green_channel else None)
        hooks.announce(a, "applications.application.submitted")
    return a


MAX_FILES = 30  # per application


def _check_files(version, files) -> list[tuple[str, object]]:
    """``files``: (material name, uploaded file) pairs; each names a material of the version (or "" for one
    supplied later); the types, sizes and count the platform accepts."""
    from yingshang.core import uploads

    files = list(files or [])
    names = set(version.materials.values_list("name", flat=True))
    for material, _f in files:
        if material and material not in names:
            raise ValidationError({"files": _("“%(name)s” is not a material of this item.") % {"name": material}})
    uploads.validate_files([f for _m, f in files], field="files", max_count=MAX_FILES)
    return files


def _store_files(a: Application, files, actor) -> None:
    from yingshang.core import uploads

    from ..models import SubmittedFile

    for material, f in files:
        SubmittedFile.objects.create(application=a, material=material, file=f, name=uploads.clean_name(f),
                                     size=f.size, uploaded_by=_user(actor))


def form_values(fields: list[dict], given: dict) -> dict:
    """The application form's answers: every field the version asks (one line each; required unless the
    field says ``"optional": true``), nothing it does not ask."""
    if not isinstance(given, dict):
        raise ValidationError({"form_data": _("The form's answers are a set of named fields.")})
    out, errors = {}, {}
    for f in fields:
        key = f["key"]
        try:
            value = inputs.text(given.get(key, ""), key, required=not f.get("optional"), max_length=500,
                                multiline=False)
        except ValidationError as exc:
            errors[key] = exc.messages
            continue
        if value:
            out[key] = value
    if errors:
        raise ValidationError(errors)
    return out


def _seriously_dishonest(enterprise_id: int) -> bool:
    from yingshang.credit.models import Record

    return Record.objects.filter(enterprise_id=enterprise_id, kind="serious_dishonest", status="active").exists()


def _begin(actor, application, name: str) -> tuple[Application, str | None]:
    """Lock the application (its row only), then who may act, the state, and the action's condition."""
    from yingshang.core.actions import IllegalTransition

    from ..actions import applications as TABLE

    a = Application.objects.select_for_update(of=("self",)).select_related("version", "enterprise") \
        .get(pk=application.pk)
    target = TABLE.begin(actor, name, a)
    if TABLE[name].when is not None and not TABLE[name].when(a, actor):
        raise IllegalTransition(name, a.status)
    return a, target


def _step(name: str, a: Application, actor, frm: str, *, note: str = "", internal_note: str = "", data=None, at=None):
    a.save()
    events.record(f"applications.application.{name}", a, actor=actor, application=a, frm=frm, to=a.status,
                  note=note, internal_note=internal_note, data=data or {}, at=at)
    hooks.announce(a, f"applications.application.{name}")


def _finished(a: Application, actor, at) -> None:
    if a.bundle_application_id:
        from .bundles import on_application_finished

        on_application_finished(a, actor=actor, at=at)


def _clock(a: Application) -> None:
    from .. import limits

    cal = workdays.get_calendar()
    v = a.version
    limit = 0 if v.kind == ItemVersion.Kind.IMMEDIATE else v.committed_limit
    try:
        a.due_at = limits.due(a.accepted_at, limit, v.committed_unit, cal, paused_workdays=a.paused_workdays)
        a.statutory_due_at = limits.due(a.accepted_at, v.statutory_limit, v.statutory_unit, cal,
                                        paused_workdays=a.paused_workdays)
    except workdays.CalendarError as exc:
        raise ValidationError(_("The deadline falls outside the working calendar: %(reason)s") % {"reason": exc}) \
            from None
    a.alerted = ""  # a new deadline is watched afresh


def application_accept(*, actor, application, missing: str = "", note: str = "", at=None) -> Application:
    """受理: the clock starts. Materials listed in ``missing`` (one a line) are accepted as missing (容缺) when
    the item allows it, they are secondary materials of its version, and the firm is neither in credit class
    D nor on the black list; the firm supplies them within ``CATALOG_TOLERANT_WORKDAYS`` working days, never
    beyond the committed deadline."""
    from django.conf import settings

    from yingshang.credit import selectors as credit

    with transaction.atomic():
        a, target = _begin(actor, application, "accept")
        names = [n.strip() for n in inputs.text(missing, "missing", required=False).splitlines() if n.strip()]
        if names:
            if not a.version.tolerant:
                raise ValidationError({"missing": _("This item does not accept a missing material.")})
            secondary = set(a.version.materials.filter(necessity=Material.Necessity.SECONDARY)
                            .values_list("name", flat=True))
            wrong = [n for n in names if n not in secondary]
            if wrong:
                raise ValidationError({"missing": _("Only secondary materials may be missing: %(names)s")
                                       % {"names": "、".join(wrong)}})
            if credit.grades_now([a.enterprise_id])[a.enterprise_id] == "D" or \
                    credit.active_lists(a.enterprise_id).filter(kind="black").exists():
                raise ValidationError({"missing": _("A firm in credit class D or on the black list supplies every "
                                                    "material before acceptance.")})
        frm = a.status
        a.status, a.accepted_at = target, at or timezone.now()
        _clock(a)
        a.missing = names
        a.missing_due = min(workdays.deadline(a.accepted_at, settings.CATALOG_TOLERANT_WORKDAYS, provisional=True),
                            a.due_at) if names else None
        _step("accepted", a, actor, frm, internal_note=inputs.text(note, "note", required=False), at=at,
              data={"missing": names})
    return a


def application_request_correction(*, actor, application, correction: str, at=None) -> Application:
    """补正告知: once, with the whole list of what to correct; the clock has not started."""
    with transaction.atomic():
        a, target = _begin(actor, application, "request_correction")
        if a.corrected:
            raise ValidationError({"correction": _("Corrections are asked for once, all at once: accept or refuse "
                                                   "the application now.")})
        frm, a.status, a.corrected = a.status, target, True
        a.correction = inputs.text(correction, "correction", max_length=5000)
        _step("correction_requested", a, actor, frm, note=a.correction, at=at)
    return a


def application_resubmit(*, actor, application, note: str = "", files=None, at=None) -> Application:
    """The firm submits its corrections (with the corrected materials, as files)."""
    with transaction.atomic():
        a, target = _begin(actor, application, "resubmit")
        _store_files(a, _check_files(a.version, [("", f) for f in files or []]), actor)
        frm, a.status = a.status, target
        _step("resubmitted", a, actor, frm, note=inputs.text(note, "note", required=False), at=at)
    return a


def application_refuse(*, actor, application, reason: str, at=None) -> Application:
    """不予受理, with the reason the firm reads."""
    with transaction.atomic():
        a, target = _begin(actor, application, "refuse")
        frm, a.status = a.status, target
        a.reason = inputs.text(reason, "reason", max_length=5000)
        _step("refused", a, actor, frm, note=a.reason, at=at)
        _finished(a, actor, at)
    return a


def application_supply(*, actor, application, files=None, at=None) -> Application:
    """The firm has supplied the materials accepted as missing (as files, or on paper at the window)."""
    with transaction.atomic():
        a, _target = _begin(actor, application, "supply")
        _store_files(a, _check_files(a.version, [("", f) for f in files or []]), actor)
        supplied, a.missing, a.missing_due = a.missing, [], None
        _step("supplied", a, actor, a.status, data={"supplied": supplied}, at=at)
    return a


def application_suspend(*, actor, application, reason: str, on=None) -> Application:
    """特别程序 (expert review, hearing, on-site survey, public notice): the clock stops from ``on``."""
    with transaction.atomic():
        a, target = _begin(actor, application, "suspend")
        frm, a.status = a.status, target
        a.special_since = on or timezone.localdate()
        _step("suspended", a, actor, frm, note=inputs.text(reason, "reason", max_length=2000))
    return a


def application_resume(*, actor, application, note: str = "", on=None) -> Application:
    """The special procedure ended on ``on``: its working days move both deadlines on."""
    with transaction.atomic():
        a, target = _begin(actor, application, "resume")
        on = on or timezone.localdate()
        if on < a.special_since:
            raise ValidationError({"on": _("The procedure cannot end before it began.")})
        spent = workdays.workdays_between(a.special_since, on, provisional=True)
        frm, a.status, a.paused_workdays, a.special_since = a.status, target, a.paused_workdays + spent, None
        _clock(a)
        _step("resumed", a, actor, frm, internal_note=inputs.text(note, "note", required=False),
              data={"workdays": spent})
    return a


def application_approve(*, actor, application, licence_number: str, valid_until=None, at=None) -> Application:
    """准予, with the licence number and its validity."""
    with transaction.atomic():
        a, target = _begin(actor, application, "approve")
        if a.missing:
            raise ValidationError({"licence_number": _("The materials accepted as missing are not supplied yet.")})
        frm, a.status, a.decided_at = a.status, target, at or timezone.now()
        a.licence_number = inputs.text(licence_number, "licence_number", max_length=80, multiline=False)
        a.licence_valid_until = valid_until
        _step("approved", a, actor, frm, data={"licence": a.licence_number, "late": a.decided_at > a.due_at}, at=at)
        _finished(a, actor, at)
    return a


def application_deny(*, actor, application, reason: str, at=None) -> Application:
    """不予许可, with the reason and the remedies open to the firm."""
    with transaction.atomic():
        a, target = _begin(actor, application, "deny")
        frm, a.status, a.decided_at = a.status, target, at or timezone.now()
        a.reason = inputs.text(reason, "reason", max_length=5000)
        _step("denied", a, actor, frm, note=a.reason, at=at)
        _finished(a, actor, at)
    return a


DELIVERIES = [("window", "window"), ("post", "post"), ("electronic", "electronic")]


def application_deliver(*, actor, application, delivery: str, tracking_number: str = "", at=None) -> Application:
    """送达: at the window, by post (with its tracking number) or as an electronic licence."""
    with transaction.atomic():
        a, target = _begin(actor, application, "deliver")
        a.delivery = inputs.choice(delivery, "delivery", DELIVERIES)
        a.tracking_number = inputs.text(tracking_number, "tracking_number", required=a.delivery == "post",
                                        max_length=60, multiline=False)
        frm, a.status = a.status, target
        _step("delivered", a, actor, frm, data={"delivery": a.delivery}, at=at)
    return a


def application_revoke(*, actor, application, reason: str, decision_number: str, at=None) -> Application:
    """告知承诺: a later check found the firm's commitment false. The decision is revoked with its reason and a
    credit record (a general administrative penalty) is written against the firm; it applies on a commitment
    no more."""
    with transaction.atomic():
        a, target = _begin(actor, application, "revoke")
        if not a.commitment:
            raise ValidationError({"reason": _("Only a decision made on a commitment is revoked here.")})
        reason = inputs.text(reason, "reason", max_length=5000)
        decision_number = inputs.text(decision_number, "decision_number", max_length=80, multiline=False)
        frm, a.status, a.revoked_reason = a.status, target, reason
        record = credit_services.record_create(
            actor=None, enterprise=a.enterprise, kind="penalty", severity="general", decision_number=decision_number,
            decided_on=timezone.localdate(at), department=a.department, origin="system", origin_ref=a.number,
            description=_("Commitment found false; %(item)s (%(number)s) revoked: %(reason)s")
            % {"item": a.version.name, "number": a.number, "reason": reason})
        _step("revoked", a, actor, frm, note=reason, data={"credit_record": record.pk, "decision": decision_number},
              at=at)
    return a


def application_terminate(*, application, at=None) -> Application:
    """The platform ends an application accepted with a missing material that was not supplied in time."""
    with transaction.atomic():
        a = Application.objects.select_for_update(of=("self",)).select_related("version", "enterprise") \
            .get(pk=application.pk)
        if a.status not in (Application.Status.REVIEW, Application.Status.SPECIAL) or not a.missing:
            return a
        frm, a.status = a.status, Application.Status.TERMINATED
        _step("terminated", a, None, frm, data={"missing": a.missing}, at=at,
              note=_("The materials accepted as missing were not supplied by %(due)s.")
              % {"due": timezone.localtime(a.missing_due).strftime("%Y-%m-%d %H:%M")})
        _finished(a, None, at)
    return a
