"""Reads of the cockpit: every figure of the registry for a period (with the period before and the same
period a year earlier), their monthly trends, the records behind each, the rankings and the business
environment indicators.

A flow figure is summed from the roll-up's day cells once the roll-up exists (``services.rollup_refresh``;
one query per period for every figure), from its records otherwise; both give the same answer for the days
the roll-up has seen."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .. import figures as F_
from ..figures import COUNT, MEAN, RATE, SUM, Dims, Figure
from ..models import DayCell, RollupState
from ..periods import Period

ZERO = Decimal(0)

__all__ = ["rollup_state", "source", "cells_from_records", "figure_answers", "figure_answer", "figure_records",
           "trends", "rankings", "indicators", "round1", "groups_and_bureaus", "describe_record", "query_string", "zone_map_data", "breakdown_cells",
           "MAP_KEY", "RANK_KEY"]


def round1(x) -> Decimal | None:
    return None if x is None else Decimal(x).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _dec(x) -> Decimal:
    """A sum from the database as a Decimal (a sum of durations is a number of days)."""
    if x is None:
        return ZERO
    if isinstance(x, timedelta):
        return Decimal(x.days) + Decimal(x.seconds) / Decimal(86400)
    return Decimal(str(x))


def rollup_state() -> RollupState | None:
    return RollupState.objects.order_by("-refreshed_at").first()


def source() -> str:
    return "rollup" if RollupState.objects.exists() else "records"


# --- day cells straight from the records -------------------------------------------------------------

def cells_from_records(fig: Figure, start: date | None = None, end: date | None = None,
                       dims: Dims = Dims()) -> QuerySet:
    """The figure's day cells computed from its records: (d, g, b, n, num, amount) per Shanghai day, group
    and bureau, for the days from ``start`` to ``end`` (all days when not given)."""
    qs = fig.base(dims)
    if start or end:
        qs = fig.in_days(qs, start or date(2000, 1, 1), end or date(2100, 12, 31))
    group = F(fig.group_path) if fig.group_path else Value(None, output_field=IntegerField())
    bureau = F(fig.bureau_path) if fig.bureau_path else Value(None, output_field=IntegerField())
    agg = {"n": Count("pk")}
    if fig.numerator is not None:
        agg["num"] = Count("pk", filter=fig.numerator)
    if fig.amount is not None:
        agg["amount"] = Sum(fig.amount_expr())
    return qs.annotate(d=fig.day_expr(), g=group, b=bureau).values("d", "g", "b").annotate(**agg).order_by()


# --- breakdowns kept in the same roll-up: the map's areas and the departments' ranking ---------------------

MAP_KEY, RANK_KEY = "map.tickets.registered", "rank.tickets.resolved"
MIN_FOR_RANKING = 5


def _since(fig: Figure, start: date | None) -> QuerySet:
    """The figure's records from ``start`` on (all of them without)."""
    return fig.records() if start is None else fig.in_days(fig.records(), start, date(2100, 12, 31))


def breakdown_cells(start: date | None = None) -> dict[str, list[dict]]:
    """The breakdowns' day cells from the records (from ``start`` on, or every day): problems registered by the
    area of the zone's map their firm is in (the unit is the area's name; "" for a firm without a place), and
    problems resolved by the department that led them, with those resolved on time."""
    from yingshang.core import geo
    from yingshang.core.workdays import ZONE
    from yingshang.directory.models import Enterprise

    features = geo.zone_map()["features"]
    area = {pk: (geo.area_of(float(x), float(y), features) or "") if x is not None else ""
            for pk, x, y in Enterprise.objects.values_list("pk", "lng", "lat")}
    reg = F_.get("tickets.registered")
    merged: dict[tuple, int] = defaultdict(int)
    for c in (_since(reg, start)
              .annotate(d=TruncDate("created_at", tzinfo=ZONE), g=F("enterprise__group_id"),
                        b=F("enterprise__bureau_id"))
              .values("d", "g", "b", "enterprise_id").annotate(n=Count("pk")).order_by()):
        merged[(c["d"], c["g"] or 0, c["b"] or 0, area.get(c["enterprise_id"], ""))] += c["n"]
    areas = [{"d": k[0], "g": k[1], "b": k[2], "u": k[3], "n": n, "num": 0, "amount": ZERO}
             for k, n in merged.items()]
    res = F_.get("tickets.on_time_resolution_rate")
    ranks = [{"d": c["d"], "g": c["g"] or 0, "b": c["b"] or 0, "u": str(c["u"]), "n": c["n"], "num": c["num"],
              "amount": ZERO}
             for c in (_since(res, start).filter(lead_department__isnull=False)
                       .annotate(d=TruncDate("resolved_at", tzinfo=ZONE), g=F("enterprise__group_id"),
                                 b=F("enterprise__bureau_id"), u=F("lead_department_id"))
                       .values("d", "g", "b", "u").annotate(n=Count("pk"), num=Count("pk", filter=res.numerator))
                       .order_by())]
    return {MAP_KEY: areas, RANK_KEY: ranks}


def _narrow(qs: QuerySet, dims: Dims, *, zone: bool = True) -> QuerySet:
    """Day cells narrowed to the group and bureau; with neither, the whole zone's own cells (one a day) unless
    ``zone`` is False (a breakdown by bureau needs the detailed ones)."""
    if not dims.any:
        return qs.filter(group_id=DayCell.ZONE, bureau_id=DayCell.ZONE) if zone else qs.filter(group_id__gte=0)
    if dims.group:
        qs = qs.filter(group_id=dims.group)
    if dims.bureau:
        qs = qs.filter(bureau_id=dims.bureau)
    return qs


def _cells(key: str, period: Period, dims: Dims, *, zone: bool = True) -> QuerySet:
    return _narrow(DayCell.objects.filter(key=key, day__gte=period.start, day__lte=period.end), dims, zone=zone)


# --- a period's totals --------------------------------------------------------------------------------

def _totals_from_rollup(keys: list[str], period: Period, dims: Dims) -> dict[str, tuple]:
    qs = _narrow(DayCell.objects.filter(key__in=keys, day__gte=period.start, day__lte=period.end, unit=""), dims)
    return {k: (n or 0, num or 0, _dec(a)) for k, n, num, a in
            qs.values_list("key").annotate(Sum("n"), Sum("num"), Sum("amount")).order_by()}


def _totals_from_records(fig: Figure, period: Period, dims: Dims) -> tuple:
    agg = {"n": Count("pk")}
    if fig.numerator is not None:
        agg["num"] = Count("pk", filter=fig.numerator)
    if fig.amount is not None:
        agg["amount"] = Sum(fig.amount_expr())
    row = fig.counted(period, dims).aggregate(**agg)
    return row["n"] or 0, row.get("num") or 0, _dec(row.get("amount"))


def _value(fig: Figure, n: int, num: int, amount: Decimal) -> tuple[Decimal | int | None, Decimal | None]:
    """The figure's value from its totals, and the amount shown beside a count (investment in 亿元)."""
    if fig.kind == COUNT:
        return n, (round1(amount / fig.amount_scale) if fig.amount is not None else None)
    if fig.kind == SUM:
        return int(amount / fig.amount_scale), None
    if fig.kind == RATE:
        return (round1(Decimal(100 * num) / n) if n else None), None
    if fig.kind == MEAN:
        return (round1(amount / fig.amount_scale / n) if n else None), None
    raise ValueError(fig.kind)


def _period_values(figs: list[Figure], period: Period, dims: Dims, src: str) -> dict[str, dict]:
    flows = [f for f in figs if f.is_flow and f.supports(dims)]
    out = {}
    if src == "rollup" and flows:
        totals = _totals_from_rollup([f.key for f in flows], period, dims)
    else:
        totals = {f.key: _totals_from_records(f, period, dims) for f in flows}
    for f in flows:
        n, num, amount = totals.get(f.key, (0, 0, ZERO))
        value, amt = _value(f, n, num, amount)
        out[f.key] = {"value": value, "amount": amt, "n": n, "num": num, "parts": {}}
    for f in figs:
        if not f.is_flow and f.supports(dims):
            value, parts = f.stock(period, dims)
            out[f.key] = {"value": value, "amount": None, "n": None, "num": None, "parts": parts}
    return out


def _change(now, before) -> Decimal | None:
    """The change from ``before`` to ``now`` in per cent (None when there is nothing to compare with)."""
    if now is None or before in (None, 0):
        return None
    return round1((Decimal(now) - Decimal(before)) * 100 / Decimal(before))


def _light(fig: Figure, value) -> str:
    """red past the warning value, yellow short of the target, green at or beyond it, '' without either."""
    if value is None or (fig.target is None and fig.warning is None):
        return ""
    v = Decimal(value)
    if fig.higher_is_better:
        if fig.warning is not None and v < fig.warning:
            return "red"
        return "yellow" if fig.target is not None and v < fig.target else "green"
    if fig.warning is not None and v > fig.warning:
        return "red"
    return "yellow" if fig.target is not None and v > fig.target else "green"


def query_string(period: Period, dims: Dims) -> str:
    from urllib.parse import urlencode

    q = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if dims.group:
        q["group"] = dims.group
    if dims.bureau:
        q["bureau"] = dims.bureau
    return urlencode(q)


def figure_answers(period: Period, dims: Dims = Dims(), *, keys: list[str] | None = None,
                   src: str | None = None) -> list[dict]:
    """Every figure (or those of ``keys``) for the period, the period before (环比) and the same period a
    year earlier (同比): value, amount, change, light, and the links to the records behind it."""
    src = src or source()
    figs = [F_.get(k) for k in keys] if keys else F_.FIGURES
    now = _period_values(figs, period, dims, src)
    prev = _period_values(figs, period.previous(), dims, src)
    year = _period_values(figs, period.year_before(), dims, src)
    q = query_string(period, dims)
    owners = _owners()
    out = []
    for f in figs:
        here = now.get(f.key)
        row = {"key": f.key, "section": f.section, "name": str(f.name), "unit": str(f.unit),
               "definition": str(f.definition), "owner": owners.get(f.owner, f.owner), "kind": f.kind,
               "applies": here is not None, "value": None, "previous": None, "year_before": None,
               "amount": None, "amount_previous": None, "amount_year_before": None,
               "amount_unit": str(f.amount_unit), "parts": {}, "target": f.target, "warning": f.warning,
               "higher_is_better": f.higher_is_better,
               "drill_url": f"{reverse('dashboard:figure', args=[f.key])}?{q}",
               "app_url": f.app_link(period, dims) if f.app_link else ""}
        if here is not None:
            row.update(value=here["value"], amount=here["amount"], parts=here["parts"],
                       previous=prev[f.key]["value"], year_before=year[f.key]["value"],
                       amount_previous=prev[f.key]["amount"], amount_year_before=year[f.key]["amount"])
        row["change_previous"] = _change(row["value"], row["previous"])
        row["change_year"] = _change(row["value"], row["year_before"])
        row["light"] = _light(f, row["value"])
        out.append(row)
    return out


def figure_answer(key: str, period: Period, dims: Dims = Dims(), *, src: str | None = None) -> dict:
    """One figure with its monthly series over the period's months (a period within one month: the twelve
    months up to it)."""
    src = src or source()
    row = figure_answers(period, dims, keys=[key], src=src)[0]
    span = period if len(period.months()) > 1 else period.trend(12)
    row["series"] = trends(span, dims, keys=[key], src=src).get(key, [])
    return row


# --- trends -------------------------------------------------------------------------------------------

def trends(span: Period, dims: Dims = Dims(), *, keys: list[str] | None = None,
           src: str | None = None) -> dict[str, list[dict]]:
    """Each flow figure's value per month of ``span`` (one query over the roll-up for all of them)."""
    src = src or source()
    figs = [F_.get(k) for k in keys] if keys else F_.FIGURES
    flows = [f for f in figs if f.is_flow and f.supports(dims)]
    months = span.months()
    per: dict[str, dict] = defaultdict(dict)
    if src == "rollup":
        qs = _narrow(DayCell.objects.filter(key__in=[f.key for f in flows], day__gte=span.start, day__lte=span.end,
                                            unit=""), dims)
        for k, m, n, num, a in (qs.annotate(m=TruncMonth("day")).values_list("key", "m")
                                .annotate(Sum("n"), Sum("num"), Sum("amount")).order_by()):
            per[k][_first(m)] = (n or 0, num or 0, _dec(a))
    else:
        for f in flows:
            for c in cells_from_records(f, span.start, span.end, dims):
                m = c["d"].replace(day=1)
                n, num, a = per[f.key].get(m, (0, 0, ZERO))
                per[f.key][m] = (n + c["n"], num + (c.get("num") or 0), a + _dec(c.get("amount")))
    out = {}
    for f in flows:
        series = []
        for m in months:
            value, _ = _value(f, *per[f.key].get(m, (0, 0, ZERO)))
            series.append({"month": m.strftime("%Y-%m"), "value": value})
        out[f.key] = series
    return out


def _first(m) -> date:
    return (m.date() if hasattr(m, "date") and callable(m.date) else m).replace(day=1)


# --- the records behind a figure ----------------------------------------------------------------------

def figure_records(fig: Figure, period: Period, dims: Dims = Dims()) -> QuerySet | None:
    """Exactly the records the figure counted (a rate's records carry ``above``: counted above the line);
    None for a figure whose records live on their app's own page."""
    if fig.is_flow:
        qs = fig.counted(period, dims)
        if fig.numerator is not None:
            qs = qs.annotate(above=ExpressionWrapper(fig.numerator, output_field=BooleanField()))
        return qs.order_by(f"-{fig.day}", "-pk")
    if fig.key in ("credit.red_list", "credit.black_list"):
        return (F_.list_entries_on(fig.key.split(".")[1].split("_")[0], period.end, dims)
                .select_related("enterprise").order_by("enterprise__name", "pk"))
    return None


def describe_record(obj) -> dict:
    """A line of the drill-down: number, what it is, the firm, the day it counted on, its page."""
    from yingshang.catalog.models import Application, BundleApplication, Claim
    from yingshang.credit.models import ListEntry
    from yingshang.inspections.models import Check, Draw, Hazard, Plan, Visit
    from yingshang.projects.models import Project
    from yingshang.tickets.models import Ticket

    def firm(ent):
        return ent.name if ent is not None else ""

    if isinstance(obj, Ticket):
        return {"number": obj.number, "title": obj.title, "firm": firm(obj.enterprise),
                "state": obj.get_status_display(), "url": reverse("tickets:detail", args=[obj.pk])}
    if isinstance(obj, Project):
        return {"number": obj.number, "title": obj.name, "firm": obj.investor_label,
                "state": obj.get_stage_display(), "url": reverse("projects:detail", args=[obj.pk])}
    if isinstance(obj, Plan):
        return {"number": obj.number, "title": obj.name, "firm": "", "state": obj.get_status_display(),
                "url": reverse("inspections:plan", args=[obj.pk])}
    if isinstance(obj, Draw):
        return {"number": obj.plan.number, "title": obj.plan.name, "firm": "", "state": obj.get_status_display(),
                "url": reverse("inspections:plan", args=[obj.plan_id])}
    if isinstance(obj, Visit):
        return {"number": obj.plan.number, "title": obj.plan.name, "firm": firm(obj.enterprise),
                "state": obj.get_status_display(), "url": reverse("inspections:visit", args=[obj.pk])}
    if isinstance(obj, Check):
        return {"number": "", "title": obj.campaign.name, "firm": firm(obj.enterprise), "state": "",
                "url": reverse("inspections:campaign", args=[obj.campaign_id])}
    if isinstance(obj, Hazard):
        return {"number": "", "title": obj.description[:80], "firm": firm(obj.check_record.enterprise),
                "state": obj.get_status_display(),
                "url": reverse("inspections:campaign", args=[obj.check_record.campaign_id])}
    if isinstance(obj, Application):
        return {"number": obj.number, "title": obj.version.name, "firm": firm(obj.enterprise),
                "state": obj.get_status_display(), "url": reverse("catalog:detail", args=[obj.pk])}
    if isinstance(obj, BundleApplication):
        return {"number": obj.number, "title": obj.bundle.name, "firm": firm(obj.enterprise),
                "state": obj.get_status_display(), "url": reverse("catalog:bundle_detail", args=[obj.pk])}
    if isinstance(obj, Claim):
        return {"number": "", "title": str(obj.department), "firm": firm(obj.registration.enterprise),
                "state": obj.get_status_display(),
                "url": reverse("catalog:registration", args=[obj.registration_id])}
    if isinstance(obj, ListEntry):
        return {"number": "", "title": obj.basis[:80], "firm": firm(obj.enterprise),
                "state": obj.get_status_display(), "url": reverse("directory:enterprise", args=[obj.enterprise_id])}
    return {"number": "", "title": str(obj), "firm": "", "state": "", "url": ""}


RELATED = {
    "Ticket": ("enterprise",), "Project": ("investor",), "Draw": ("plan",), "Visit": ("plan", "enterprise"),
    "Check": ("campaign", "enterprise"), "Hazard": ("check_record__enterprise",),
    "Application": ("version", "enterprise"), "BundleApplication": ("bundle", "enterprise"),
    "Claim": ("department", "registration__enterprise"),
}


def with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related(*RELATED.get(qs.model.__name__, ()))


# --- rankings -----------------------------------------------------------------------------------------

def rankings(period: Period, dims: Dims = Dims(), *, limit: int = 10) -> dict:
    """Departments by on-time resolution (the problems they led that were resolved in the period; at least
    ``MIN_FOR_RANKING``), service bureaus by problems closed out in the period — both from the roll-up — and
    inspectors by inspections carried out."""
    from yingshang.directory.models import Department
    from yingshang.inspections.models import Visit

    names = dict(Department.objects.values_list("pk", "name"))
    departments = []
    for unit, n, num in _cells(RANK_KEY, period, dims).values_list("unit").annotate(Sum("n"), Sum("num")).order_by():
        if n >= MIN_FOR_RANKING and unit.isdigit():
            departments.append({"name": names.get(int(unit), ""), "id": int(unit), "n": n,
                                "rate": round1(Decimal(100 * num) / n)})
    departments.sort(key=lambda d: (-d["rate"], -d["n"], d["name"]))
    closed = dict(_cells("tickets.closed", period, dims, zone=False).filter(unit="", bureau_id__gt=0)
                  .values_list("bureau_id").annotate(Sum("n")).order_by())
    registered = dict(_cells("tickets.registered", period, dims, zone=False).filter(unit="", bureau_id__gt=0)
                      .values_list("bureau_id").annotate(Sum("n")).order_by())
    bureaus = sorted(({"name": names.get(b, ""), "id": b, "closed": closed.get(b, 0), "n": registered.get(b, 0)}
                      for b in set(closed) | set(registered)), key=lambda r: (-r["closed"], -r["n"], r["name"]))
    visits = Visit.objects.filter(visited_on__gte=period.start, visited_on__lte=period.end)
    if dims.group:
        visits = visits.filter(enterprise__group_id=dims.group)
    if dims.bureau:
        visits = visits.filter(enterprise__bureau_id=dims.bureau)
    inspectors = list(Visit.inspectors.through.objects.filter(visit__in=visits)
                      .values("inspector_id", "inspector__name", "inspector__department__name")
                      .annotate(n=Count("visit_id")).order_by("-n", "inspector__name")[:limit])
    return {"departments": departments[:limit], "bureaus": bureaus[:limit], "inspectors": inspectors,
            "min_for_ranking": MIN_FOR_RANKING}


# --- the business environment indicators (营商环境) ------------------------------------------------------

def indicators(period: Period, answers: list[dict] | None = None) -> list[dict]:
    """The national evaluation's indicators the zone measures from its own records, each with its definition,
    value, target and warning; red past the warning."""
    from django.utils.translation import gettext as _

    from yingshang.catalog.models import BundleItem, LifeEvent, Rating

    answers = {a["key"]: a for a in (answers or figure_answers(period))}
    out = []

    def add(key, name, value, unit, definition, target=None, warning=None, higher=True, url=""):
        fig = Figure(key, "", name, unit, definition, "", target=target, warning=warning, higher_is_better=higher)
        out.append({"key": key, "name": name, "value": value, "unit": unit, "definition": definition,
                    "target": target, "warning": warning, "light": _light(fig, value), "url": url})

    steps = (BundleItem.objects.filter(bundle__life_event=LifeEvent.START, bundle__active=True)
             .values("bundle_id").annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True).first())
    startup = answers["catalog.business_startup_workdays"]
    add("startup.steps", _("Starting a business: items"), steps, pgettext_lazy("unit", "items"),
        _("The items of the business start-up bundle, applied for with one form."), Decimal(4), Decimal(6), False,
        reverse("catalog:bundles"))
    add("startup.time", _("Starting a business: time"),
        None if startup["value"] is None else round1(Decimal(startup["value"]) * 9), pgettext_lazy("unit", "working hours"),
        _("The average working hours from application to the last licence of the start-up bundles done in the "
          "period."), Decimal(8), Decimal(12), False, startup["drill_url"])
    add("startup.cost", _("Starting a business: cost"), Decimal(0), pgettext_lazy("unit", "yuan"),
        _("What the firm pays for the start-up bundle's items: the zone charges nothing (seals, invoices and "
          "registration are free)."), Decimal(0), Decimal(0), False)
    permits = _construction_permits(period)
    add("construction.steps", _("Construction permits: approval steps"), permits["steps"], pgettext_lazy("unit", "steps"),
        _("The average number of approval steps of the projects whose approvals finished in the period."),
        Decimal(15), Decimal(20), False, reverse("projects:ledger"))
    add("construction.days", _("Construction permits: working days"), permits["days"], pgettext_lazy("unit", "working days"),
        _("The average working days from the first approval step started to the last one finished, for the "
          "projects whose approvals finished in the period."), Decimal(60), Decimal(90), False,
        reverse("projects:ledger"))
    for key, name, words, target, warning in (
            ("utilities.water_gas", _("Getting water and gas"), ("供水", "排水", "燃气", "用气"), Decimal(5),
             Decimal(7)),
            ("utilities.power", _("Getting electricity"), ("供电", "用电", "电力"), Decimal(5), Decimal(7))):
        add(key, name, _utility_days(period, words), pgettext_lazy("unit", "working days"),
            _("The average working days the connection items (%(words)s) took for the applications decided in "
              "the period.") % {"words": "、".join(words)}, target, warning, False, reverse("catalog:statistics"))
    online = answers["catalog.online_rate"]
    add("services.online", _("Government services: online"), online["value"], "%", str(online["definition"]),
        online["target"], online["warning"], True, online["drill_url"])
    ratings = Rating.objects.filter(at__date__gte=period.start, at__date__lte=period.end).exclude(
        status__in=(Rating.Status.REPLACED, Rating.Status.VOID)).aggregate(n=Count("pk"),
                                                                           good=Count("pk", filter=Q(overall__gte=3)))
    add("services.rating", _("Government services: good ratings"),
        round1(Decimal(100 * ratings["good"]) / ratings["n"]) if ratings["n"] else None, "%",
        _("Of the ratings given in the period, the share rated good."), Decimal(98), Decimal(95), True,
        reverse("catalog:ratings"))
    operating = F_.firms_in().filter(status="operating").count()
    drawn = answers["inspections.firms_drawn"]["value"] or 0
    add("market.coverage", _("Market supervision: random inspection coverage"),
        round1(Decimal(100 * drawn) / operating) if operating else None, "%",
        _("Firms drawn for random inspection in the period ÷ operating firms of the zone."), Decimal(5), Decimal(3),
        True, reverse("inspections:plans"))
    classes = answers["credit.class_distribution"]
    add("market.credit", _("Market supervision: firms in good credit"), classes["value"], "%",
        str(classes["definition"]), Decimal(90), Decimal(85), True, reverse("credit:firms"))
    return out


def _construction_permits(period: Period) -> dict:
    from yingshang.core import workdays
    from yingshang.projects.models import Step

    rows = (Step.objects.exclude(status=Step.Status.REMOVED).values("project_id")
            .annotate(n=Count("pk"), first=Min("actual_start"), last=Max("actual_finish"),
                      open=Count("pk", filter=~Q(status=Step.Status.DONE)))
            .filter(open=0, last__gte=period.start, last__lte=period.end, first__isnull=False).order_by())
    cal = workdays.get_calendar()
    steps, days = [], []
    for r in rows:
        steps.append(r["n"])
        try:
            days.append(cal.workdays_between(r["first"], r["last"], provisional=True))
        except (workdays.CalendarError, AttributeError):
            days.append((r["last"] - r["first"]).days)
    return {"steps": round1(Decimal(sum(steps)) / len(steps)) if steps else None,
            "days": round1(Decimal(sum(days)) / len(days)) if days else None}


def _utility_days(period: Period, words) -> Decimal | None:
    from yingshang.catalog.models import Application
    from yingshang.core import workdays

    q = Q()
    for w in words:
        q |= Q(version__name__contains=w)
    apps = (Application.objects.filter(q, decided_at__date__gte=period.start, decided_at__date__lte=period.end,
                                       accepted_at__isnull=False)
            .values_list("accepted_at", "decided_at", "paused_workdays"))
    cal = workdays.get_calendar()
    days = []
    for accepted, decided, paused in apps:
        a, d = timezone.localdate(accepted), timezone.localdate(decided)
        try:
            days.append(max(0, cal.workdays_between(a, d, provisional=True) - (paused or 0)))
        except (workdays.CalendarError, AttributeError):
            days.append(max(0, (d - a).days))
    return round1(Decimal(sum(days)) / len(days)) if days else None


# --- reference lists ----------------------------------------------------------------------------------

def _owners() -> dict[str, str]:
    from yingshang.directory.models import Department

    return dict(Department.objects.values_list("code", "name"))


def groups_and_bureaus() -> tuple[list, list]:
    from yingshang.directory.models import Department, EnterpriseGroup

    return (list(EnterpriseGroup.objects.values_list("pk", "name").order_by("name")),
            list(Department.objects.filter(kind=Department.Kind.BUREAU, active=True)
                 .values_list("pk", "name").order_by("sort_order", "name")))


# --- the map of the zone ----------------------------------------------------------------------------

def zone_map_data(period: Period, dims: Dims = Dims()) -> dict:
    """The major projects as pins (coloured by their light) and the problems registered in the period by area
    of the zone (by their firm's place on the map, from the roll-up); what has no place yet is counted, not
    drawn."""
    from yingshang.core import geo
    from yingshang.projects.models import Project, Stage
    from yingshang.projects.services import major_threshold

    features = geo.zone_map()["features"]
    projects = Project.objects.filter(investment__gte=major_threshold()).exclude(stage=Stage.DROPPED)
    if dims.bureau:
        projects = projects.filter(bureau_id=dims.bureau)
    if dims.group:
        projects = projects.filter(investor__group_id=dims.group)
    pins, unplaced_projects = [], 0
    for pk, name, lng, lat, light, investment in projects.values_list("pk", "name", "lng", "lat", "light",
                                                                      "investment").order_by("-investment", "pk"):
        if lng is None:
            unplaced_projects += 1
            continue
        pins.append({"name": name, "value": [float(lng), float(lat), float(round1(investment / F_.YI))],
                     "light": light, "url": reverse("projects:detail", args=[pk])})
    areas = {f["properties"]["name"]: 0 for f in features}
    unplaced_problems = 0
    for unit, n in _cells(MAP_KEY, period, dims).values_list("unit").annotate(Sum("n")).order_by():
        if unit in areas:
            areas[unit] += n
        else:
            unplaced_problems += n
    return {"areas": [{"name": k, "value": v} for k, v in areas.items()], "projects": pins,
            "unplaced_projects": unplaced_projects, "unplaced_problems": unplaced_problems}
