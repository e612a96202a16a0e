"""The statistics of the ledger: rates and counts for any period, from the roll-up where it serves and
from the ledger otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from yingshang.core import roles
from yingshang.directory.models import Department

from ..models import Category, StatCell, StatDayCell, StatSnapshot, Ticket
from .ledger import LedgerFilter, filter_tickets, ledger

# --- statistics ----------------------------------------------------------------------------

MIN_TICKETS_FOR_RANKING = 5

COUNTERS = ("total", "accepted", "accepted_on_time", "responded", "responded_on_time", "resolved", "resolved_on_time",
            "closed", "rated", "satisfied", "redone", "returned", "workdays_sum", "workdays_n")


def _rate_counts() -> dict:
    """The counts behind every on-time and satisfaction rate."""
    return {
        "total": Count("id"),
        "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
        "accepted_on_time": Count("id", filter=Q(accepted_at__lte=F("accept_due"))),
        "responded": Count("id", filter=Q(first_response_at__isnull=False, respond_due__isnull=False)),
        "responded_on_time": Count("id", filter=Q(first_response_at__lte=F("respond_due"))),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False, resolve_due__isnull=False)),
        "resolved_on_time": Count("id", filter=Q(resolved_at__lte=F("resolve_due"))),
        "closed": Count("id", filter=Q(status=Ticket.Status.CLOSED)),
        "rated": Count("id", filter=~Q(rating="")),
        "satisfied": Count("id", filter=Q(rating__in=["satisfied", "basic"])),
        "redone": Count("id", filter=Q(redo_count__gt=0)),
        "returned": Count("id", filter=Q(return_count__gt=0)),
        "workdays_sum": Sum("resolve_workdays"),
        "workdays_n": Count("resolve_workdays"),
    }


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _with_rates(agg: dict) -> dict:
    agg.update({
        "accept_rate": _pct(agg["accepted_on_time"], agg["accepted"]),
        "respond_rate": _pct(agg["responded_on_time"], agg["responded"]),
        "resolve_rate": _pct(agg["resolved_on_time"], agg["resolved"]),
        "close_rate": _pct(agg["closed"], agg["total"]),
        "satisfaction_rate": _pct(agg["satisfied"], agg["rated"]),
        "redo_rate": _pct(agg["redone"], agg["total"]),
        "return_rate": _pct(agg["returned"], agg["total"]),
        "avg_workdays": agg["workdays_sum"] / agg["workdays_n"] if agg["workdays_n"] else None,
    })
    return agg


def _add(into: dict, row: dict) -> None:
    for key in COUNTERS:
        into[key] = into.get(key, 0) + (row[key] or 0)


def statistics(user, f: LedgerFilter) -> dict:
    """The figures of the statistics page. For the whole zone they are summed from the roll-up the sweep
    rebuilds (``services.statistics_refresh``): month cells for the whole months of the period, day cells for
    the days before and after them. Other scopes and filters are counted from the ledger in one grouped pass.
    Either way the result is cached for a while per scope and filter."""
    return _statistics(_stats_scope(user), f, lambda: ledger(user, f))


def zone_statistics(f: LedgerFilter) -> dict:
    """The same figures for the whole zone whoever asks: aggregates only, for the public service figures
    (一公开); never a firm's problem."""
    return _statistics("all", f, lambda: filter_tickets(Ticket.objects.all(), f))


def _statistics(scope: str, f: LedgerFilter, tickets) -> dict:
    from django.core.cache import cache

    snapshot = StatSnapshot.objects.order_by("-taken_at").first() if scope == "all" and _rollup_serves(f) else None
    key = _stats_key(scope, f, snapshot.taken_at.isoformat() if snapshot else "live")
    found = cache.get(key)
    if found is None:
        if snapshot is not None:
            months, ends = month_split(f)
            parts = [_rollup_parts(_rollup_cells_qs(StatCell.objects.all(), months, period="month"))] if months else []
            if ends:
                parts.append(_rollup_parts(_day_cells(ends), month=TruncMonth("day")))
            found = _finish(*_merge_parts(parts), snapshot.taken_at)
        else:
            found = _finish(*_live_parts(_live_cells(tickets().order_by())), None)
        cache.set(key, found, timeout=STATS_SECONDS)
    return found


def month_split(f: LedgerFilter) -> tuple[LedgerFilter | None, list[LedgerFilter]]:
    """``f`` cut into its whole months (None if it has none) and the runs of days before and after them."""
    start, end = f.created_from, f.created_to
    if start and start.day != 1:
        start = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    if end and (end + timedelta(days=1)).day != 1:
        end = end.replace(day=1) - timedelta(days=1)
    if start and end and start > end:
        return None, [f]
    ends = []
    if f.created_from and f.created_from != start:
        ends.append(replace(f, created_to=start - timedelta(days=1)))
    if f.created_to and f.created_to != end:
        ends.append(replace(f, created_from=end + timedelta(days=1)))
    return replace(f, created_from=start, created_to=end), ends


STATS_SECONDS = 20 * 60
ROLLUP_FILTERS = {"created_from", "created_to", "bureau", "category", "department", "order"}
STATUS_COLUMNS = {code: f"n_{code}" for code in Ticket.Status.values}


def default_statistics_filter() -> LedgerFilter:
    return LedgerFilter(created_from=timezone.localdate().replace(month=1, day=1))


def _rollup_serves(f: LedgerFilter) -> bool:
    """Filters the roll-up's cells can answer exactly: period, bureau, department, a top-level category."""
    blank = LedgerFilter()
    if any(getattr(f, k) != getattr(blank, k) for k in f.__dict__ if k not in ROLLUP_FILTERS):
        return False
    return not f.category or Category.objects.filter(pk=f.category, parent__isnull=True).exists()


def _stats_key(scope: str, f: LedgerFilter, source: str) -> str:
    import hashlib

    spec = repr(sorted((k, str(v)) for k, v in f.__dict__.items() if k != "order")) + source
    return f"tickets:stats:{scope}:{hashlib.sha256(spec.encode()).hexdigest()[:32]}"


def _stats_scope(user) -> str:
    names = roles.role_names(user)
    return "all" if names & {roles.DISPATCHER, roles.LEADER, roles.SUPERVISOR, roles.ADMIN} else f"user{user.pk}"


CELL_KEYS = ("lead_department_id", "top", "bureau", "month")


def _live_cells(qs: QuerySet[Ticket]):
    rows = qs.annotate(top=Coalesce("category__parent_id", "category_id"),
                       month=TruncMonth("created_at", output_field=DateField()),
                       bureau=F("enterprise__bureau_id")).values(*CELL_KEYS, "status").annotate(**_rate_counts())
    for row in rows:
        row["by_status"] = {row["status"]: row["total"]}
        yield row


def rollup_source(*, by_ticket: bool = False) -> QuerySet[Ticket]:
    """The roll-up's day cells, straight from the ledger: one per day × department × category × bureau; or,
    ``by_ticket``, each problem's own counts with the cell they belong to (``s_id`` first)."""
    qs = Ticket.objects.annotate(
        s_day=TruncDate("created_at"), s_lead=F("lead_department_id"),
        s_top=Coalesce("category__parent_id", "category_id"), s_bureau=F("enterprise__bureau_id"))
    keys = ["s_day", "s_lead", "s_top", "s_bureau"]
    if by_ticket:
        qs, keys = qs.annotate(s_id=F("id")), ["s_id", *keys]
    return (qs.values(*keys)
            .annotate(**_rate_counts(), **{col: Count("id", filter=Q(status=code)) for code, col in STATUS_COLUMNS.items()})
            .order_by())


def _rollup_cells_qs(qs: QuerySet, f: LedgerFilter, *, period: str) -> QuerySet:
    """``qs`` (month or day cells) narrowed to ``f``'s period, bureau, top-level category and department."""
    if f.created_from:
        qs = qs.filter(**{f"{period}__gte": f.created_from})
    if f.created_to:
        qs = qs.filter(**{f"{period}__lte": f.created_to})
    if f.bureau:
        qs = qs.filter(bureau_id=f.bureau)
    if f.category:
        qs = qs.filter(top_id=f.category)
    if f.department:
        qs = qs.filter(lead_department_id=f.department)
    return qs


def _day_cells(ends: list[LedgerFilter]) -> QuerySet[StatDayCell]:
    """The day cells of the runs of days ``ends`` (their other filters are the same)."""
    days = Q()
    for end in ends:
        days |= Q(**{k: v for k, v in (("day__gte", end.created_from), ("day__lte", end.created_to)) if v})
    rest = replace(ends[0], created_from=None, created_to=None)
    return _rollup_cells_qs(StatDayCell.objects.filter(days), rest, period="day")


def _live_parts(cells) -> tuple:
    """The page's breakdowns from grouped rows of the ledger (one pass, summed here)."""
    overall: dict = {}
    by_status: dict = {}
    by_category: dict = {}
    by_month: dict = {}
    by_bureau: dict = {}
    by_dept: dict = {}
    for cell in cells:
        _add(overall, cell)
        for code, n in cell["by_status"].items():
            by_status[code] = by_status.get(code, 0) + n
        by_category[cell["top"]] = by_category.get(cell["top"], 0) + cell["total"]
        month = by_month.setdefault(cell["month"], {"m": cell["month"], "n": 0, "closed": 0})
        month["n"] += cell["total"]
        month["closed"] += cell["closed"]
        if cell["bureau"]:
            bureau = by_bureau.setdefault(cell["bureau"], {"n": 0, "closed": 0})
            bureau["n"] += cell["total"]
            bureau["closed"] += cell["closed"]
        if cell["lead_department_id"]:
            _add(by_dept.setdefault(cell["lead_department_id"], {}), cell)
    return overall, by_status, by_category, by_month, by_bureau, by_dept


def _rollup_parts(qs: QuerySet, month=F("month")) -> tuple:
    """The page's breakdowns from cells of the roll-up (``month`` gives a cell's month): each summed by the
    database (a handful of rows each)."""
    totals = qs.aggregate(**{k: Sum(k) for k in [*COUNTERS, *STATUS_COLUMNS.values()]})
    overall = {k: totals[k] or 0 for k in COUNTERS} if totals["total"] else {}
    by_status = {code: totals[col] for code, col in STATUS_COLUMNS.items() if totals[col]}
    by_category = dict(qs.values_list("top_id").annotate(n=Sum("total")).order_by())
    by_month = {m: {"m": m, "n": n, "closed": c} for m, n, c in
                qs.annotate(m=month).values_list("m").annotate(n=Sum("total"), c=Sum("closed")).order_by()}
    by_bureau = {b: {"n": n, "closed": c} for b, n, c in
                 qs.exclude(bureau_id=None).values_list("bureau_id").annotate(n=Sum("total"), c=Sum("closed"))
                 .order_by()}
    by_dept = {row["lead_department_id"]: {k: row[f"s_{k}"] or 0 for k in COUNTERS} for row in
               qs.exclude(lead_department_id=None).values("lead_department_id")
               .annotate(**{f"s_{k}": Sum(k) for k in COUNTERS}).order_by()}
    return overall, by_status, by_category, by_month, by_bureau, by_dept


def _merge_parts(parts: list[tuple]) -> tuple:
    """Breakdowns of disjoint periods added together."""
    overall, by_status, by_category, by_month, by_bureau, by_dept = ({} for _ in range(6))
    for p_overall, p_status, p_category, p_month, p_bureau, p_dept in parts:
        if p_overall:
            _add(overall, p_overall)
        for into, part in ((by_status, p_status), (by_category, p_category)):
            for k, n in part.items():
                into[k] = into.get(k, 0) + n
        for into, part in ((by_month, p_month), (by_bureau, p_bureau)):
            for k, row in part.items():
                have = into.setdefault(k, {**row, "n": 0, "closed": 0})
                have["n"] += row["n"]
                have["closed"] += row["closed"]
        for k, counters in p_dept.items():
            _add(by_dept.setdefault(k, {}), counters)
    return overall, by_status, by_category, by_month, by_bureau, by_dept


def _finish(overall, by_status, by_category, by_month, by_bureau, by_dept, computed_at) -> dict:
    if not overall:
        overall = dict.fromkeys(COUNTERS, 0)
    names = dict(Department.objects.values_list("pk", "name"))
    top_names = dict(Category.objects.filter(parent__isnull=True).values_list("pk", "name"))
    departments = sorted(
        (_with_rates({**c, "lead_department_id": pk, "lead_department__name": names.get(pk, ""), "n": c["total"],
                      "ranked": c["total"] >= MIN_TICKETS_FOR_RANKING}) for pk, c in by_dept.items()),
        key=lambda d: -d["n"])
    ranking = sorted((d for d in departments if d["ranked"]),
                     key=lambda d: (-(d["resolve_rate"] or 0), -(d["satisfaction_rate"] or 0), d["n"]))
    return {
        "overall": _with_rates(overall), "by_status": by_status,
        "by_category": sorted(({"top": k, "name": top_names.get(k, ""), "n": n} for k, n in by_category.items()),
                              key=lambda r: -r["n"]),
        "by_month": [by_month[m] for m in sorted(by_month)],
        "by_bureau": sorted(({"enterprise__bureau_id": k, "enterprise__bureau__name": names.get(k, ""), **v}
                             for k, v in by_bureau.items()), key=lambda r: -r["n"]),
        "departments": departments, "ranking": ranking, "min_for_ranking": MIN_TICKETS_FOR_RANKING,
        "computed_at": computed_at or timezone.now(),
    }


