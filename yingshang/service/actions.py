"""万人助万企's actions and events (see ``core.actions``): what happens to a visit after it is recorded, to a
policy in the library, and what the history of campaigns, visits, policies and a firm's figures says."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.actions import ESCALATION, FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import Application, Campaign, Event, Match, Policy, Visit

SERVICES = "yingshang.service.services."


def _firm(obj, event=None):
    from yingshang.directory.models import EnterpriseMember

    return list(EnterpriseMember.objects.filter(enterprise_id=getattr(obj, "enterprise_id", None), active=True,
                                                user__is_active=True).values_list("user_id", flat=True))


def _author(obj, event=None):
    return [getattr(obj, "author_id", None)]


def _link(obj):
    from django.urls import reverse

    if isinstance(obj, Visit):
        return reverse("service:visit", args=[obj.pk])
    if isinstance(obj, Policy):
        return reverse("service:policy", args=[obj.pk])
    if isinstance(obj, Campaign):
        return reverse("service:campaign", args=[obj.pk])
    return reverse("service:policies")


def _context(obj):
    if isinstance(obj, Visit):
        return {"number": obj.number, "firm": obj.enterprise.name}
    if isinstance(obj, Policy):
        return {"title": obj.title}
    return {"name": str(obj)}


service = domain("service", subject="visit", link=_link, context=_context,
                 group_key=lambda obj: f"service.{type(obj).__name__.lower()}:{obj.pk}",
                 audiences={"firm": _firm, "author": _author})
service.event_model = Event

# --- on a visit, after it is recorded (editing is its own page, while the author's window is open) ---------
service.action(Action(
    "annotate", _("Add a note"), SERVICES + "visit_annotate", who=P.may_annotate_visit,
    event="service.visit.annotated", style="outline-secondary",
    fields=(Field("note", "text", _("Note to the visit (officials read it; the firm does not)"), audience=STAFF),)))
service.action(Action(
    "confirm", _("Confirm the visit"), SERVICES + "visit_confirm", who=P.may_confirm_visit,
    event="service.visit.confirmed", when=lambda v, user: v.confirmed_at is None,
    fields=(Field("comment", "text", _("Your comment on the visit (the officials who came read it)"),
                  required=False, audience=FIRM),)))

# --- events -----------------------------------------------------------------------------------------------
E = service.event
E(EventType("service.campaign.created", _("Campaign created"), audience=STAFF))
E(EventType("service.campaign.assigned", _("Official paired with a firm"), audience=STAFF))
E(EventType("service.visit.recorded", _("Visit recorded"), tell=("firm",),
            message=_("Officials visited %(firm)s: confirm the visit (%(number)s)")))
E(EventType("service.visit.edited", _("Visit corrected")))
E(EventType("service.visit.annotated", _("Note added"), audience=STAFF))
E(EventType("service.visit.confirmed", _("Confirmed by the firm"), tell=("author",),
            message=_("%(firm)s confirmed visit %(number)s")))
E(EventType("service.policy.created", pgettext_lazy("policy", "Entered"), audience=STAFF))
E(EventType("service.policy.changed", pgettext_lazy("policy", "Changed"), audience=STAFF))
E(EventType("service.policy.published", pgettext_lazy("policy", "Put in force"), audience=STAFF))
E(EventType("service.policy.withdrawn", pgettext_lazy("policy", "Withdrawn"), audience=STAFF))
E(EventType("service.policy.pushed", _("Pushed to the firms it fits"), audience=STAFF, kind=WORK,
            message=_("A policy for your firm: %(title)s")))
E(EventType("service.facts.set", _("Yearly figures entered"), audience=STAFF))


# --- applications for policies that are not paid automatically (政策申报) ------------------------------------
def _applicant_firm(obj, event=None):
    return _firm(obj, event)


def _paying_staff(obj, event=None):
    from yingshang.core import roles
    from yingshang.directory.models import StaffProfile

    return list(StaffProfile.objects.filter(
        department_id=obj.policy.paying_department_id, user__is_active=True,
        user__groups__name__in=[roles.HANDLER, roles.DEPT_HEAD]).values_list("user_id", flat=True).distinct())


def _application_link(obj):
    from django.urls import reverse

    return reverse("service:application", args=[obj.pk])


grants = domain("grants", subject="application", link=_application_link,
                context=lambda a: {"number": a.number, "title": a.policy.title, "firm": a.enterprise.name},
                group_key=lambda a: f"grants.application:{a.pk}",
                audiences={"firm": _applicant_firm, "department": _paying_staff})
grants.event_model = Event
GS = Application.Status
GRANTS = "yingshang.service.services."
grants.action(Action(
    "accept", _("Accept for review"), GRANTS + "application_accept", who=P.pays, event="grants.application.accepted",
    sources=frozenset({GS.SUBMITTED}), target=GS.ACCEPTED))
grants.action(Action(
    "approve", _("Approve"), GRANTS + "application_approve", who=P.decides_payment,
    event="grants.application.approved", sources=frozenset({GS.ACCEPTED}), target=GS.APPROVED,
    fields=(Field("amount_granted", "int", _("Amount granted (yuan)"), min_value=0, max_value=10**11),)))
grants.action(Action(
    "deny", _("Deny"), GRANTS + "application_deny", who=P.decides_payment, event="grants.application.denied",
    sources=frozenset({GS.SUBMITTED, GS.ACCEPTED}), target=GS.DENIED, style="outline-danger",
    fields=(Field("reason", "text", _("Why it is denied (the firm reads it)"), audience=FIRM),)))
grants.action(Action(
    "pay", _("Record the payment"), GRANTS + "application_pay", who=P.pays, event="grants.application.paid",
    sources=frozenset({GS.APPROVED}), target=GS.PAID,
    fields=(Field("voucher", "line", _("Payment voucher number"), max_length=60),
            Field("paid_on", "date", _("Paid on")))))
grants.action(Action(
    "withdraw", _("Withdraw the application"), GRANTS + "application_withdraw", who=P.is_firm_of_record,
    event="grants.application.withdrawn", sources=frozenset({GS.SUBMITTED, GS.ACCEPTED}), target=GS.WITHDRAWN,
    style="outline-secondary",
    fields=(Field("reason", "text", _("Why (the department reads it)"), audience=FIRM),)))

G = grants.event
G(EventType("grants.application.submitted", _("Application submitted"), tell=("department",), kind=WORK,
            message=_("%(firm)s applies for %(title)s (%(number)s)")))
G(EventType("grants.application.accepted", _("Accepted for review"), tell=("firm",),
            message=_("Your application %(number)s is under review")))
G(EventType("grants.application.approved", _("Approved"), tell=("firm",),
            message=_("Your application %(number)s is approved")))
G(EventType("grants.application.denied", _("Denied"), tell=("firm",),
            message=_("Your application %(number)s is denied")))
G(EventType("grants.application.paid", _("Paid"), tell=("firm",), message=_("%(title)s has been paid (%(number)s)")))
G(EventType("grants.application.withdrawn", _("Withdrawn by the firm"), tell=("department",),
            message=_("%(firm)s withdrew application %(number)s")))
G(EventType("grants.application.overdue", _("Not paid within the limit"), audience=STAFF, tell=("department",),
            kind=ESCALATION, message=_("Application %(number)s has not been paid within its limit")))
G(EventType("grants.payout.prepared", _("Payout list prepared"), audience=STAFF))
G(EventType("grants.payout.approved", _("Payout list approved"), audience=STAFF))
G(EventType("grants.payout.paid", _("Payment recorded")))


# --- 银企对接: a need matched with a bank's product, worked by the bank or the officials for it --------------
def _match_link(obj):
    from django.urls import reverse

    return reverse("service:need", args=[obj.need_id if isinstance(obj, Match) else obj.pk])


def _need_firm(obj, event=None):
    from yingshang.directory.models import EnterpriseMember

    need = obj.need if isinstance(obj, Match) else obj
    return list(EnterpriseMember.objects.filter(enterprise_id=need.enterprise_id, active=True, user__is_active=True)
                .values_list("user_id", flat=True))


financing = domain("financing", subject="match", link=_match_link,
                   context=lambda m: {"number": (m.need if isinstance(m, Match) else m).number,
                                      "bank": str(m.product.bank) if isinstance(m, Match) else ""},
                   group_key=lambda m: f"financing.need:{m.need_id if isinstance(m, Match) else m.pk}",
                   audiences={"firm": _need_firm})
financing.event_model = Event
MS = Match.Status
FIN = "yingshang.service.services."
financing.action(Action(
    "contact", _("The bank has contacted the firm"), FIN + "match_contact", who=P.works_match,
    event="financing.match.contacted", sources=frozenset({MS.SUGGESTED}), target=MS.CONTACTED))
financing.action(Action(
    "diligence", _("Due diligence started"), FIN + "match_diligence", who=P.works_match,
    event="financing.match.diligence", sources=frozenset({MS.CONTACTED}), target=MS.DILIGENCE))
financing.action(Action(
    "approve_loan", _("Loan approved"), FIN + "match_approve", who=P.works_match, event="financing.match.approved",
    sources=frozenset({MS.DILIGENCE}), target=MS.APPROVED))
financing.action(Action(
    "decline", _("Declined"), FIN + "match_decline", who=P.works_match, event="financing.match.declined",
    sources=frozenset({MS.SUGGESTED, MS.CONTACTED, MS.DILIGENCE, MS.APPROVED}), target=MS.DECLINED,
    style="outline-danger",
    fields=(Field("reason", "text", _("Why (the firm reads it)"), audience=FIRM),)))
financing.action(Action(
    "lend", _("Record the loan"), FIN + "match_lend", who=P.works_match, event="financing.match.lent",
    sources=frozenset({MS.APPROVED}), target=MS.LENT,
    fields=(Field("amount_lent", "int", _("Amount lent (yuan)"), min_value=1, max_value=10**11),
            Field("lent_on", "date", _("Lent on")))))

F = financing.event
F(EventType("financing.need.registered", _("Financing need registered")))
F(EventType("financing.need.withdrawn", _("Withdrawn by the firm")))
F(EventType("financing.match.suggested", _("Matched with a bank's product"), tell=("firm",),
            message=_("A bank's product fits financing need %(number)s: authorise the bank to see your file")))
F(EventType("financing.match.contacted", _("The bank has contacted the firm")))
F(EventType("financing.match.diligence", _("Due diligence started")))
F(EventType("financing.match.approved", _("Loan approved"), tell=("firm",),
            message=_("%(bank)s approved the loan for %(number)s")))
F(EventType("financing.match.declined", _("Declined"), tell=("firm",),
            message=_("%(bank)s declined financing need %(number)s")))
F(EventType("financing.match.lent", _("Loan made"), tell=("firm",), message=_("%(bank)s lent for %(number)s")))
F(EventType("financing.consent.granted", _("Bank authorised to see the firm's file")))
F(EventType("financing.consent.revoked", _("Bank's authorisation revoked")))


# --- 专班 ----------------------------------------------------------------------------------------------------------
E(EventType("service.taskforce.created", _("Task force stood up"), audience=STAFF))
E(EventType("service.taskforce.members_changed", _("Members changed"), audience=STAFF))
E(EventType("service.taskforce.closed", _("Task force stood down"), audience=STAFF))
E(EventType("service.supply.added", _("Put on the supply list"), audience=STAFF))
E(EventType("service.supply.updated", _("Supply status updated"), audience=STAFF))
