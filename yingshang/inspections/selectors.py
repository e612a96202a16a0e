"""Reads of inspections: plans, an inspector's assignments, a visit (scoped), the public view, statistics."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yingshang.core import roles
from yingshang.directory.models import EnterpriseMember

from .models import Campaign, Check, Draw, Hazard, Inspector, Item, Order, Plan, Visit


def plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("lead_department").annotate(
        n_departments=Count("departments", distinct=True), n_visits=Count("visits", distinct=True))


def plan_detail(pk: int) -> Plan:
    return Plan.objects.select_related("lead_department", "bureau", "created_by", "approved_by").prefetch_related(
        "departments", "items", "items__department").get(pk=pk)


def plan_visits(plan: Plan) -> QuerySet[Visit]:
    return (Visit.objects.filter(plan=plan).select_related("enterprise", "draw")
            .prefetch_related("inspectors").annotate(n_orders=Count("orders")).order_by("draw__sequence", "position"))


def assignments(user) -> QuerySet[Visit]:
    """The inspections an inspector was drawn for (of draws in force)."""
    return (Visit.objects.filter(inspectors__user=user, draw__status=Draw.Status.DRAWN)
            .select_related("enterprise", "plan").order_by("status", "plan__ends_on", "position"))


def visits_visible_to(user) -> QuerySet[Visit]:
    """The one scope of visits, for pages and API alike: officials other than inspectors see every visit; an
    inspector the visits they were drawn for; a firm its own completed inspections."""
    qs = Visit.objects.all()
    names = roles.role_names(user)
    if names & (roles.STAFF_ROLES - {roles.INSPECTOR}):
        return qs
    if roles.INSPECTOR in names:
        return qs.filter(inspectors__user=user).distinct()
    firms = list(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))
    return qs.filter(enterprise_id__in=firms, status__in=[Visit.Status.DONE, Visit.Status.CLOSED])


def visit_detail(user, pk: int) -> Visit:
    return (visits_visible_to(user).select_related("enterprise", "plan", "draw", "plan__lead_department")
            .prefetch_related("inspectors", "inspectors__department", "results", "results__item", "orders",
                              "orders__result", "orders__result__item", "plan__items").get(pk=pk))


def enterprise_visits(user, enterprise_id: int) -> QuerySet[Visit]:
    return visits_visible_to(user).filter(enterprise_id=enterprise_id, draw__status=Draw.Status.DRAWN) \
        .select_related("plan").order_by("-plan__starts_on")


# --- public ---------------------------------------------------------------------------------------

def public_plans() -> QuerySet[Plan]:
    """Approved plans, as published (一公开): what will be inspected, by whom, when."""
    return (Plan.objects.exclude(status=Plan.Status.DRAFT).select_related("lead_department")
            .prefetch_related("items", "departments").order_by("-starts_on", "-id"))


def public_draws() -> QuerySet[Draw]:
    return (Draw.objects.exclude(status=Draw.Status.FROZEN).select_related("plan", "plan__lead_department")
            .order_by("-drawn_at"))


def public_draw(pk: int) -> Draw:
    return Draw.objects.exclude(status=Draw.Status.FROZEN).select_related("plan", "plan__lead_department").get(pk=pk)


def published_results(plan: Plan | None = None) -> QuerySet[Visit]:
    qs = Visit.objects.filter(published_at__isnull=False).select_related("enterprise", "plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.prefetch_related("results", "results__item").order_by("-published_at", "position")


# --- statistics -----------------------------------------------------------------------------------

def statistics(*, date_from=None, date_to=None) -> dict:
    """The article's figures: items, inspectors, object directories, plans, in-department and joint tasks,
    firms drawn, inspector-visits — and visits saved by joint inspection (separate visits that would have
    been needed, one per participating department, minus the visits made)."""
    plans_qs = Plan.objects.all()
    if date_from:
        plans_qs = plans_qs.filter(starts_on__gte=date_from)
    if date_to:
        plans_qs = plans_qs.filter(starts_on__lte=date_to)
    plans_qs = plans_qs.annotate(n_depts=Count("departments", distinct=True))
    joint = plans_qs.filter(n_depts__gt=1)
    visits = Visit.objects.filter(plan__in=plans_qs, draw__status=Draw.Status.DRAWN)
    per_plan = dict(plans_qs.values_list("pk", "n_depts"))
    separate = sum(per_plan[pid] for pid in visits.values_list("plan_id", flat=True))
    made = visits.count()
    return {
        "items": Item.objects.filter(active=True).count(),
        "item_departments": Item.objects.filter(active=True).values("department").distinct().count(),
        "inspectors": Inspector.objects.filter(active=True).count(),
        "inspector_departments": Inspector.objects.filter(active=True).values("department").distinct().count(),
        "directories": Draw.objects.filter(plan__in=plans_qs).count(),
        "plans": plans_qs.count(), "joint": joint.count(), "single": plans_qs.count() - joint.count(),
        "firms_drawn": made, "inspector_visits": Visit.inspectors.through.objects.filter(visit__in=visits).count(),
        "visits_saved": separate - made,
        "problems": visits.filter(results__outcome__in=["ordered", "not_published", "unreachable", "case"])
        .distinct().count(),
        "orders_open": Order.objects.filter(visit__in=visits).exclude(status=Order.Status.VERIFIED).count(),
        "late_publication": visits.filter(published_at__isnull=True, publish_due__isnull=False).filter(
            Q(publish_due__lt=timezone.localdate())).count(),
    }


# --- campaigns ----------------------------------------------------------------------------------------

def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("department").annotate(
        n_checks=Count("checks", distinct=True), n_hazards=Count("checks__hazards", distinct=True))


def campaign_checks(campaign: Campaign) -> QuerySet[Check]:
    return campaign.checks.select_related("enterprise").prefetch_related("hazards").order_by("-checked_on", "-id")


def campaign_statistics(*, year: int | None = None, campaign: Campaign | None = None) -> dict:
    """The article's campaign figures: checks, hazards found (major among them), rectified, rectification
    rate, major hazards still open — in all, by sector and by month of the check."""
    checks = Check.objects.all()
    if campaign is not None:
        checks = checks.filter(campaign=campaign)
    if year:
        checks = checks.filter(checked_on__year=year)
    hazards = Hazard.objects.filter(check_record__in=checks)

    def figures(chk_qs, hz_qs) -> dict:
        agg = hz_qs.aggregate(found=Count("id"), major=Count("id", filter=Q(level=Hazard.Level.MAJOR)),
                              rectified=Count("id", filter=Q(status=Hazard.Status.RECTIFIED)),
                              major_open=Count("id", filter=Q(level=Hazard.Level.MAJOR, status=Hazard.Status.OPEN)))
        agg["checks"] = chk_qs.count()
        agg["rate"] = round(100 * agg["rectified"] / agg["found"], 1) if agg["found"] else None
        return agg

    by_sector = []
    sectors = dict(Campaign.Sector.choices)
    rows = {r["campaign__sector"]: r for r in checks.values("campaign__sector").annotate(checks=Count("id"))}
    hz = {r["check_record__campaign__sector"]: r for r in hazards.values("check_record__campaign__sector").annotate(
        found=Count("id"), major=Count("id", filter=Q(level=Hazard.Level.MAJOR)),
        rectified=Count("id", filter=Q(status=Hazard.Status.RECTIFIED)),
        major_open=Count("id", filter=Q(level=Hazard.Level.MAJOR, status=Hazard.Status.OPEN)))}
    for code in sorted(set(rows) | set(hz), key=lambda c: list(sectors).index(c)):
        h = hz.get(code, {})
        found, rect = h.get("found", 0), h.get("rectified", 0)
        by_sector.append({"sector": code, "label": sectors[code], "checks": rows.get(code, {}).get("checks", 0),
                          "found": found, "major": h.get("major", 0), "rectified": rect,
                          "major_open": h.get("major_open", 0), "rate": round(100 * rect / found, 1) if found else None})
    months = {}
    for m, n in checks.annotate(m=TruncMonth("checked_on")).values_list("m").annotate(n=Count("id")).order_by("m"):
        months[m] = {"month": m, "checks": n, "found": 0, "rectified": 0}
    for m, f, r in hazards.annotate(m=TruncMonth("check_record__checked_on")).values_list("m").annotate(
            f=Count("id"), r=Count("id", filter=Q(status=Hazard.Status.RECTIFIED))).order_by("m"):
        months.setdefault(m, {"month": m, "checks": 0, "found": 0, "rectified": 0}).update(found=f, rectified=r)
    return {"overall": figures(checks, hazards), "by_sector": by_sector, "by_month": [months[k] for k in sorted(months)]}


def activity_sources():
    """Inspections' events (plans, visits, orders) and safety campaigns' (checks, hazards)."""
    from django.db.models import Case, F, IntegerField, Value, When
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast, Coalesce, Concat
    from django.utils.translation import gettext_lazy

    from yingshang.core import activity

    from .models import CampaignEvent, Event

    def visible_visits(user):
        q = Q(visit__in=visits_visible_to(user))
        return q if roles.is_staff_member(user) else q & Q(public=True)

    def visible_campaigns(user):  # campaign checks are officials' work; the firm sees its hazards on its file
        return Q() if roles.is_staff_member(user) else Q(pk__in=[])

    visits = activity.Source(
        key="inspections", label=gettext_lazy("Inspections"), model=Event, order=30, firm="visit__enterprise_id",
        ref=Coalesce("visit_id", "plan_id"),
        ref_kind=Case(When(visit_id__isnull=False, then=Value("visit")), default=Value("plan")),
        title=Concat("plan__number", Value(" "), "plan__name"),
        link=activity.links({"visit": "inspections:visit", "plan": "inspections:plan"}), visible=visible_visits)
    campaigns = activity.Source(
        key="campaigns", label=gettext_lazy("Safety campaigns"), model=CampaignEvent, order=35,
        firm=Coalesce("hazard__check_record__enterprise_id", Cast(KT("data__enterprise"), IntegerField())),
        ref="campaign_id", title=F("campaign__name"), link=activity.link("inspections:campaign"),
        visible=visible_campaigns)
    return [visits, campaigns]
