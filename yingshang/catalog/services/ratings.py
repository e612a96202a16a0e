"""好差评: the firm rates a decided application or a finished bundle; a bad rating (差评) is called back within
``CATALOG_CALLBACK_WORKDAYS`` working days and rectified within ``CATALOG_RECTIFY_WORKDAYS``, after which the
firm may rate once more; the department may appeal a rating to the service-data bureau, which decides."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, workdays

from ..models import BAD_SCORES, DECIDED, Application, BundleApplication, Rating, Score

SCORE_CHOICES = [(str(v), label) for v, label in Score.choices]
ASPECTS = ("overall", "efficiency", "attitude", "accuracy")


def _scores(values: dict) -> dict:
    return {k: int(inputs.choice(values.get(k), k, SCORE_CHOICES)) for k in ASPECTS}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _open_bad(r: Rating, at) -> None:
    """A real-name 差评 is called back first; an anonymous one, which nobody can call, goes to rectification."""
    if r.real_name:
        r.status = Rating.Status.CALLBACK
        r.callback_due = workdays.deadline(at, settings.CATALOG_CALLBACK_WORKDAYS, provisional=True)
    else:
        r.status = Rating.Status.RECTIFY
    r.rectify_due = workdays.deadline(at, settings.CATALOG_RECTIFY_WORKDAYS, provisional=True)


def rating_submit(*, actor, application: Application | None = None, bundle_application: BundleApplication | None = None,
                  comment: str = "", real_name: bool = True, at=None, **scores) -> Rating:
    """The firm rates once what was decided for it (an application) or done (a bundle)."""
    from yingshang.directory.permissions import is_member_of

    subject = application or bundle_application
    if subject is None or (application is not None and bundle_application is not None):
        raise ValidationError({"application": _("Rate one application or one bundle.")})
    if not is_member_of(actor, subject.enterprise):
        raise PermissionDenied(_("Only the firm that applied rates it."))
    values = _scores(scores)
    comment = inputs.text(comment, "comment", required=False, max_length=2000)
    at = at or timezone.now()
    with transaction.atomic():
        model = type(subject)
        subject = model.objects.select_for_update(of=("self",)).get(pk=subject.pk)
        if application is not None:
            if subject.status not in DECIDED:
                raise ValidationError({"application": _("An application is rated once it is decided.")})
            department_id, item_id = subject.department_id, subject.item_id
            exists = Rating.objects.filter(application=subject, previous__isnull=True).exists()
        else:
            if subject.status != BundleApplication.Status.DONE:
                raise ValidationError({"bundle_application": _("A bundle is rated once it is done.")})
            department_id = _bundle_department_id()
            item_id = None
            exists = Rating.objects.filter(bundle_application=subject, previous__isnull=True).exists()
        if exists:
            raise ValidationError({"overall": _("You have rated this already.")})
        r = Rating(application=application and subject, bundle_application=bundle_application and subject,
                   item_id=item_id, department_id=department_id, enterprise_id=subject.enterprise_id,
                   rater=_user(actor), comment=comment, real_name=bool(real_name), at=at, **values)
        if r.overall in BAD_SCORES:
            _open_bad(r, at)
        r.save()
        events.record("ratings.rating.submitted", r, actor=actor, rating=r, to=r.status, at=at, data=values)
        if r.bad:
            events.record("ratings.rating.bad", r, actor=None, rating=r, frm=r.status, at=at)
    return r


def _bundle_department_id() -> int:
    """A bundle is the service hall's: its rating goes to the service-data bureau."""
    from yingshang.directory.models import Department

    dept = Department.objects.filter(code=settings.CATALOG_HALL_DEPARTMENT).first()
    if dept is None:
        raise ValidationError({"bundle_application": _("No department %(code)s receives the bundles' ratings.")
                               % {"code": settings.CATALOG_HALL_DEPARTMENT}})
    return dept.pk


def _begin(actor, rating, name):
    """Lock the rating (its row only), then who may act, the state and the action's condition."""
    from yingshang.core.actions import IllegalTransition

    from ..actions import ratings as TABLE

    r = Rating.objects.select_for_update(of=("self",)).select_related("enterprise", "department").get(pk=rating.pk)
    target = TABLE.begin(actor, name, r)
    if TABLE[name].when is not None and not TABLE[name].when(r, actor):
        raise IllegalTransition(name, r.status)
    return r, target


def _step(name, r, actor, frm, **kwargs):
    r.save()
    events.record(f"ratings.rating.{name}", r, actor=actor, rating=r, frm=frm, to=r.status, **kwargs)


def rating_call_back(*, actor, rating, note: str, at=None) -> Rating:
    """回访: the department called the firm; every real-name bad rating is called back."""
    with transaction.atomic():
        r, target = _begin(actor, rating, "call_back")
        note = inputs.text(note, "note", max_length=2000)
        frm, r.status, r.called_back_at = r.status, target, at or timezone.now()
        _step("called_back", r, actor, frm, internal_note=note, at=at,
              data={"late": r.called_back_at > r.callback_due})
    return r


def rating_reply(*, actor, rating, reply: str, at=None) -> Rating:
    """整改: what was rectified, told to the firm, which may then rate once more."""
    with transaction.atomic():
        r, target = _begin(actor, rating, "reply")
        r.reply = inputs.text(reply, "reply", max_length=5000)
        frm, r.status, r.replied_at = r.status, target, at or timezone.now()
        _step("replied", r, actor, frm, note=r.reply, at=at, data={"late": r.replied_at > r.rectify_due})
    return r


def rating_rerate(*, actor, rating, comment: str = "", at=None, **scores) -> Rating:
    """The firm rates once more after the rectification; the new rating replaces the old one and is final."""
    with transaction.atomic():
        r, target = _begin(actor, rating, "rerate")  # who may rate again, before the scores are read
        values = _scores(scores)
        at = at or timezone.now()
        new = Rating.objects.create(
            application_id=r.application_id, bundle_application_id=r.bundle_application_id, item_id=r.item_id,
            department_id=r.department_id, enterprise_id=r.enterprise_id, rater=_user(actor), previous=r,
            comment=inputs.text(comment, "comment", required=False, max_length=2000), real_name=r.real_name, at=at,
            status=Rating.Status.FINAL, **values)
        frm, r.status = r.status, target
        _step("rerated", r, actor, frm, at=at, data={**values, "rating": new.pk})
    return new


def rating_appeal(*, actor, rating, reason: str, at=None) -> Rating:
    """申诉: the department holds the rating wrong or malicious; the service-data bureau decides."""
    with transaction.atomic():
        r, target = _begin(actor, rating, "appeal")
        r.appeal_reason = inputs.text(reason, "reason", max_length=5000)
        frm, r.status = r.status, target
        _step("appealed", r, actor, frm, internal_note=r.appeal_reason, at=at)
    return r


def rating_decide_appeal(*, actor, rating, upheld: bool, answer: str, at=None) -> Rating:
    """复核: upheld, the rating is annulled (it no longer counts); rejected, the department rectifies."""
    with transaction.atomic():
        r, _target = _begin(actor, rating, "decide_appeal")
        r.appeal_answer = inputs.text(answer, "answer", max_length=5000)
        frm = r.status
        if upheld:
            r.status = Rating.Status.VOID
        else:
            r.status = Rating.Status.RECTIFY if r.called_back_at or not r.real_name else Rating.Status.CALLBACK
            # the working days the appeal took do not count against the department
            appealed = r.events.filter(action="ratings.rating.appealed").order_by("-at").values_list("at",
                                                                                                  flat=True).first()
            if appealed is not None:
                now = at or timezone.now()
                spent = max(0, workdays.workdays_between(timezone.localdate(appealed), timezone.localdate(now),
                                                         provisional=True))
                cal = workdays.get_calendar()
                if r.callback_due and not r.called_back_at:
                    r.callback_due = cal.deadline(r.callback_due, spent, provisional=True)
                r.rectify_due = cal.deadline(r.rectify_due, spent, provisional=True)
                r.alerted = ""
        _step("appeal_upheld" if upheld else "appeal_rejected", r, actor, frm, internal_note=r.appeal_answer, at=at)
    return r
