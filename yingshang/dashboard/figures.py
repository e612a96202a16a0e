"""The registry of the zone's figures: each with a stable key, a name, a unit, its definition in words, the
records it counts for a period (and for an enterprise group or a service bureau where that makes sense), the
department that owns it, and optional target and warning values.

Two kinds of figure:
- a **flow** counts records by the Shanghai day of the event that makes them count (registered, closed out,
  ground broken, checked …). Its value for a period is summed from day cells — the roll-up the sweep keeps
  (``services.rollup_refresh``) — or, for the same answer without the roll-up, from the records themselves.
  A rate counts the records above the line (``numerator``) among the records of the period; a mean sums
  ``amount`` over the records and divides by their number; a count may carry an amount beside it
  (investment).
- a **stock** is a state on the last day of the period (the red list, the classes, the catalogue's items):
  read from small tables directly.

The dashboard reads every app and is read by none; the other apps never import this module."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Callable

from django.db.models import (Count, DateField, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, QuerySet,
                              Subquery, Value)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.workdays import ZONE

from .periods import Period

# A figure's light against its target and warning ("": it has neither).
LIGHTS = [("", "none"), ("green", "at or beyond the target"), ("yellow", "short of the target"),
          ("red", "past the warning")]
COUNT, SUM, RATE, MEAN, STOCK = "count", "sum", "rate", "mean", "stock"
SECTIONS = [
    ("tickets", _("Problems raised by firms")),
    ("projects", _("Major projects")),
    ("inspections", _("Double-random inspections")),
    ("credit", _("Credit")),
    ("safety", _("Safety campaigns")),
    ("catalog", _("Government services")),
]
WORKDAY_HOURS = Decimal(9)  # 08:30–17:30: the hours of a working day the bundles count


@dataclass(frozen=True)
class Dims:
    """The enterprise group and the service bureau a figure is narrowed to (None: the whole zone)."""

    group: int | None = None
    bureau: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.group or self.bureau)


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    name: str
    unit: str
    definition: str
    owner: str                      # the code of the department that owns the figure
    kind: str = COUNT
    # flow figures: the records (no period), the day that places one in a period, what counts above the line
    records: Callable[[], QuerySet] | None = None
    day: str = ""
    datetime_day: bool = True       # ``day`` is a moment (counted by its Shanghai day) or a date
    numerator: Q | None = None
    amount: object = None           # a field or an expression summed beside the count (investment, days)
    amount_unit: str = ""
    amount_scale: Decimal = Decimal(1)  # the amount as shown = sum ÷ scale (yuan → 亿元, hours → working days)
    group_path: str | None = None   # the path to the enterprise group from a record; None: not split by group
    bureau_path: str | None = None
    # stock figures: (period, dims) → (value, parts)
    stock: Callable | None = None
    stock_dims: tuple = ()          # which dims a stock figure can be narrowed by ("group", "bureau")
    # where the records live in their own app (a list filtered as far as that list can be)
    app_link: Callable[[Period, Dims], str] | None = None
    target: Decimal | None = None
    warning: Decimal | None = None
    higher_is_better: bool = True
    parts_labels: dict = field(default_factory=dict)

    @property
    def is_flow(self) -> bool:
        return self.kind != STOCK

    def supports(self, dims: Dims) -> bool:
        if self.is_flow:
            return (not dims.group or self.group_path is not None) and (not dims.bureau or self.bureau_path is not None)
        return (not dims.group or "group" in self.stock_dims) and (not dims.bureau or "bureau" in self.stock_dims)

    # --- the records of a flow figure -------------------------------------------------------------------
    def base(self, dims: Dims = Dims()) -> QuerySet:
        qs = self.records()
        if dims.group:
            qs = qs.filter(**{self.group_path: dims.group})
        if dims.bureau:
            qs = qs.filter(**{self.bureau_path: dims.bureau})
        return qs

    def in_days(self, qs: QuerySet, start: date, end: date) -> QuerySet:
        """``qs`` narrowed to the records whose day falls from ``start`` to ``end`` (Shanghai, inclusive):
        a range on the column itself, so its index serves."""
        if self.datetime_day:
            return qs.filter(**{f"{self.day}__gte": datetime.combine(start, time.min, tzinfo=ZONE),
                                f"{self.day}__lt": datetime.combine(end + timedelta(days=1), time.min, tzinfo=ZONE)})
        return qs.filter(**{f"{self.day}__gte": start, f"{self.day}__lte": end})

    def counted(self, period: Period, dims: Dims = Dims()) -> QuerySet:
        """Exactly the records the figure counts for the period (the drill-down lists these)."""
        return self.in_days(self.base(dims), period.start, period.end)

    def day_expr(self):
        return TruncDate(self.day, tzinfo=ZONE) if self.datetime_day else F(self.day)

    def amount_expr(self):
        return F(self.amount) if isinstance(self.amount, str) else self.amount


def _href(name: str, query: dict | None = None, *args) -> str:
    from urllib.parse import urlencode

    url = reverse(name, args=args)
    query = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


# --- the records each flow counts ---------------------------------------------------------------------

def _tickets():
    from yingshang.tickets.models import Ticket

    return Ticket.objects.all()


def _tickets_closed():
    from yingshang.tickets.models import Ticket

    return Ticket.objects.filter(status=Ticket.Status.CLOSED, closed_at__isnull=False)


def _tickets_closed_for_group():
    return _tickets_closed().filter(enterprise__group__isnull=False)


def _tickets_resolved():
    from yingshang.tickets.models import Ticket

    return Ticket.objects.filter(resolved_at__isnull=False, resolve_due__isnull=False).exclude(
        status__in=[Ticket.Status.WITHDRAWN, Ticket.Status.MERGED])


def _tickets_rated():
    return _tickets_closed().exclude(rating="")


def _ground_broken_on():
    """The day a project first reached a stage on the ground (under construction or beyond)."""
    from yingshang.projects.models import LANDED, Event

    return Subquery(Event.objects.filter(project=OuterRef("pk"), to_status__in=[str(s) for s in LANDED],
                                         action__in=["projects.project.stage_changed", "projects.project.created"])
                    .order_by().values("project").annotate(d=Min("on")).values("d")[:1], output_field=DateField())


def _major_started():
    from yingshang.projects.models import Project
    from yingshang.projects.services import major_threshold

    return (Project.objects.filter(investment__gte=major_threshold()).annotate(ground_broken=_ground_broken_on())
            .filter(ground_broken__isnull=False))


def _returned():
    from yingshang.projects.models import Project

    return Project.objects.filter(is_returned=True).annotate(ground_broken=_ground_broken_on()).filter(
        ground_broken__isnull=False)


def _returned_signed():
    from yingshang.projects.models import Project

    return Project.objects.filter(is_returned=True, invitation__stage="signed").annotate(
        signed_on=F("invitation__stage_since"))


def _contact_to_ground():
    from yingshang.projects.models import Project

    return (Project.objects.filter(first_contact_on__isnull=False).annotate(ground_broken=_ground_broken_on())
            .filter(ground_broken__gte=F("first_contact_on"))
            .annotate(days_to_ground=ExpressionWrapper(F("ground_broken") - F("first_contact_on"),
                                                       output_field=DurationField())))


def _plans_approved():
    from yingshang.inspections.models import Plan

    return Plan.objects.filter(approved_at__isnull=False)


def _plan_departments():
    """How many departments carry out the record's plan (a plan names at least its lead department)."""
    from yingshang.inspections.models import Plan

    return Coalesce(Subquery(Plan.departments.through.objects.filter(plan_id=OuterRef("plan_id")).order_by()
                             .values("plan_id").annotate(n=Count("department_id")).values("n")[:1]), Value(1))


def _draws(joint: bool):
    from yingshang.inspections.models import Draw

    qs = Draw.objects.filter(status=Draw.Status.DRAWN, drawn_at__isnull=False).annotate(
        n_departments=_plan_departments())
    return qs.filter(n_departments__gt=1) if joint else qs.filter(n_departments__lte=1)


def _visits_drawn():
    from yingshang.inspections.models import Draw, Visit

    return Visit.objects.filter(draw__status=Draw.Status.DRAWN, draw__drawn_at__isnull=False)


def _visits_done():
    from yingshang.inspections.models import Visit

    per_visit = (Visit.inspectors.through.objects.filter(visit_id=OuterRef("pk")).order_by()
                 .values("visit_id").annotate(n=Count("inspector_id")).values("n")[:1])
    return Visit.objects.filter(visited_on__isnull=False).annotate(
        n_inspectors=Coalesce(Subquery(per_visit), Value(0)), n_departments=_plan_departments(),
        saved=F("n_departments") - 1)


def _checks():
    from yingshang.inspections.models import Check

    return Check.objects.all()


def _hazards():
    from yingshang.inspections.models import Hazard

    return Hazard.objects.all()


def _hazards_rectified():
    from yingshang.inspections.models import Hazard

    return Hazard.objects.filter(status=Hazard.Status.RECTIFIED, rectified_on__isnull=False)


def _applications():
    from yingshang.catalog.models import Application

    return Application.objects.all()


def _startups_done():
    from yingshang.catalog.models import BundleApplication, LifeEvent

    return BundleApplication.objects.filter(bundle__life_event=LifeEvent.START, status=BundleApplication.Status.DONE,
                                            done_at__isnull=False, work_hours__isnull=False)


def _claims():
    from yingshang.catalog.models import Claim

    return Claim.objects.all()


# --- stock figures ------------------------------------------------------------------------------------

def _inspection_items(period, dims):
    from yingshang.inspections.models import Item

    return Item.objects.filter(active=True).count(), {}


def _inspectors(period, dims):
    from yingshang.inspections.models import Inspector

    return Inspector.objects.filter(active=True).count(), {}


def list_entries_on(kind: str, day: date, dims: Dims = Dims()) -> QuerySet:
    """The firms on the red or black list on ``day``: entered by then and not ended before it."""
    from yingshang.credit.models import ListEntry

    qs = ListEntry.objects.filter(kind=kind, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    if dims.group:
        qs = qs.filter(enterprise__group_id=dims.group)
    if dims.bureau:
        qs = qs.filter(enterprise__bureau_id=dims.bureau)
    return qs


def _list_count(kind):
    def compute(period, dims):
        return list_entries_on(kind, period.end, dims).values("enterprise_id").distinct().count(), {}
    return compute


def firms_in(dims: Dims = Dims()) -> QuerySet:
    from yingshang.directory.models import Enterprise

    qs = Enterprise.objects.all()
    if dims.group:
        qs = qs.filter(group_id=dims.group)
    if dims.bureau:
        qs = qs.filter(bureau_id=dims.bureau)
    return qs


def _class_distribution(period, dims):
    from django.utils import timezone

    from yingshang.credit import selectors as credit

    ids = list(firms_in(dims).values_list("pk", flat=True))
    grades = credit.grades_now(ids) if period.end >= timezone.localdate() else credit.grades_at(ids, period.end)
    parts = {g: 0 for g in "ABCD"}
    for g in grades.values():
        parts[g] = parts.get(g, 0) + 1
    good = parts["A"] + parts["B"]
    return (round(Decimal(100 * good) / len(ids), 1) if ids else None), parts


def _catalog_items(powers: bool):
    def compute(period, dims):
        from yingshang.catalog import selectors as catalog

        qs = catalog.current_versions()
        if powers:
            qs = qs.filter(type__is_power=True)
        return qs.count(), {}
    return compute


def _bundles(period, dims):
    from yingshang.catalog.models import Bundle

    return Bundle.objects.filter(active=True).count(), {}


# --- the app's own lists ------------------------------------------------------------------------------

def _ledger(extra=None):
    def link(period, dims):
        q = {"created_from": period.start, "created_to": period.end, "group": dims.group, "bureau": dims.bureau}
        return _href("tickets:ledger", {**q, **(extra or {})})
    return link


def _projects_ledger(extra=None):
    def link(period, dims):
        return _href("projects:ledger", {"bureau": dims.bureau, **(extra or {})})
    return link


def _link(name, query=None):
    return lambda period, dims: _href(name, query)


def _catalog_inbox(extra=None):
    def link(period, dims):
        return _href("catalog:inbox", {"tab": "all", "since": period.start, "until": period.end, **(extra or {})})
    return link


T, P, I, C, S, G = "tickets", "projects", "inspections", "credit", "safety", "catalog"
ENT_GROUP, ENT_BUREAU = "enterprise__group_id", "enterprise__bureau_id"
YI = Decimal(100_000_000)

FIGURES: list[Figure] = [
    Figure("tickets.registered", T, _("Problems registered"), pgettext_lazy("unit", "items"),
           _("Problems firms raised (registered) whose registration falls in the period, whatever their state now."),
           "service-centre", records=_tickets, day="created_at", group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_ledger()),
    Figure("tickets.closed", T, _("Problems closed out"), pgettext_lazy("unit", "items"),
           _("Problems closed out in the period: solved or explained, and confirmed by the firm or closed "
             "by the service centre."), "service-centre", records=_tickets_closed, day="closed_at",
           group_path=ENT_GROUP, bureau_path=ENT_BUREAU, app_link=_ledger({"status": "closed"})),
    Figure("tickets.closed_for_group", T, _("Problems closed out for enterprise groups"), pgettext_lazy("unit", "items"),
           _("Problems of firms that belong to an enterprise group (FAW and its units …) closed out in the "
             "period; with a group chosen, that group's whole family."), "service-centre",
           records=_tickets_closed_for_group, day="closed_at", group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_ledger({"status": "closed"})),
    Figure("tickets.on_time_resolution_rate", T, _("Resolved on time"), "%",
           _("Of the problems resolved in the period, the share resolved by their deadline (extensions "
             "approved included)."), "service-centre", kind=RATE, records=_tickets_resolved, day="resolved_at",
           numerator=Q(resolved_at__lte=F("resolve_due")), group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_ledger(), target=Decimal(95), warning=Decimal(90)),
    Figure("tickets.satisfaction_rate", T, _("Firms satisfied"), "%",
           _("Of the problems closed out in the period with the firm's rating, the share rated satisfied or "
             "basically satisfied."), "service-centre", kind=RATE, records=_tickets_rated, day="closed_at",
           numerator=Q(rating__in=["satisfied", "basic"]), group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_ledger({"status": "closed"}), target=Decimal(95), warning=Decimal(90)),
    Figure("projects.major_started", P, _("Major projects started"), pgettext_lazy("unit", "projects"),
           _("Projects of 50 million yuan or more whose ground was broken in the period (their first day under "
             "construction), with their total investment."), "investment", records=_major_started,
           day="ground_broken", datetime_day=False, amount="investment", amount_unit=pgettext_lazy("unit", "100 million yuan"),
           amount_scale=YI, group_path="investor__group_id", bureau_path="bureau_id",
           app_link=_projects_ledger()),
    Figure("projects.returned", P, _("Returned projects"), pgettext_lazy("unit", "projects"),
           _("Projects brought back to the zone (the six returns campaign) whose ground was broken in the period, with their "
             "investment."), "investment", records=_returned, day="ground_broken", datetime_day=False,
           amount="investment", amount_unit=pgettext_lazy("unit", "100 million yuan"), amount_scale=YI,
           group_path="investor__group_id", bureau_path="bureau_id",
           app_link=_projects_ledger({"returned": "yes", "all": "1"})),
    Figure("projects.returned_signed", P, _("Returned projects signed"), pgettext_lazy("unit", "projects"),
           _("Projects signed in the period by firms a recruiting campaign invited (the six returns), each traced to its "
             "invitation, with their investment."), "investment", records=_returned_signed, day="signed_on",
           datetime_day=False, amount="investment", amount_unit=pgettext_lazy("unit", "100 million yuan"),
           amount_scale=YI, group_path="investor__group_id", bureau_path="bureau_id", app_link=_link("chain:board")),
    Figure("projects.contact_to_groundbreaking_days", P, _("First contact to ground-breaking"), pgettext_lazy("unit", "days"),
           _("For the projects whose ground was broken in the period, the average calendar days from the first "
             "contact to ground-breaking."), "investment", kind=MEAN, records=_contact_to_ground,
           day="ground_broken", datetime_day=False, amount="days_to_ground", group_path="investor__group_id",
           bureau_path="bureau_id", app_link=_link("projects:pipeline"), higher_is_better=False),
    Figure("inspections.items", I, _("Inspection items listed"), pgettext_lazy("unit", "items"),
           _("The active items of the inspection list today."), "market", kind=STOCK,
           stock=_inspection_items, app_link=_link("inspections:plans")),
    Figure("inspections.inspectors", I, _("Inspectors in the directories"), pgettext_lazy("unit", "people"),
           _("Active inspectors in the departments' inspector directories today."), "market", kind=STOCK,
           stock=_inspectors, app_link=_link("inspections:plans")),
    Figure("inspections.plans", I, _("Inspection plans"), pgettext_lazy("unit", "plans"),
           _("Random inspection plans approved in the period."), "market", records=_plans_approved,
           day="approved_at", bureau_path="bureau_id", app_link=_link("inspections:plans")),
    Figure("inspections.tasks_in_department", I, _("Random tasks within a department"), pgettext_lazy("unit", "tasks"),
           _("Draws made in the period for plans of a single department (re-drawn ones counted once)."),
           "market", records=lambda: _draws(False), day="drawn_at", bureau_path="plan__bureau_id",
           app_link=_link("inspections:plans")),
    Figure("inspections.tasks_joint", I, _("Joint random tasks"), pgettext_lazy("unit", "tasks"),
           _("Draws made in the period for plans several departments carry out together (one visit for several checks)."),
           "market", records=lambda: _draws(True), day="drawn_at", bureau_path="plan__bureau_id",
           app_link=_link("inspections:plans")),
    Figure("inspections.firms_drawn", I, _("Firms drawn"), pgettext_lazy("unit", "firms"),
           _("Visits assigned by the draws made in the period: each firm drawn by a plan counts once."), "market",
           records=_visits_drawn, day="draw__drawn_at", group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_link("inspections:plans")),
    Figure("inspections.inspector_visits", I, _("Inspector visits"), pgettext_lazy("unit", "person-visits"),
           _("Inspections carried out in the period, each inspector who went counted once (person-visits)."), "market",
           kind=SUM, records=_visits_done, day="visited_on", datetime_day=False, amount="n_inspectors",
           group_path=ENT_GROUP, bureau_path=ENT_BUREAU, app_link=_link("inspections:plans")),
    Figure("inspections.visits_saved", I, _("Visits saved by joint inspection"), pgettext_lazy("unit", "visits"),
           _("For the inspections carried out in the period, the departments' visits one joint visit replaced "
             "(departments of the plan − 1)."), "market", kind=SUM, records=_visits_done, day="visited_on",
           datetime_day=False, amount="saved", group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_link("inspections:plans")),
    Figure("credit.red_list", C, _("Firms on the red list"), pgettext_lazy("unit", "firms"),
           _("Firms on the red list (rewarded for trustworthiness) on the last day of the period."), "development", kind=STOCK,
           stock=_list_count("red"), stock_dims=("group", "bureau"),
           app_link=_link("credit:lists", {"kind": "red"})),
    Figure("credit.black_list", C, _("Firms on the black list"), pgettext_lazy("unit", "firms"),
           _("Firms on the black list (jointly punished) on the last day of the period."), "development", kind=STOCK,
           stock=_list_count("black"), stock_dims=("group", "bureau"),
           app_link=_link("credit:lists", {"kind": "black"}), higher_is_better=False),
    Figure("credit.class_distribution", C, _("Firms in classes A and B"), "%",
           _("The share of firms in credit class A or B on the last day of the period (a firm never scored is "
             "B); the classes' counts beside it."), "development", kind=STOCK, stock=_class_distribution,
           stock_dims=("group", "bureau"), app_link=_link("credit:firms"),
           parts_labels={"A": "A", "B": "B", "C": "C", "D": "D"}),
    Figure("safety.checks", S, _("Firms checked in safety campaigns"), pgettext_lazy("unit", "checks"),
           _("Unit-inspections recorded in the safety campaigns in the period."), "emergency", records=_checks,
           day="checked_on", datetime_day=False, group_path=ENT_GROUP, bureau_path=ENT_BUREAU,
           app_link=_link("inspections:campaigns")),
    Figure("safety.hazards_found", S, _("Hazards found"), pgettext_lazy("unit", "hazards"),
           _("Hazards recorded by the checks of the period."), "emergency", records=_hazards,
           day="check_record__checked_on", datetime_day=False, group_path="check_record__enterprise__group_id",
           bureau_path="check_record__enterprise__bureau_id", app_link=_link("inspections:campaigns")),
    Figure("safety.hazards_rectified", S, _("Hazards rectified"), pgettext_lazy("unit", "hazards"),
           _("Hazards whose rectification was confirmed in the period."), "emergency", records=_hazards_rectified,
           day="rectified_on", datetime_day=False, group_path="check_record__enterprise__group_id",
           bureau_path="check_record__enterprise__bureau_id", app_link=_link("inspections:campaigns")),
    Figure("safety.rectification_rate", S, _("Hazards rectified (share)"), "%",
           _("Of the hazards found in the period, the share rectified so far."), "emergency", kind=RATE,
           records=_hazards, day="check_record__checked_on", datetime_day=False,
           numerator=Q(status="rectified"), group_path="check_record__enterprise__group_id",
           bureau_path="check_record__enterprise__bureau_id", app_link=_link("inspections:campaigns"),
           target=Decimal(90), warning=Decimal(70)),
    Figure("catalog.items", G, _("Service items"), pgettext_lazy("unit", "items"),
           _("Items of the government service catalogue with a published version today."), "gov-data",
           kind=STOCK, stock=_catalog_items(False), app_link=_link("portal:guide")),
    Figure("catalog.powers", G, _("Administrative powers"), pgettext_lazy("unit", "items"),
           _("Published items whose type is an administrative power (not a public service)."), "gov-data",
           kind=STOCK, stock=_catalog_items(True), app_link=_link("portal:guide")),
    Figure("catalog.bundles", G, _("One-matter bundles"), pgettext_lazy("unit", "bundles"),
           _("Active one-matter bundles offered today."), "gov-data", kind=STOCK, stock=_bundles,
           app_link=_link("catalog:bundles")),
    Figure("catalog.online_rate", G, _("Applications made online"), "%",
           _("Of the applications submitted in the period, the share submitted online."), "gov-data",
           kind=RATE, records=_applications, day="created_at", numerator=Q(channel="online"),
           group_path=ENT_GROUP, bureau_path=ENT_BUREAU, app_link=_catalog_inbox({"channel": "online"}),
           target=Decimal(98), warning=Decimal(90)),
    Figure("catalog.business_startup_workdays", G, _("Business start-up time"), pgettext_lazy("unit", "working days"),
           _("For the business start-up bundles done in the period, the average working time from "
             "application to the last licence, in working days of nine working hours."), "gov-data", kind=MEAN,
           records=_startups_done, day="done_at", amount="work_hours", amount_scale=WORKDAY_HOURS, group_path=ENT_GROUP,
           bureau_path=ENT_BUREAU, app_link=_link("catalog:statistics"), target=Decimal(1), warning=Decimal("1.5"),
           higher_is_better=False),
    Figure("catalog.claim_rate", G, _("Registrations claimed"), "%",
           _("Of the claims pushed to the licensing departments for registrations of the period (dual notification), the "
             "share claimed."), "gov-data", kind=RATE, records=_claims, day="registration__recorded_at",
           numerator=Q(status="claimed"), group_path="registration__enterprise__group_id",
           bureau_path="registration__enterprise__bureau_id", app_link=_link("catalog:claims"),
           target=Decimal(100), warning=Decimal(95)),
]
BY_KEY = {f.key: f for f in FIGURES}


def get(key: str) -> Figure:
    return BY_KEY[key]


def flows() -> list[Figure]:
    return [f for f in FIGURES if f.is_flow]
