"""The catalogue's actions and events (see ``core.actions``)."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import Application, ApplicationEvent, Event, Item

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
    return {"number": a.number, "item": a.version.name, "firm": a.enterprise.name}


def _firm_people(a, event=None):
    return list(a.enterprise.members.filter(active=True).values_list("user_id", flat=True))


def _department_staff(a, event=None):
    from yingshang.directory.models import StaffProfile

    return list(StaffProfile.objects.filter(department_id=a.version.department_id, user__is_active=True)
                .values_list("user_id", flat=True))


def _application_link(a):
    return ""  # the application pages come with the counter and the firm's 我的办件


applications = domain("applications", subject="application", link=_application_link,
                      context=_application_context, group_key=lambda a: f"catalog.application:{a.pk}",
                      audiences={"firm": _firm_people, "department": _department_staff})
applications.event_model = ApplicationEvent

S = Application.Status
STAFF_NOTE = Field("note", "text", _("Note (officials read it; the firm does not)"), required=False, audience=STAFF)
A = applications.action
A(Action("resubmit", _("Submit the corrections"), SERVICES + "application_resubmit", who=P.is_applicant_firm,
         event="applications.application.resubmitted", sources=frozenset({S.CORRECTION}), target=S.SUBMITTED,
         fields=(Field("note", "text", _("What was corrected (the department reads it)"), required=False,
                       audience=FIRM),)))
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
         event="applications.application.refused", sources=frozenset({S.SUBMITTED}), target=S.REFUSED,
         style="outline-danger", fields=(Field("reason", "text", _("Why it is not accepted (the firm reads it)"),
                                               audience=FIRM),)))
A(Action("supply", _("Supply the missing materials"), SERVICES + "application_supply", who=P.is_applicant_firm,
         event="applications.application.supplied", sources=frozenset({S.REVIEW, S.SPECIAL}),
         when=lambda a, user: bool(a.missing)))
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
