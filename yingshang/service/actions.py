"""万人助万企's actions and events (see ``core.actions``): what happens to a visit after it is recorded, to a
policy in the library, and what the history of campaigns, visits, policies and a firm's figures says."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.actions import FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import Campaign, Event, Policy, Visit

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
