"""Inspections' actions and events (see ``core.actions``): the plan's approval, the two published steps of
the draw, results and their publication, rectification orders, and the safety campaigns' history."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import ESCALATION, FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import CampaignEvent, Draw, Event, Order, Plan, Result, Visit

SERVICES = "yingshang.inspections.services."


def _items():
    from .models import Item

    return Item.objects.all()


def _users(qs):
    return list(qs.values_list("user_id", flat=True))


def _firm(obj, event=None):
    from yingshang.directory.models import EnterpriseMember

    visit = getattr(obj, "visit", None) if isinstance(obj, Order) else obj
    return _users(EnterpriseMember.objects.filter(enterprise_id=visit.enterprise_id, active=True))


def _visit_inspectors(obj, event=None):
    visit = obj.visit if isinstance(obj, Order) else obj
    return _users(visit.inspectors.filter(user__isnull=False))


def _drawn_inspectors(obj, event=None):
    from .models import Inspector

    draw_id = (getattr(event, "data", None) or {}).get("draw")
    return _users(Inspector.objects.filter(visits__draw_id=draw_id, user__isnull=False).distinct())


def _lead_heads(obj, event=None):
    from yingshang.core import roles
    from yingshang.directory.models import StaffProfile

    plan = obj if isinstance(obj, Plan) else obj.plan
    return _users(StaffProfile.objects.filter(department_id=plan.lead_department_id,
                                              user__groups__name=roles.DEPT_HEAD, user__is_active=True))


def _link(obj):
    from django.urls import reverse

    if isinstance(obj, Plan):
        return reverse("inspections:plan", args=[obj.pk])
    if isinstance(obj, Order):
        return reverse("inspections:visit", args=[obj.visit_id])
    if isinstance(obj, Visit):
        return reverse("inspections:visit", args=[obj.pk])
    return reverse("inspections:campaigns")


def _context(obj):
    plan = obj if isinstance(obj, Plan) else getattr(obj, "plan", None) or getattr(getattr(obj, "visit", None), "plan",
                                                                                  None)
    visit = obj.visit if isinstance(obj, Order) else obj if isinstance(obj, Visit) else None
    return {"plan": plan.number if plan else "", "firm": visit.enterprise.name if visit else ""}


def _group(obj):
    if isinstance(obj, Order):
        return f"inspections.visit:{obj.visit_id}"
    return f"inspections.{type(obj).__name__.lower()}:{obj.pk}"


inspections = domain("inspections", subject="plan", link=_link, context=_context, group_key=_group, audiences={
    "firm": _firm, "visit_inspectors": _visit_inspectors, "drawn_inspectors": _drawn_inspectors,
    "lead_heads": _lead_heads})
inspections.event_model = Event
inspections.event_models = {"campaign": CampaignEvent}

PS, VS, OS = Plan.Status, Visit.Status, Order.Status

inspections.action(Action(
    "approve", _("Approve the plan"), SERVICES + "plan_approve", who=P.may_approve, event="inspections.plan.approved",
    sources=frozenset({PS.DRAFT}), target=PS.APPROVED))
inspections.action(Action(
    "freeze", _("Freeze the pools"), SERVICES + "pools_freeze", who=P.may_run, event="inspections.plan.frozen",
    sources=frozenset({PS.APPROVED, PS.FROZEN, PS.DRAWN}), target=PS.FROZEN,
    fields=(Field("reason", "text", _("Reason for a re-draw (published with it)"), required=False, max_length=300,
                  audience=FIRM),)))
inspections.action(Action(
    "draw", _("Fix the seed and draw"), SERVICES + "draw_run", who=P.may_run, event="inspections.plan.drawn",
    subject="draw", sources=frozenset({Draw.Status.FROZEN}), target=Draw.Status.DRAWN,
    fields=(Field("seed", "line", _("Seed as the witnesses gave it (empty: 20 digits from the system)"),
                  required=False, max_length=200),
            Field("note", "line", _("Who witnessed it (published)"), required=False, max_length=300, audience=FIRM))))
inspections.action(Action(
    "publish", _("Publish the results"), SERVICES + "plan_publish", who=P.may_run, event="inspections.plan.published",
    sources=frozenset({PS.DRAWN, PS.CLOSED})))
inspections.action(Action(
    "result", _("Record a result"), SERVICES + "result_record", who=P.may_record,
    event="inspections.visit.result_recorded", subject="visit", sources=frozenset({VS.ASSIGNED, VS.INSPECTING}),
    target=VS.INSPECTING,
    fields=(Field("item", "record", _("Inspection item"), queryset=lambda: _items()),
            Field("outcome", "choice", _("Result"), choices=Result.Outcome),
            Field("note", "text", _("What was found (the firm reads it)"), required=False, audience=FIRM),
            Field("requirement", "text", _("What must be rectified (the firm reads it)"), required=False,
                  audience=FIRM),
            Field("workdays_to_rectify", "int", _("Working days to rectify"), required=False, min_value=1,
                  max_value=365),
            Field("photo", "file", _("Photo or evidence"), required=False))))
inspections.action(Action(
    "complete", _("Complete the inspection"), SERVICES + "visit_complete", who=P.may_record,
    event="inspections.visit.completed", subject="visit", sources=frozenset({VS.ASSIGNED, VS.INSPECTING}), target=VS.DONE,
    style="success"))
inspections.action(Action(
    "submit", _("Submit the rectification evidence"), SERVICES + "order_submit", who=P.is_firm_of_visit,
    event="inspections.order.submitted", subject="order", sources=frozenset({OS.OPEN, OS.SUBMITTED}),
    target=OS.SUBMITTED,
    fields=(Field("note", "text", _("What was done (the inspectors read it)"), required=False, audience=FIRM),
            Field("evidence", "file", _("Evidence")))))
inspections.action(Action(
    "verify", _("Verify the rectification"), SERVICES + "order_verify", who=P.may_verify,
    event="inspections.order.verified", events=("inspections.order.verified", "inspections.order.refused"),
    subject="order", sources=frozenset({OS.SUBMITTED}),
    fields=(Field("accept", "yesno", _("Follow-up result"), choices=[("yes", _("rectified")),
                                                                     ("no", _("not yet"))]),
            Field("note", "text", _("What the follow-up found (the firm reads it)"), audience=FIRM))))

E = inspections.event
E(EventType("inspections.plan.created", _("Plan drawn up"), audience=STAFF))
E(EventType("inspections.plan.approved", _("Plan approved"), audience=STAFF))
E(EventType("inspections.plan.frozen", _("Pools frozen and published")))
E(EventType("inspections.plan.drawn", _("Drawn"), tell=("drawn_inspectors",), kind=WORK,
            message=_("You were drawn for inspections of plan %(plan)s")))
E(EventType("inspections.plan.published", _("Results published")))
E(EventType("inspections.plan.publication_late", _("Results past their publication date"), audience=STAFF,
            tell=("lead_heads",), kind=ESCALATION,
            message=_("Inspection results of %(plan)s are past their publication date")))
E(EventType("inspections.visit.result_recorded", _("Result recorded"), audience=STAFF))
E(EventType("inspections.visit.completed", _("Inspection completed"), tell=("firm",),
            message=_("Inspection results for %(firm)s (%(plan)s)")))
E(EventType("inspections.order.submitted", _("Rectification evidence submitted"), tell=("visit_inspectors",),
            kind=WORK, message=_("Rectification evidence from %(firm)s")))
E(EventType("inspections.order.verified", _("Rectification verified"), tell=("firm",),
            message=_("Rectification verified: %(plan)s")))
E(EventType("inspections.order.refused", _("Rectification not accepted"), tell=("firm",), kind=WORK,
            message=_("Rectification not accepted: %(plan)s")))
E(EventType("inspections.campaign.created", _("Campaign started"), audience=STAFF))
E(EventType("inspections.campaign.check_recorded", _("Check recorded"), audience=STAFF))
E(EventType("inspections.campaign.hazard_rectified", _("Hazard rectified"), audience=STAFF))
