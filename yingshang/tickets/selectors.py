"""Reads of the problem ledger: scoping, the ledger's filters, inboxes, the board, statistics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from yingshang.core import roles, workdays
from yingshang.credit import selectors as credit_selectors
from yingshang.directory import selectors as directory_selectors
from yingshang.directory.models import Department, EnterpriseMember, Stewardship

from . import sla, workflow
from .permissions import dept_id
from .models import Category, StatCell, StatDayCell, StatSnapshot, SupervisionNotice, Ticket, TicketEvent

CoDept = Ticket.co_departments.through


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Dispatchers, leaders, the supervision office and administrators see every ticket; a department
    what it leads or co-handles; a steward the tickets of the firms they look after; a firm its own."""
    qs = Ticket.objects.all()
    names = roles.role_names(user)
    if names & {roles.DISPATCHER, roles.LEADER, roles.SUPERVISOR, roles.ADMIN}:
        return qs
    q = Q(pk__in=[])
    dept = dept_id(user)
    if names & {roles.HANDLER, roles.DEPT_HEAD} and dept:
        q |= Q(lead_department_id=dept) | Exists(CoDept.objects.filter(ticket_id=OuterRef("pk"), department_id=dept))
    # The firms as a list of ids (one small query) rather than a subquery: the planner then walks the
    # (enterprise, created_at) index instead of the whole ledger.
    firms = set()
    if roles.STEWARD in names:
        firms |= set(Stewardship.objects.filter(ended_on__isnull=True, steward=user).values_list("enterprise_id",
                                                                                              flat=True))
    if roles.ENTERPRISE in names:
        firms |= set(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))
    if firms:
        q |= Q(enterprise_id__in=sorted(firms))
    return qs.filter(q)


def ticket_detail(user, pk: int) -> Ticket:
    return (tickets_visible_to(user)
            .select_related("enterprise", "enterprise__bureau", "category", "category__parent", "lead_department",
                            "leader", "steward", "raised_by", "merged_into")
            .prefetch_related("co_departments", "attachments", "extensions")
            .get(pk=pk))


def ticket_events(user, ticket: Ticket) -> QuerySet[TicketEvent]:
    """The timeline: the firm sees the public steps; officials see everything."""
    qs = ticket.events.select_related("actor", "department").prefetch_related("attachments")
    return qs if roles.is_staff_member(user) else qs.filter(public=True)


@dataclass
class LedgerFilter:
    status: str = ""          # a status, or "open"
    department: int | None = None
    bureau: int | None = None
    category: int | None = None
    enterprise: int | None = None
    group: int | None = None
    due: str = ""             # "overdue" | "warning"
    late: str = ""            # "accept" | "respond" | "resolve": missed that deadline
    rating: str = ""
    urgency: str = ""
    channel: str = ""
    historical: bool | None = None
    in_charge: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    q: str = ""
    order: str = "-created"


ORDERS = {
    "-created": ("-created_at", "-id"), "created": ("created_at", "id"),
    "due": (F("next_due").asc(nulls_last=True), "id"), "-due": (F("next_due").desc(nulls_last=True), "-id"),
    "number": ("number",), "-number": ("-number",),
}


def ledger(user, f: LedgerFilter, *, now: datetime | None = None) -> QuerySet[Ticket]:
    return filter_tickets(tickets_visible_to(user), f, now=now)


def filter_tickets(qs: QuerySet[Ticket], f: LedgerFilter, *, now: datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    if f.status == "open":
        qs = qs.filter(status__in=workflow.OPEN)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(lead_department_id=f.department)
    if f.bureau:
        qs = qs.filter(enterprise__bureau_id=f.bureau)
    if f.category:
        qs = qs.filter(Q(category_id=f.category) | Q(category__parent_id=f.category))
    if f.enterprise:
        qs = qs.filter(enterprise_id=f.enterprise)
    if f.group:
        qs = qs.filter(enterprise__group_id=f.group)
    if f.due == "overdue":
        qs = qs.filter(status__in=[workflow.DISPATCHED, workflow.IN_PROGRESS], next_due__lt=now)
    elif f.due == "warning":
        horizon = sla.warn_horizon(workdays.get_calendar(), now)
        qs = qs.filter(status__in=[workflow.DISPATCHED, workflow.IN_PROGRESS], next_due__gte=now,
                       next_due__lte=horizon)
    if f.late == "accept":
        qs = qs.filter(accepted_at__gt=F("accept_due"))
    elif f.late == "respond":
        qs = qs.filter(first_response_at__gt=F("respond_due"))
    elif f.late == "resolve":
        qs = qs.filter(resolved_at__gt=F("resolve_due"))
    if f.rating:
        qs = qs.filter(rating=f.rating)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.historical is not None:
        qs = qs.filter(is_historical=f.historical)
    if f.in_charge is not None:
        qs = qs.filter(leader_in_charge=f.in_charge)
    if f.created_from:
        qs = qs.filter(created_at__gte=_day_start(f.created_from))
    if f.created_to:
        qs = qs.filter(created_at__lt=_day_start(f.created_to + timedelta(days=1)))
    if f.q:
        text = f.q.strip()
        qs = qs.filter(Q(number__iexact=text) | Q(title__icontains=text) | Q(enterprise__name__icontains=text))
    return qs.order_by(*ORDERS.get(f.order, ORDERS["-created"]))


def ledger_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("enterprise", "category", "category__parent", "lead_department")


def _day_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def lights(tickets, *, now: datetime | None = None) -> None:
    """Set ``ticket.light`` (green / yellow / red / "") on each ticket of a page."""
    now = now or timezone.now()
    cal = workdays.get_calendar()
    for t in tickets:
        watched = t.status in (workflow.DISPATCHED, workflow.IN_PROGRESS, workflow.RESOLVED)
        t.light = sla.light(cal, t.next_due, now) if watched else ""


def green_channel(tickets) -> None:
    """Set ``ticket.green_channel`` on each ticket of a page: its firm is on the credit red list
    (绿色通道, a joint reward measure). One query for the page."""
    tickets = list(tickets)
    green = credit_selectors.green_channel_ids({t.enterprise_id for t in tickets})
    for t in tickets:
        t.green_channel = t.enterprise_id in green


def inbox_counts(user, *, now: datetime | None = None) -> dict:
    """A department's inbox: 待签收 / 办理中 / 即将超期 / 已超期."""
    dept = dept_id(user)
    now = now or timezone.now()
    horizon = sla.warn_horizon(workdays.get_calendar(), now)
    active = [workflow.DISPATCHED, workflow.IN_PROGRESS]
    return Ticket.objects.filter(lead_department_id=dept, status__in=active + [workflow.SUSPENDED]).aggregate(
        to_accept=Count("id", filter=Q(status=workflow.DISPATCHED)),
        in_progress=Count("id", filter=Q(status__in=[workflow.IN_PROGRESS, workflow.SUSPENDED])),
        warning=Count("id", filter=Q(status__in=active, next_due__gte=now, next_due__lte=horizon)),
        overdue=Count("id", filter=Q(status__in=active, next_due__lt=now)),
    )


def board(*, now: datetime | None = None) -> dict:
    """The leaders' supervision board: overdue by department, escalated tickets, tickets in their charge."""
    now = now or timezone.now()
    active = [workflow.DISPATCHED, workflow.IN_PROGRESS]
    overdue = Ticket.objects.filter(status__in=active, next_due__lt=now)
    by_dept = list(overdue.values("lead_department_id", "lead_department__name")
                   .annotate(n=Count("id")).order_by("-n")[:15])
    escalated = list(ledger_rows(overdue.filter(supervision_level__gte=2)).order_by("next_due")[:20])
    historical = Ticket.objects.filter(is_historical=True).aggregate(
        open=Count("id", filter=Q(status__in=workflow.OPEN)), closed=Count("id", filter=Q(status=workflow.CLOSED)))
    in_charge = list(ledger_rows(Ticket.objects.filter(leader_in_charge=True, status__in=workflow.OPEN))
                     .select_related("leader").order_by("next_due")[:20])
    return {"overdue_total": overdue.count(), "by_department": by_dept, "escalated": escalated,
            "historical": historical, "in_charge": in_charge,
            "notices": SupervisionNotice.objects.filter(kind=SupervisionNotice.Kind.MANUAL)
            .select_related("ticket", "issued_by", "department")[:10]}


def raisable_enterprises(user):
    """The firms the user may raise problems for: all (dispatchers, leaders), the ones they look
    after (stewards), their own (firm staff)."""
    if roles.has_role(user, roles.DISPATCHER, roles.LEADER, roles.ADMIN):
        return directory_selectors.enterprises_visible_to(user).filter(status="operating")
    ids = set(directory_selectors.enterprise_ids_of_member(user))
    if roles.has_role(user, roles.STEWARD):
        ids |= set(directory_selectors.stewarded_enterprises(user).values_list("pk", flat=True))
    return directory_selectors.enterprises_visible_to(user).filter(pk__in=ids).order_by("name")


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
        "closed": Count("id", filter=Q(status=workflow.CLOSED)),
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
    from django.core.cache import cache

    scope = _stats_scope(user)
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
            found = _finish(*_live_parts(_live_cells(ledger(user, f).order_by())), None)
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


def rollup_source() -> QuerySet[Ticket]:
    """The roll-up's day cells, straight from the ledger: one per day × department × category × bureau."""
    return (Ticket.objects.annotate(
        s_day=TruncDate("created_at"), s_lead=F("lead_department_id"),
        s_top=Coalesce("category__parent_id", "category_id"), s_bureau=F("enterprise__bureau_id"))
        .values("s_day", "s_lead", "s_top", "s_bureau")
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


# --- per enterprise and group (一企一档) ----------------------------------------------------

def enterprise_summary(user, enterprise_id: int, *, year: int | None = None) -> dict:
    qs = tickets_visible_to(user).filter(enterprise_id=enterprise_id)
    year = year or timezone.localdate().year
    this_year = qs.filter(created_at__gte=_day_start(date(year, 1, 1)))
    agg = this_year.aggregate(total=Count("id"), closed=Count("id", filter=Q(status=workflow.CLOSED)),
                              open=Count("id", filter=Q(status__in=workflow.OPEN)))
    agg["year"] = year
    agg["recent"] = list(ledger_rows(qs).order_by("-created_at")[:8])
    agg["open_all"] = qs.filter(status__in=workflow.OPEN).count()
    return agg


def group_summary(user, group_id: int, *, year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    qs = tickets_visible_to(user).filter(enterprise__group_id=group_id, created_at__gte=_day_start(date(year, 1, 1)))
    return {"year": year, **qs.aggregate(total=Count("id"), closed=Count("id", filter=Q(status=workflow.CLOSED)))}


# --- export -----------------------------------------------------------------------------------

EXPORT_HEADER = ["编号", "企业名称", "统一社会信用代码", "诉求类别", "标题", "紧急程度", "来源渠道", "历史遗留", "主办部门",
                 "状态", "挂号时间", "签收时间", "首次回复", "办结时间", "销号时间", "当前期限", "退回次数", "重办次数",
                 "延期次数", "评价", "提出人", "提出人电话"]


def export_rows(qs: QuerySet[Ticket]):
    """The ledger as filtered, one tuple per ticket, from one streaming query (personal data masked)."""
    from yingshang.core.formatting import mask_phone

    statuses = {k: str(v) for k, v in Ticket.Status.choices}
    urgencies = {k: str(v) for k, v in Ticket._meta.get_field("urgency").choices}
    channels = {k: str(v) for k, v in Ticket.Channel.choices}
    ratings = {k: str(v) for k, v in Ticket.Rating.choices}
    cats = {pk: (f"{parent} / {name}" if parent else name)
            for pk, name, parent in Category.objects.values_list("pk", "name", "parent__name")}
    tz = timezone.get_current_timezone()

    def fmt(dt):
        if not dt:
            return ""
        d = dt.astimezone(tz)
        return f"{d.year}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"

    # Firm users' phones in one read (a correlated subquery per row costs seconds at 100,000 rows).
    phones = {(u, e): p for u, e, p in EnterpriseMember.objects.values_list("user_id", "enterprise_id", "phone")}
    rows = qs.order_by().values_list(
        "number", "enterprise__name", "enterprise__uscc", "category_id", "title", "urgency", "channel",
        "is_historical", "lead_department__name", "status", "created_at", "accepted_at", "first_response_at",
        "resolved_at", "closed_at", "next_due", "return_count", "redo_count", "extension_count", "rating",
        "raised_by__last_name", "raised_by__first_name", "raised_by_id", "enterprise_id")
    for (number, firm, uscc, cat, title, urgency, channel, historical, dept, status, created, accepted, responded,
         resolved, closed, due, returns, redos, extensions, rating, last, first, raiser, firm_id) in rows.iterator(5000):
        phone_no = phones.get((raiser, firm_id), "")
        yield (number, firm, uscc, cats.get(cat, ""), title, urgencies.get(urgency, ""), channels.get(channel, ""),
               "是" if historical else "否", dept or "", statuses.get(status, ""), fmt(created), fmt(accepted),
               fmt(responded), fmt(resolved), fmt(closed), fmt(due), returns, redos, extensions,
               ratings.get(rating, ""), f"{last}{first}", mask_phone(phone_no or ""))


def open_for_firm(user, limit: int = 5) -> list[Ticket]:
    """The firm's problems still being handled or waiting for its confirmation (its home page)."""
    return list(ledger_rows(tickets_visible_to(user).filter(status__in=workflow.OPEN | {workflow.RESOLVED}))
                .order_by("-created_at")[:limit])
