"""The actions and events of the chains and 招商 (see ``core.actions``): what the recruiting team does to an
invitation (contacts, stages, the signing that opens a project), what a firm does to a supply relation it is a
party to, and what the history of chains and targets says."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.actions import FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import Contact, Event, Invitation, Relation, Stage

SERVICES = "yingshang.chain.services."


def _link(obj):
    from django.urls import reverse

    from .models import Capacity, Chain, Consultation, Meeting, Target

    if isinstance(obj, Consultation):
        return reverse("chain:consultation", args=[obj.pk])
    if isinstance(obj, Meeting):
        return reverse("chain:meeting", args=[obj.pk])
    if isinstance(obj, Capacity):
        return reverse("chain:factors")
    if isinstance(obj, Invitation):
        return reverse("chain:invitation", args=[obj.pk])
    if isinstance(obj, Target):
        return reverse("chain:target", args=[obj.pk])
    if isinstance(obj, Chain):
        return reverse("chain:chain", args=[obj.pk])
    return reverse("chain:chains")


def _team(obj, event=None):
    from yingshang.directory.models import StaffProfile

    campaign = getattr(obj, "campaign", None)
    if campaign is None:
        return []
    return list(StaffProfile.objects.filter(department_id=campaign.team_id, user__is_active=True)
                .values_list("user_id", flat=True))


def _bureau_staff(obj, event=None):
    from yingshang.directory.models import StaffProfile

    project = getattr(obj, "project", None)
    if project is None:
        return []
    return list(StaffProfile.objects.filter(department_id=project.bureau_id, user__is_active=True)
                .values_list("user_id", flat=True))


def _opinion_staff(obj, event=None):
    """The officials of the departments that still owe an opinion on a consultation."""
    from yingshang.directory.models import StaffProfile

    depts = list(obj.opinions.filter(given_on__isnull=True).values_list("department_id", flat=True))
    return list(StaffProfile.objects.filter(department_id__in=depts, user__is_active=True)
                .values_list("user_id", flat=True))


def _bureaus():
    from yingshang.directory.models import Department

    return Department.objects.filter(kind=Department.Kind.BUREAU, active=True)


def _context(obj):
    from .models import Consultation

    if isinstance(obj, Invitation):
        return {"target": obj.target.name, "campaign": obj.campaign.name}
    if isinstance(obj, Consultation):
        return {"number": obj.number, "project": obj.project.name, "due": obj.due_on.isoformat()}
    return {"name": str(obj)}


chain = domain("chain", subject="invitation", link=_link, context=_context,
               group_key=lambda obj: f"chain.{type(obj).__name__.lower()}:{obj.pk}",
               audiences={"team": _team, "bureau": _bureau_staff, "opinions": _opinion_staff,
                          "convener": lambda obj, event=None: [getattr(obj, "convened_by_id", None)]})
chain.event_model = Event

OPEN = frozenset({Stage.INVITED, Stage.TALKS, Stage.INTENT})
chain.action(Action(
    "contact", _("Record a contact"), SERVICES + "contact_record", who=P.works_campaign,
    event="chain.invitation.contacted", sources=OPEN, style="outline-primary",
    fields=(Field("kind", "choice", _("Kind"), choices=Contact.Kind),
            Field("on", "date", _("On")),
            Field("who", "line", _("Who went"), max_length=200),
            Field("said", "text", _("What was said (officials read it)"), audience=STAFF))))
chain.action(Action(
    "talks", _("Talks begun"), SERVICES + "invitation_talks", who=P.works_campaign,
    event="chain.invitation.talks", sources=frozenset({Stage.INVITED}), target=Stage.TALKS))
chain.action(Action(
    "intent", _("Letter of intent"), SERVICES + "invitation_intent", who=P.works_campaign,
    event="chain.invitation.intent", sources=frozenset({Stage.INVITED, Stage.TALKS}), target=Stage.INTENT,
    fields=(Field("expected_investment", "int", _("Expected investment (yuan)"), min_value=1, max_value=10**12),)))
chain.action(Action(
    "sign", _("Signed: open the project"), SERVICES + "invitation_sign", who=P.works_campaign,
    event="chain.invitation.signed", sources=OPEN, target=Stage.SIGNED, style="success",
    fields=(Field("project_name", "line", _("Project name"), max_length=200),
            Field("investment", "int", _("Signed investment (yuan)"), min_value=1, max_value=10**12),
            Field("bureau", "department", _("Service bureau that follows the project"), queryset=_bureaus),
            Field("signed_on", "date", _("Signed on")))))
chain.action(Action(
    "decline", _("The target declined"), SERVICES + "invitation_decline", who=P.works_campaign,
    event="chain.invitation.declined", sources=OPEN, target=Stage.DECLINED, style="outline-danger",
    fields=(Field("reason", "text", _("Why (officials read it)"), audience=STAFF),)))

E = chain.event
E(EventType("chain.chain.created", _("Chain set up"), audience=STAFF))
E(EventType("chain.segment.added", _("Segment added"), audience=STAFF))
E(EventType("chain.segment.moved", _("Segment moved"), audience=STAFF))
E(EventType("chain.placement.added", _("Firm placed on a segment"), audience=STAFF))
E(EventType("chain.placement.ended", _("Firm taken off a segment"), audience=STAFF))
E(EventType("chain.target.added", _("Target added"), audience=STAFF))
E(EventType("chain.target.dropped", _("Target dropped"), audience=STAFF))
E(EventType("chain.campaign.created", _("Campaign set up"), audience=STAFF))
E(EventType("chain.invitation.invited", _("Invited"), audience=STAFF))
E(EventType("chain.invitation.contacted", _("Contact recorded"), audience=STAFF))
E(EventType("chain.invitation.talks", _("Talks begun"), audience=STAFF))
E(EventType("chain.invitation.intent", _("Letter of intent"), audience=STAFF))
E(EventType("chain.invitation.signed", pgettext_lazy("invitation", "Signed"), audience=STAFF, tell=("bureau",),
            kind=WORK, message=_("%(target)s signed at %(campaign)s: a returned project for your bureau")))
E(EventType("chain.invitation.declined", _("Declined"), audience=STAFF))
E(EventType("chain.consultation.convened", _("Site consultation called"), audience=STAFF, tell=("opinions",),
            kind=WORK, message=_("Site consultation %(number)s on %(project)s: your department's opinion by %(due)s")))
E(EventType("chain.consultation.opinion_given", _("Opinion given"), audience=STAFF, tell=("convener",),
            message=_("An opinion on site consultation %(number)s is in")))
E(EventType("chain.consultation.concluded", _("Site consultation concluded"), audience=STAFF))
E(EventType("chain.capacity.recorded", _("Capacity recorded"), audience=STAFF))
E(EventType("chain.meeting.held", _("Dispatch meeting recorded"), audience=STAFF))
E(EventType("chain.meeting.decided", _("Decision taken"), audience=STAFF))


# --- a supply relation: the firms that are party to it confirm or dispute it ----------------------------------
def _relation_link(obj):
    from django.urls import reverse

    return reverse("chain:relation", args=[obj.pk])


def _parties(obj, event=None):
    from yingshang.directory.models import EnterpriseMember

    ids = [i for i in (obj.supplier_id, obj.customer_id) if i]
    return list(EnterpriseMember.objects.filter(enterprise_id__in=ids, active=True, user__is_active=True)
                .values_list("user_id", flat=True))


def _office(obj, event=None):
    from yingshang.directory.models import StaffProfile

    if obj.segment_id is None:
        return []
    return list(StaffProfile.objects.filter(department_id=obj.segment.chain.office_id, user__is_active=True)
                .values_list("user_id", flat=True))


supply = domain("supply", subject="relation", link=_relation_link,
                context=lambda r: {"supplier": r.supplier_label, "customer": r.customer.name, "product": r.product},
                group_key=lambda r: f"supply.relation:{r.pk}", audiences={"parties": _parties, "office": _office})
supply.event_model = Event
RS = Relation.Status
supply.action(Action(
    "confirm", _("Confirm"), SERVICES + "relation_confirm", who=P.is_party, event="supply.relation.confirmed",
    sources=frozenset({RS.UNCONFIRMED, RS.DISPUTED}), target=RS.CONFIRMED, style="success"))
supply.action(Action(
    "dispute", _("Not right"), SERVICES + "relation_dispute", who=P.is_party, event="supply.relation.disputed",
    sources=frozenset({RS.UNCONFIRMED, RS.CONFIRMED}), target=RS.DISPUTED, style="outline-danger",
    fields=(Field("reason", "text", _("What is wrong (the chain office reads it)"), audience=FIRM),)))
supply.action(Action(
    "end", pgettext_lazy("relation", "End"), SERVICES + "relation_end", who=P.keeps_chain,
    event="supply.relation.ended", sources=frozenset({RS.UNCONFIRMED, RS.CONFIRMED, RS.DISPUTED}), target=RS.ENDED,
    style="outline-secondary",
    fields=(Field("reason", "text", _("Why it ended (the firms read it)"), audience=FIRM),)))

S = supply.event
S(EventType("supply.relation.added", _("Supply relation recorded"), tell=("parties",),
            message=_("%(supplier)s supplies %(customer)s with %(product)s: please confirm")))
S(EventType("supply.relation.confirmed", _("Confirmed by the firm")))
S(EventType("supply.relation.disputed", _("Disputed by the firm"), tell=("office",),
            message=_("A firm disputes that %(supplier)s supplies %(customer)s with %(product)s")))
S(EventType("supply.relation.ended", pgettext_lazy("relation", "Ended")))
