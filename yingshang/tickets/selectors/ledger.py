"""Reads of the problem ledger: scoping, the ledger's filters, inboxes, the board, a firm's summary, exports."""

from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from yingshang.core import roles, workdays
from yingshang.core import activity
from yingshang.credit import selectors as credit_selectors
from yingshang.directory import selectors as directory_selectors
from yingshang.directory.models import Department, EnterpriseMember, Stewardship

from .. import similarity, sla
from ..models import OPEN, Category, Extension, SupervisionNotice, Ticket, TicketEvent
from yingshang.directory.permissions import department_id_of, seconded_department_ids

from ..permissions import raisable_firm_ids

CoDept = Ticket.co_departments.through


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Dispatchers, leaders, the supervision office and administrators see every ticket; a department
    what it leads or co-handles; a steward the tickets of the firms they look after; a firm its own."""
    qs = Ticket.objects.all()
    names = roles.role_names(user)
    if names & {roles.DISPATCHER, roles.LEADER, roles.SUPERVISOR, roles.ADMIN}:
        return qs
    q = Q(pk__in=[])
    own = department_id_of(user) if names & {roles.HANDLER, roles.DEPT_HEAD} else None
    depts = sorted(seconded_department_ids(user) | ({own} if own else frozenset()))  # and the task forces
    if depts:
        q |= Q(lead_department_id__in=depts) | Exists(CoDept.objects.filter(ticket_id=OuterRef("pk"),
                                                                           department_id__in=depts))
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
    """The timeline: the firm sees the events meant for it, never the notes officials wrote for each other
    (not even read from the database); officials see everything."""
    qs = ticket.events.select_related("actor", "department").prefetch_related("attachments")
    if roles.is_staff_member(user):
        return qs
    return qs.filter(public=True).defer("internal_note")


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
    urged: bool | None = None  # the firm has pressed the department (催办)
    waiting: str = ""         # "extension": an extension request waits; "callback": a call-back is due
    created_from: date | None = None
    created_to: date | None = None
    q: str = ""
    order: str = "-created"


ORDERS = {
    "-created": ("-created_at", "-id"), "created": ("created_at", "id"),
    "due": (F("next_due").asc(nulls_last=True), "id"), "-due": (F("next_due").desc(nulls_last=True), "-id"),
    "number": ("number",), "-number": ("-number",),
    "firm": ("enterprise__name", "-created_at"), "-firm": ("-enterprise__name", "-created_at"),
    "department": ("lead_department__name", "-created_at"), "-department": ("-lead_department__name", "-created_at"),
    "status": ("status", "-created_at"), "-status": ("-status", "-created_at"),
}


def ledger(user, f: LedgerFilter, *, now: datetime | None = None, many: bool = False) -> QuerySet[Ticket]:
    """The problems ``user`` may see under ``f``. ``many``: the keyword is known to find very many (the page
    then walks the newest problems reading their titles instead of gathering every match to sort them)."""
    return filter_tickets(tickets_visible_to(user), f, now=now, many=many)


# A problem's number: QS-, the year, the sequence of the year (six digits, more in a city of over a million a year).
NUMBER = re.compile(r"QS-\d{4}-\d{6,9}", re.IGNORECASE)


def filter_tickets(qs: QuerySet[Ticket], f: LedgerFilter, *, now: datetime | None = None,
                   many: bool = False) -> QuerySet[Ticket]:
    now = now or timezone.now()
    if f.status == "open":
        qs = qs.filter(status__in=OPEN)
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
        qs = qs.filter(status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__lt=now)
    elif f.due == "warning":
        horizon = sla.warn_horizon(workdays.get_calendar(), now)
        qs = qs.filter(status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__gte=now,
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
    if f.urged:
        qs = qs.filter(urge_count__gt=0)
    if f.waiting == "extension":
        qs = qs.filter(Exists(Extension.objects.filter(ticket_id=OuterRef("pk"), status=Extension.Status.PENDING)))
    elif f.waiting == "callback":
        qs = qs.filter(status=Ticket.Status.RESOLVED, callback_due=True)
    if f.created_from:
        qs = qs.filter(created_at__gte=_day_start(f.created_from))
    if f.created_to:
        qs = qs.filter(created_at__lt=_day_start(f.created_to + timedelta(days=1)))
    if f.q:
        text = f.q.strip()
        if NUMBER.fullmatch(text):  # a problem's number: the one row, by its unique index
            qs = qs.filter(number=text.upper())
        else:
            qs = qs.filter(keyword(text, many=many))
    return qs.order_by(*ORDERS.get(f.order, ORDERS["-created"]))


def keyword(text: str, *, many: bool = False) -> Q:
    """Problems whose title holds ``text``, or whose firm's name does (case aside). On PostgreSQL the titles are
    found through their pairs of characters (the GIN index ``ticket_title_grams``: a title that holds the text
    holds each of its pairs; for two characters, that is the whole test), and the firms are looked up first, so
    each side is an index scan. ``many`` (the text is known to be in very many titles): the same test by reading
    the title alone, so that the newest problems are walked until a page is found."""
    from django.db import connection

    from yingshang.directory.models import Enterprise

    if connection.vendor != "postgresql" or len(text) < 2:
        return Q(title__icontains=text) | Q(enterprise__name__icontains=text)
    firms = list(Enterprise.objects.filter(name__icontains=text).values_list("pk", flat=True)[:FIRM_IDS + 1])
    titles = Q(RawSQL("ys_grams(tickets_ticket.title) @> ys_grams(%s)", [text], output_field=BooleanField()))
    if many:
        titles = Q(RawSQL("strpos(lower(tickets_ticket.title), lower(%s)) > 0", [text], output_field=BooleanField()))
    elif len(text) > 2 or any(ch.isspace() for ch in text):
        # Holding every pair is not yet holding the text (供电…电线 holds 供电 and 电线, not 供电线): read the title.
        # (strpos, not LIKE: the planner takes LIKE '%…%' for rare and then reads every match to sort them.)
        titles &= Q(RawSQL("strpos(lower(tickets_ticket.title), lower(%s)) > 0", [text], output_field=BooleanField()))
    if len(firms) > FIRM_IDS:  # a word most firms' names hold (有限公司): the join, slower but whole
        return titles | Q(enterprise__name__icontains=text)
    return titles | Q(enterprise_id__in=firms) if firms else titles


FIRM_IDS = 2000  # a keyword naming at most this many firms is searched by their ids


def ledger_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("enterprise", "category", "category__parent", "lead_department")


def _day_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def proposed_department(t: Ticket):
    """The department a dispatcher most likely sends ``t`` to: its category's routing, else the one most of the
    category's earlier problems went to."""
    cat = t.category
    routed = cat.default_department_id or (cat.parent.default_department_id if cat.parent_id else None)
    if routed:
        return routed
    row = (Ticket.objects.filter(category_id=cat.pk, lead_department__isnull=False).exclude(pk=t.pk)
           .values("lead_department_id").annotate(n=Count("id")).order_by("-n").first())
    return row["lead_department_id"] if row else None


workdays_left = workdays.workdays_left


def lights(tickets, *, now: datetime | None = None) -> None:
    """Set on each ticket of a page ``light`` (green / yellow / red / ""), ``days_left`` (working days to the
    deadline in force, negative when overdue) and ``final_days_left`` (to the resolve deadline, what a firm
    reads)."""
    now = now or timezone.now()
    cal = workdays.get_calendar()
    for t in tickets:
        watched = t.status in (Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS, Ticket.Status.RESOLVED)
        t.light = sla.light(cal, t.next_due, now) if watched else ""
        t.days_left = workdays_left(cal, t.next_due, now) if watched else None
        t.final_days_left = workdays_left(cal, t.resolve_due, now) if t.status in OPEN and t.resolve_due else None


def green_channel(tickets) -> None:
    """Set ``ticket.green_channel`` on each ticket of a page: its firm is on the credit red list
    (绿色通道, a joint reward measure). One query for the page."""
    tickets = list(tickets)
    green = credit_selectors.green_channel_ids({t.enterprise_id for t in tickets})
    for t in tickets:
        t.green_channel = t.enterprise_id in green


def inbox_counts(user, *, now: datetime | None = None) -> dict:
    """A department's inbox: 待签收 / 办理中 / 即将超期 / 已超期 (a task force's problems are on its own board)."""
    dept = department_id_of(user)
    now = now or timezone.now()
    horizon = sla.warn_horizon(workdays.get_calendar(), now)
    active = [Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS]
    end_of_day = _day_start(timezone.localdate(now) + timedelta(days=1))
    return Ticket.objects.filter(lead_department_id=dept, status__in=active + [Ticket.Status.SUSPENDED]).aggregate(
        to_accept=Count("id", filter=Q(status=Ticket.Status.DISPATCHED)),
        due_today=Count("id", filter=Q(status__in=active, next_due__lt=end_of_day)),
        in_progress=Count("id", filter=Q(status__in=[Ticket.Status.IN_PROGRESS, Ticket.Status.SUSPENDED])),
        warning=Count("id", filter=Q(status__in=active, next_due__gte=now, next_due__lte=horizon)),
        overdue=Count("id", filter=Q(status__in=active, next_due__lt=now)),
    )


def todo(user, *, now: datetime | None = None, rows: int = 5) -> list[dict]:
    """What waits for ``user`` in the ledger, by what they must do: each with a count, a link to the list and
    the first few problems (most urgent first). A department's staff: to accept, due today or overdue; its head
    also the extension requests; a dispatcher: to dispatch, extensions; a leader: escalated to them, in their
    charge; a steward: call-backs due."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    names = roles.role_names(user)
    dept = department_id_of(user)
    end_of_day = _day_start(timezone.localdate(now) + timedelta(days=1))
    ledger_url, inbox_url = reverse("tickets:ledger"), reverse("tickets:inbox")
    lists = []
    if names & {roles.HANDLER, roles.DEPT_HEAD} and dept:
        mine = Ticket.objects.filter(lead_department_id=dept)
        lists.append(("to_accept", _("To accept"), mine.filter(status=Ticket.Status.DISPATCHED),
                      f"{inbox_url}?tab=to_accept"))
        lists.append(("due_today", _("Due today or overdue"), mine.filter(
            status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__lt=end_of_day),
            f"{inbox_url}?tab=due_today"))
        if roles.DEPT_HEAD in names:
            lists.append(("extensions", _("Extension requests to decide"), filter_tickets(
                mine, LedgerFilter(waiting="extension", order="due"), now=now), f"{inbox_url}?tab=extensions"))
    if roles.DISPATCHER in names:
        lists.append(("to_dispatch", _("To dispatch"), Ticket.objects.filter(status=Ticket.Status.REGISTERED),
                      f"{ledger_url}?status=registered&order=created"))
        lists.append(("dispatcher_extensions", _("Extension requests to decide"), filter_tickets(
            Ticket.objects.all(), LedgerFilter(waiting="extension"), now=now), f"{ledger_url}?waiting=extension"))
    if roles.LEADER in names:
        lists.append(("escalated", _("Escalated to you"), Ticket.objects.filter(
            leader=user, supervision_level__gte=2, status__in=OPEN), reverse("tickets:board")))
        lists.append(("in_charge", _("In your personal charge"), Ticket.objects.filter(
            leader=user, leader_in_charge=True, status__in=OPEN), f"{ledger_url}?in_charge=on&status=open"))
    if roles.STEWARD in names:
        lists.append(("callbacks", _("Call-backs due"), filter_tickets(
            tickets_visible_to(user), LedgerFilter(waiting="callback"), now=now), f"{ledger_url}?waiting=callback"))
    out = []
    for key, label, qs, url in lists:
        qs = qs.order_by(F("next_due").asc(nulls_last=True), "id")
        first = list(ledger_rows(qs)[:rows])
        lights(first, now=now)
        out.append({"key": key, "label": label, "count": qs.count() if len(first) == rows else len(first),
                    "url": url, "rows": first})
    return out


def board(*, now: datetime | None = None) -> dict:
    """The leaders' supervision board: overdue by department, escalated tickets, tickets in their charge."""
    now = now or timezone.now()
    active = [Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS]
    overdue = Ticket.objects.filter(status__in=active, next_due__lt=now)
    # COUNT(*) and no join: PostgreSQL answers from the index (status, next_due, lead_department, urge_count)
    groups = list(overdue.values("lead_department_id").annotate(n=Count("*"), urges=Sum("urge_count")).order_by("-n"))
    overdue_total, by_dept = sum(r["n"] for r in groups), groups[:15]
    names = dict(Department.objects.filter(pk__in=[r["lead_department_id"] for r in by_dept])
                 .values_list("pk", "name"))
    for r in by_dept:
        r["lead_department__name"] = names.get(r["lead_department_id"], "")
    escalated = list(ledger_rows(overdue.filter(supervision_level__gte=2)).order_by("next_due")[:20])
    historical = Ticket.objects.filter(is_historical=True).aggregate(
        open=Count("id", filter=Q(status__in=OPEN)), closed=Count("id", filter=Q(status=Ticket.Status.CLOSED)))
    in_charge = list(ledger_rows(Ticket.objects.filter(leader_in_charge=True, status__in=OPEN))
                     .select_related("leader").order_by("next_due")[:20])
    urged_open = Ticket.objects.filter(status__in=OPEN, urge_count__gt=0)
    urged = list(ledger_rows(urged_open).order_by("-urge_count", "next_due")[:10])
    return {"overdue_total": overdue_total, "by_department": by_dept, "escalated": escalated,
            "urged": urged, "urged_total": urged_open.aggregate(n=Count("id"), urges=Sum("urge_count")),
            "historical": historical, "in_charge": in_charge,
            "notices": SupervisionNotice.objects.filter(kind=SupervisionNotice.Kind.MANUAL)
            .select_related("ticket", "issued_by", "department")[:10]}


def raisable_enterprises(user):
    """The operating firms the user may raise problems for (``permissions.raisable_firm_ids``)."""
    ids = raisable_firm_ids(user)
    qs = directory_selectors.enterprises_visible_to(user).filter(status="operating")
    return (qs if ids is None else qs.filter(pk__in=sorted(ids))).order_by("name")


# --- per enterprise and group (一企一档) ----------------------------------------------------

def enterprise_summary(user, enterprise_id: int, *, year: int | None = None) -> dict:
    qs = tickets_visible_to(user).filter(enterprise_id=enterprise_id)
    year = year or timezone.localdate().year
    this_year = qs.filter(created_at__gte=_day_start(date(year, 1, 1)))
    agg = this_year.aggregate(total=Count("id"), closed=Count("id", filter=Q(status=Ticket.Status.CLOSED)),
                              open=Count("id", filter=Q(status__in=OPEN)))
    agg["year"] = year
    agg["recent"] = list(ledger_rows(qs).order_by("-created_at")[:8])
    agg["open_all"] = qs.filter(status__in=OPEN).count()
    return agg


def group_summary(user, group_id: int, *, year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    qs = tickets_visible_to(user).filter(enterprise__group_id=group_id, created_at__gte=_day_start(date(year, 1, 1)))
    return {"year": year, **qs.aggregate(total=Count("id"), closed=Count("id", filter=Q(status=Ticket.Status.CLOSED)))}


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
    return list(ledger_rows(tickets_visible_to(user).filter(status__in=OPEN | {Ticket.Status.RESOLVED}))
                .order_by("-created_at")[:limit])


def similar_open(user, enterprise_id: int, title: str, limit: int = 3) -> list[Ticket]:
    """The firm's open problems whose title is like the one being typed (so it may follow one instead of raising
    it twice). Only problems this person may see; a firm has at most a few hundred open ones."""
    if len((title or "").strip()) < 2:
        return []
    qs = tickets_visible_to(user).filter(enterprise_id=enterprise_id, status__in=OPEN | {Ticket.Status.RESOLVED}) \
        .only("id", "number", "title", "status", "created_at").order_by("-created_at")[:500]
    return similarity.most_similar(title, qs, key=lambda t: t.title, limit=limit)


def activity_source():
    """The problem ledger's events in the audit trail and a firm's timeline."""
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils.translation import pgettext_lazy

    def visible(user):
        seen = tickets_visible_to(user)
        q = Q(ticket__in=seen) if seen.query.has_filters() else Q()  # those who see every problem: no join
        return q if roles.is_staff_member(user) else q & Q(public=True)

    return activity.Source(key="tickets", label=pgettext_lazy("kind of record", "Problems"), model=TicketEvent, order=10,
                           firm="ticket__enterprise_id", ref="ticket_id",
                           title=Concat("ticket__number", Value(" "), "ticket__title"),
                           link=activity.link("tickets:detail"), visible=visible, states=dict(Ticket.Status.choices))
