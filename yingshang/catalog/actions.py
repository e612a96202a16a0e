"""The catalogue's actions and events (see ``core.actions``)."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import ESCALATION, FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import (Application, ApplicationEvent, BundleApplication, BundleEvent, Claim, Event, Item, Rating,
                     RatingEvent, RegistrationEvent, Score)

SERVICES = "yingshang.catalog.services."


def _item(obj):
    return obj if isinstance(obj, Item) else obj.item


def _link(obj):
    from django.urls import reverse

    return reverse("portal:guide_item", args=[_item(obj).code])


def _context(obj):
    item = _item(obj)
    return {"item": item.current.name if item.current_id else item.code, "code": item.code}


catalog = domain("catalog", subject="item", link=_link, context=_context,
                 group_key=lambda obj: f"catalog.item:{_item(obj).pk}")
catalog.event_model = Event

E = catalog.event
E(EventType("catalog.item.published", _("item published"), audience=STAFF))


# --- applications (办件) -------------------------------------------------------------------------

def _application_context(a):
    if isinstance(a, BundleApplication):
        return {"number": a.number, "item": a.bundle.name, "firm": a.enterprise.name}
    return {"number": a.number, "item": a.version.name, "firm": a.enterprise.name}


def _firm_people(a, event=None):
    return list(a.enterprise.members.filter(active=True).values_list("user_id", flat=True))


def _department_staff(a, event=None):
    from yingshang.directory.models import StaffProfile

    if isinstance(a, BundleApplication):
        return []
    return list(StaffProfile.objects.filter(department_id=a.department_id, user__is_active=True)
                .values_list("user_id", flat=True))


def _supervision(a, event=None):
    from yingshang.core import roles

    return roles.members(roles.SUPERVISOR)


def _application_link(a):
    from django.urls import reverse

    if isinstance(a, BundleApplication):
        return reverse("catalog:bundle_detail", args=[a.pk])
    return reverse("catalog:detail", args=[a.pk])


applications = domain("applications", subject="application", link=_application_link,
                      context=_application_context,
                      group_key=lambda a: f"catalog.{'bundle' if isinstance(a, BundleApplication) else 'application'}"
                                          f":{a.pk}",
                      audiences={"firm": _firm_people, "department": _department_staff,
                                 "supervision": _supervision})
applications.event_model = ApplicationEvent
applications.event_models = {"bundle": BundleEvent}

S = Application.Status
STAFF_NOTE = Field("note", "text", _("Note (officials read it; the firm does not)"), required=False, audience=STAFF)
A = applications.action
A(Action("resubmit", _("Submit the corrections"), SERVICES + "application_resubmit", who=P.is_applicant_firm,
         event="applications.application.resubmitted", sources=frozenset({S.CORRECTION}), target=S.SUBMITTED,
         fields=(Field("note", "text", _("What was corrected (the department reads it)"), required=False,
                       audience=FIRM), Field("files", "files", _("Corrected materials (files)"), required=False))))
A(Action("accept", _("Accept"), SERVICES + "application_accept", who=P.may_handle,
         event="applications.application.accepted", sources=frozenset({S.SUBMITTED}), target=S.REVIEW,
         fields=(Field("missing", "text", _("Secondary materials the firm may supply later, one a line (the firm "
                                            "reads it)"), required=False, audience=FIRM), STAFF_NOTE)))
A(Action("request_correction", _("Ask for corrections"), SERVICES + "application_request_correction",
         who=P.may_handle, event="applications.application.correction_requested", sources=frozenset({S.SUBMITTED}),
         target=S.CORRECTION, style="outline-warning",
         fields=(Field("correction", "text", _("Everything to correct, at once (the firm reads it)"),
                       audience=FIRM),)))
A(Action("refuse", _("Do not accept"), SERVICES + "application_refuse", who=P.may_handle,
         event="applications.application.refused", sources=frozenset({S.SUBMITTED, S.CORRECTION}), target=S.REFUSED,
         style="outline-danger", fields=(Field("reason", "text", _("Why it is not accepted (the firm reads it)"),
                                               audience=FIRM),)))
A(Action("supply", _("Supply the missing materials"), SERVICES + "application_supply", who=P.is_applicant_firm,
         event="applications.application.supplied", sources=frozenset({S.REVIEW, S.SPECIAL}),
         when=lambda a, user: bool(a.missing),
         fields=(Field("files", "files", _("The materials (files), or bring them to the window"), required=False),)))
A(Action("suspend", _("Start a special procedure"), SERVICES + "application_suspend", who=P.may_handle,
         event="applications.application.suspended", sources=frozenset({S.REVIEW}), target=S.SPECIAL,
         style="outline-secondary",
         fields=(Field("reason", "text", _("Which procedure and why: expert review, hearing, on-site survey, public "
                                           "notice (the firm reads it)"), audience=FIRM),)))
A(Action("resume", _("End the special procedure"), SERVICES + "application_resume", who=P.may_handle,
         event="applications.application.resumed", sources=frozenset({S.SPECIAL}), target=S.REVIEW,
         fields=(STAFF_NOTE,)))
A(Action("approve", _("Approve"), SERVICES + "application_approve", who=P.may_decide,
         event="applications.application.approved", sources=frozenset({S.REVIEW}), target=S.APPROVED, style="success",
         when=lambda a, user: not a.missing,
         fields=(Field("licence_number", "line", _("Licence number"), max_length=80),
                 Field("valid_until", "date", _("Valid until"), required=False))))
A(Action("deny", _("Deny"), SERVICES + "application_deny", who=P.may_decide,
         event="applications.application.denied", sources=frozenset({S.REVIEW}), target=S.DENIED,
         style="outline-danger",
         fields=(Field("reason", "text", _("Why, and the remedies open to the firm (the firm reads it)"),
                       audience=FIRM),)))
A(Action("deliver", _("Deliver the result"), SERVICES + "application_deliver", who=P.may_handle,
         event="applications.application.delivered", sources=frozenset({S.APPROVED, S.DENIED}), target=S.DELIVERED,
         fields=(Field("delivery", "choice", _("Delivered by"), choices=[("window", _("at the window")),
                                                                         ("post", _("post")),
                                                                         ("electronic", _("electronic licence"))]),
                 Field("tracking_number", "line", _("Tracking number (by post)"), required=False, max_length=60))))

A(Action("revoke", _("Revoke: the commitment was false"), SERVICES + "application_revoke", who=P.may_decide,
         event="applications.application.revoked", sources=frozenset({S.APPROVED, S.DELIVERED}), target=S.REVOKED,
         style="outline-danger", when=lambda a, user: a.commitment,
         fields=(Field("reason", "text", _("What the check found false (the firm reads it)"), audience=FIRM),
                 Field("decision_number", "line", _("Number of the revocation decision"), max_length=80))))

E2 = applications.event
E2(EventType("applications.application.submitted", _("applied"), tell=("department",), kind=WORK,
             message=_("New application %(number)s: %(item)s")))
E2(EventType("applications.application.resubmitted", _("corrections submitted"), tell=("department",), kind=WORK,
             message=_("%(number)s corrected: %(item)s")))
E2(EventType("applications.application.accepted", _("accepted"), tell=("firm",),
             message=_("%(number)s accepted: %(item)s")))
E2(EventType("applications.application.correction_requested", _("corrections asked for"), tell=("firm",), kind=WORK,
             message=_("%(number)s: please correct your application")))
E2(EventType("applications.application.refused", _("not accepted"), tell=("firm",),
             message=_("%(number)s was not accepted")))
E2(EventType("applications.application.supplied", _("missing materials supplied"), tell=("department",),
             message=_("%(number)s: the missing materials are supplied")))
E2(EventType("applications.application.suspended", _("special procedure started"), tell=("firm",),
             message=_("%(number)s: a special procedure has started")))
E2(EventType("applications.application.resumed", _("special procedure ended"), tell=("firm",),
             message=_("%(number)s: the special procedure has ended")))
E2(EventType("applications.application.approved", _("approved"), tell=("firm",),
             message=_("%(number)s approved: %(item)s")))
E2(EventType("applications.application.denied", _("denied"), tell=("firm",), message=_("%(number)s denied")))
E2(EventType("applications.application.delivered", _("result delivered"), tell=("firm",),
             message=_("%(number)s: the result is on its way")))
E2(EventType("applications.application.revoked", _("revoked: the commitment was false"), tell=("firm",),
             message=_("%(number)s revoked: the commitment was found false")))
E2(EventType("applications.application.terminated", _("terminated: missing materials not supplied in time"),
             tell=("firm", "department"), message=_("%(number)s terminated: the missing materials were not supplied")))
E2(EventType("applications.application.warned", _("due within a working day"), audience=STAFF,
             tell=("department",), kind=ESCALATION, message=_("%(number)s is due within a working day: %(item)s")))
E2(EventType("applications.application.overdue", _("past the committed deadline"), audience=STAFF,
             tell=("department", "supervision"), kind=ESCALATION,
             message=_("%(number)s is past its committed deadline: %(item)s")))
E2(EventType("applications.bundle.submitted", _("bundle applied for"), message=_("%(number)s: %(item)s applied for")))
E2(EventType("applications.bundle.stage_started", _("next stage started"),
             message=_("%(number)s: the next items have started")))
E2(EventType("applications.bundle.done", _("bundle done"), tell=("firm",), message=_("%(number)s done: %(item)s")))
E2(EventType("applications.bundle.ended", _("bundle ended: an item was not granted"), tell=("firm",),
             message=_("%(number)s ended: an item was not granted, the later ones were not started")))


# --- 好差评 ---------------------------------------------------------------------------------------

def _rating_context(r):
    subject = r.application or r.bundle_application
    return {"number": subject.number, "department": r.department.name, "score": r.get_overall_display()}


def _rating_link(r):
    from django.urls import reverse

    return reverse("catalog:rating", args=[r.pk])


def _rating_department(r, event=None):
    from yingshang.directory.models import StaffProfile

    return list(StaffProfile.objects.filter(department_id=r.department_id, user__is_active=True)
                .values_list("user_id", flat=True))


def _rating_bureau(r, event=None):
    """Who decides an appeal: the hall's staff — the supervision office when the rating is the hall's own."""
    from django.conf import settings

    from yingshang.core import roles
    from yingshang.directory.models import StaffProfile

    if r.department.code == settings.CATALOG_HALL_DEPARTMENT:
        return roles.members(roles.SUPERVISOR)
    return list(StaffProfile.objects.filter(department__code=settings.CATALOG_HALL_DEPARTMENT, user__is_active=True)
                .values_list("user_id", flat=True))


def _rating_firm(r, event=None):
    return list(r.enterprise.members.filter(active=True).values_list("user_id", flat=True))


ratings = domain("ratings", subject="rating", link=_rating_link, context=_rating_context,
                 group_key=lambda r: f"catalog.rating:{r.pk}",
                 audiences={"firm": _rating_firm, "department": _rating_department, "bureau": _rating_bureau,
                            "supervision": _supervision})
ratings.event_model = RatingEvent
R = Rating.Status
SCORES = tuple(Field(name, "choice", label, choices=Score) for name, label in (
    ("overall", _("Overall")), ("efficiency", _("Efficiency")), ("attitude", _("Attitude")),
    ("accuracy", _("Accuracy of the guide"))))
RA = ratings.action
RA(Action("call_back", _("Record the call-back"), SERVICES + "rating_call_back", who=P.may_answer_rating,
          event="ratings.rating.called_back", sources=frozenset({R.CALLBACK}), target=R.RECTIFY,
          fields=(Field("note", "text", _("What the firm said on the call (officials read it)"), audience=STAFF),)))
RA(Action("reply", _("Rectified: reply to the firm"), SERVICES + "rating_reply", who=P.may_answer_rating,
          event="ratings.rating.replied", sources=frozenset({R.RECTIFY}), target=R.REPLIED, style="success",
          fields=(Field("reply", "text", _("What was rectified (the firm reads it)"), audience=FIRM),)))
RA(Action("rerate", _("Rate once more"), SERVICES + "rating_rerate", who=P.is_rating_firm,
          event="ratings.rating.rerated", sources=frozenset({R.REPLIED}), target=R.REPLACED,
          fields=SCORES + (Field("comment", "text", _("Comment (the department reads it)"), required=False,
                                 audience=FIRM),)))
RA(Action("appeal", _("Appeal the rating"), SERVICES + "rating_appeal", who=P.may_appeal_rating,
          event="ratings.rating.appealed", sources=frozenset({R.CALLBACK, R.RECTIFY}), target=R.APPEALED,
          style="outline-secondary", when=lambda r, user: not r.appeal_reason,  # one appeal a rating
          fields=(Field("reason", "text", _("Why the rating is wrong or malicious (the service-data bureau reads it; "
                                            "the firm does not)"), audience=STAFF),)))
RA(Action("decide_appeal", _("Decide the appeal"), SERVICES + "rating_decide_appeal", who=P.may_review_rating,
          event="ratings.rating.appeal_upheld", events=("ratings.rating.appeal_upheld",
                                                        "ratings.rating.appeal_rejected"),
          sources=frozenset({R.APPEALED}),
          fields=(Field("upheld", "yesno", _("Is the appeal upheld (the rating annulled)?"),
                        choices=[("yes", _("Yes: annul the rating")), ("no", _("No: the department rectifies"))]),
                  Field("answer", "text", _("The bureau's reasons (officials read them)"), audience=STAFF))))
RE = ratings.event
RE(EventType("ratings.rating.submitted", _("rated"), message=_("%(number)s rated %(score)s")))
RE(EventType("ratings.rating.bad", _("bad rating: to be called back"), tell=("department",), kind=WORK,
             message=_("Bad rating of %(number)s: call the firm back within a working day")))
RE(EventType("ratings.rating.called_back", _("called back")))
RE(EventType("ratings.rating.replied", _("rectified and replied"), tell=("firm",), kind=WORK,
             message=_("%(number)s: the department has rectified; you may rate once more")))
RE(EventType("ratings.rating.rerated", _("rated once more"), tell=("department",),
             message=_("%(number)s rated once more")))
RE(EventType("ratings.rating.appealed", _("appealed"), audience=STAFF, tell=("bureau",), kind=WORK,
             message=_("Appeal against a rating of %(number)s")))
RE(EventType("ratings.rating.appeal_upheld", _("appeal upheld: rating annulled"), audience=STAFF,
             tell=("department",), message=_("Appeal upheld: the rating of %(number)s is annulled")))
RE(EventType("ratings.rating.appeal_rejected", _("appeal rejected: to be rectified"), audience=STAFF,
             tell=("department",), kind=WORK, message=_("Appeal rejected: rectify %(number)s")))
RE(EventType("ratings.rating.overdue", _("call-back or rectification late"), audience=STAFF,
             tell=("department", "supervision"), kind=ESCALATION, message=_("%(number)s: the bad rating is late")))


# --- 证照分离 · 双告知 -----------------------------------------------------------------------------

def _registration(obj):
    return obj.registration if isinstance(obj, Claim) else obj


def _registration_context(obj):
    reg = _registration(obj)
    return {"firm": reg.name, "department": obj.department.name if isinstance(obj, Claim) else ""}


def _registration_link(obj):
    from django.urls import reverse

    return reverse("catalog:registration", args=[_registration(obj).pk])


def _new_firm(obj, event=None):
    return list(_registration(obj).enterprise.members.filter(active=True).values_list("user_id", flat=True))


def _licensing(obj, event=None):
    from yingshang.directory.models import StaffProfile

    if isinstance(obj, Claim):
        departments = [obj.department_id]
    else:
        departments = list(obj.claims.values_list("department_id", flat=True))
    return list(StaffProfile.objects.filter(department_id__in=departments, user__is_active=True)
                .values_list("user_id", flat=True))


def _leaders(obj, event=None):
    from yingshang.core import roles

    return roles.members(roles.LEADER)


registrations = domain("registrations", subject="claim", link=_registration_link, context=_registration_context,
                       group_key=lambda obj: f"catalog.registration:{_registration(obj).pk}",
                       audiences={"firm": _new_firm, "licensing": _licensing, "supervision": _supervision,
                                  "leaders": _leaders})
registrations.event_model = RegistrationEvent
registrations.action(Action("claim", _("Claim"), SERVICES + "claim_claim", who=P.may_claim,
                            event="registrations.claim.claimed", sources=frozenset({Claim.Status.PENDING}),
                            target=Claim.Status.CLAIMED, style="success",
                            fields=(Field("note", "text", _("Note (officials read it)"), required=False,
                                          audience=STAFF),)))
GE = registrations.event
GE(EventType("registrations.registration.recorded", _("registered; permits told and pushed"),
             tell=("firm", "licensing"), kind=WORK, message=_("New registration %(firm)s: the permits its scope needs")))
GE(EventType("registrations.claim.claimed", _("claimed"), audience=STAFF))
GE(EventType("registrations.claim.overdue", _("not claimed in time"), audience=STAFF,
             tell=("licensing", "supervision"), kind=ESCALATION,
             message=_("%(department)s has not claimed the registration of %(firm)s")))
GE(EventType("registrations.claim.escalated", _("unclaimed: escalated to the leaders"), audience=STAFF,
             tell=("leaders", "supervision"), kind=ESCALATION,
             message=_("Still unclaimed by %(department)s: the registration of %(firm)s")))
