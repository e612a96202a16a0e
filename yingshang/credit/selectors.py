"""Reads of credit: scoped records, standings, lists, measures, the class distribution and trends,
and the public view (no personal data)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yingshang.core import roles
from yingshang.directory.models import Enterprise, EnterpriseMember

from .models import Grade, ListEntry, Measure, Record, Request, ScoreHistory, Standing
from .permissions import department_id_of

MEASURES_CACHE_KEY = "credit:measures"
TREND_CACHE_KEY = "credit:trend"


def records_visible_to(user) -> QuerySet[Record]:
    """Officials see every record; a firm its own."""
    qs = Record.objects.all()
    if roles.is_staff_member(user):
        return qs
    if roles.has_role(user, roles.ENTERPRISE):
        firms = list(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))
        return qs.filter(enterprise_id__in=firms)
    return qs.none()


def record_search(user, *, q: str = "", kind: str = "", status: str = "", department: int | None = None,
                  enterprise: int | None = None, severity: str = "") -> QuerySet[Record]:
    qs = records_visible_to(user)
    if q:
        q = q.strip()
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q.upper()) |
                       Q(decision_number__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if department:
        qs = qs.filter(department_id=department)
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    return qs.select_related("enterprise", "department").order_by("-decided_on", "-id")


def record_detail(user, pk: int) -> Record:
    return records_visible_to(user).select_related("enterprise", "department", "created_by").get(pk=pk)


def record_events(record: Record):
    return record.events.select_related("actor").order_by("at", "id")


def record_requests(record: Record):
    return record.requests.select_related("filed_by", "decided_by").order_by("-filed_at", "-id")


def standing_of(enterprise_id: int) -> Standing | None:
    return Standing.objects.select_related("ruleset").filter(pk=enterprise_id).first()


def active_lists(enterprise_id: int) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(enterprise_id=enterprise_id, status=ListEntry.Status.ACTIVE).select_related(
        "record", "department")


def active_measures() -> list[Measure]:
    measures = cache.get(MEASURES_CACHE_KEY)
    if measures is None:
        measures = list(Measure.objects.filter(active=True))
        cache.set(MEASURES_CACHE_KEY, measures, 600)
    return measures


def measures_for(enterprise_id: int) -> dict:
    """What applies to a firm today: its class, its lists, and the joint measures they trigger."""
    row = Standing.objects.filter(pk=enterprise_id).values_list("grade", "score").first()
    grade, score = row if row else ("B", None)
    lists = set(ListEntry.objects.filter(enterprise_id=enterprise_id, status=ListEntry.Status.ACTIVE)
                .values_list("kind", flat=True))
    return {"grade": grade, "score": score, "lists": sorted(lists),
            "measures": [m for m in active_measures() if m.applies(grade, lists)]}


def green_channel_ids(enterprise_ids) -> set[int]:
    """The firms among these on the red list today (their problems and projects carry the 绿色通道 mark)."""
    ids = {i for i in enterprise_ids if i}
    if not ids:
        return set()
    return set(ListEntry.objects.filter(enterprise_id__in=ids, kind=ListEntry.Kind.RED,
                                        status=ListEntry.Status.ACTIVE).values_list("enterprise_id", flat=True))


def grades_at(enterprise_ids, when: date) -> dict[int, str]:
    """Each firm's class on a past date, from the score history (B for a firm never scored)."""
    out = {i: "B" for i in enterprise_ids}
    for ent_id, grade in (ScoreHistory.objects.filter(enterprise_id__in=list(out), as_of__lte=when)
                          .order_by("enterprise_id", "as_of", "id").values_list("enterprise_id", "grade")):
        out[ent_id] = grade
    return out


def grades_now(enterprise_ids) -> dict[int, str]:
    out = {i: "B" for i in enterprise_ids}
    out.update(dict(Standing.objects.filter(enterprise_id__in=list(out)).values_list("enterprise_id", "grade")))
    return out


def standings(*, grade: str = "", q: str = "") -> QuerySet[Standing]:
    qs = Standing.objects.select_related("enterprise", "ruleset")
    if grade:
        qs = qs.filter(grade=grade)
    if q.strip():
        qs = qs.filter(Q(enterprise__name__icontains=q.strip()) | Q(enterprise__uscc=q.strip().upper()))
    return qs.order_by("score", "enterprise__name", "enterprise_id")


def distribution() -> dict[str, int]:
    """Firms per class today (a firm never scored counts as B)."""
    counts = Counter(dict(Standing.objects.values_list("grade").annotate(n=Count("pk")).order_by()))
    unscored = Enterprise.objects.count() - sum(counts.values())
    counts["B"] += max(0, unscored)
    return {g: counts.get(g, 0) for g in Grade.values}


def _month_ends(today: date, months: int) -> list[date]:
    ends = []
    first = today.replace(day=1)
    for _ in range(months - 1):
        ends.append(first - timedelta(days=1))
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(ends) + [today]


def trend(months: int = 12) -> dict:
    """Firms per class at the end of each of the last ``months`` months, from the score history."""
    today = timezone.localdate()
    key = f"{TREND_CACHE_KEY}:{today.isoformat()}:{months}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ends = _month_ends(today, months)
    counts = [Counter() for _ in ends]
    current, rows = None, []

    def flush(rows):
        i, grade = 0, "B"
        for end_i, end in enumerate(ends):
            while i < len(rows) and rows[i][0] <= end:
                grade = rows[i][1]
                i += 1
            counts[end_i][grade] += 1

    scored = 0
    for ent_id, as_of, grade in ScoreHistory.objects.order_by("enterprise_id", "as_of", "id") \
            .values_list("enterprise_id", "as_of", "grade").iterator(chunk_size=20000):
        if ent_id != current:
            if current is not None:
                flush(rows)
                scored += 1
            current, rows = ent_id, []
        rows.append((as_of, grade))
    if current is not None:
        flush(rows)
        scored += 1
    unscored = Enterprise.objects.count() - scored
    data = {"months": [e.strftime("%Y-%m") for e in ends],
            "series": {g: [c.get(g, 0) + (unscored if g == "B" else 0) for c in counts] for g in Grade.values}}
    cache.set(key, data, 1200)
    return data


def score_history(enterprise_id: int) -> list[ScoreHistory]:
    return list(ScoreHistory.objects.filter(enterprise_id=enterprise_id).select_related("ruleset")
                .order_by("as_of", "id"))


def list_entries(*, kind: str = "", status: str = ListEntry.Status.ACTIVE, q: str = "") -> QuerySet[ListEntry]:
    qs = ListEntry.objects.select_related("enterprise", "record", "department", "decided_by")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q.strip()) | Q(enterprise__uscc=q.strip().upper()))
    return qs.order_by("-starts_on", "-id")


def request_queue(user, *, status: str = Request.Status.PENDING) -> QuerySet[Request]:
    """Objections and repairs waiting for the user's department (an administrator sees all)."""
    qs = Request.objects.select_related("record", "record__enterprise", "record__department", "filed_by")
    if status:
        qs = qs.filter(status=status)
    if not roles.has_role(user, roles.ADMIN, roles.SUPERVISOR, roles.LEADER):
        qs = qs.filter(record__department_id=department_id_of(user) or 0)
    return qs.order_by("due_at", "id")


# --- public ----------------------------------------------------------------------------------------

PUBLIC_STATUSES = (Record.Status.ACTIVE, Record.Status.OBJECTION)


def public_records(enterprise_id: int | None) -> QuerySet[Record]:
    """Records in their publicity period (repaired, revoked and expired ones are no longer public): one firm's,
    or (``None``) every firm's."""
    today = timezone.localdate()
    qs = Record.objects.filter(enterprise_id=enterprise_id) if enterprise_id is not None else Record.objects.all()
    return (qs.filter(status__in=PUBLIC_STATUSES, public_from__lte=today)
            .filter(Q(public_to__isnull=True) | Q(public_to__gte=today))
            .select_related("department").only("id", "kind", "severity", "decision_number", "decided_on",
                                               "description", "public_from", "public_to", "status",
                                               "department__name").order_by("-decided_on", "-id"))


def public_search(q: str) -> QuerySet[Enterprise]:
    q = (q or "").strip()
    if len(q) < 2:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(Q(name__icontains=q) | Q(uscc=q.upper())).only("id", "name", "uscc") \
        .order_by("name", "id")


def public_list(kind: str) -> QuerySet[ListEntry]:
    return (ListEntry.objects.filter(kind=kind, status=ListEntry.Status.ACTIVE)
            .select_related("enterprise", "department").only("id", "basis", "starts_on", "ends_on",
                                                              "enterprise__name", "enterprise__uscc",
                                                              "department__name").order_by("-starts_on", "-id"))


def activity_source():
    """Credit's events (records, lists, objections, repairs) in the audit trail and a firm's timeline."""
    from django.db.models import F
    from django.utils.translation import gettext_lazy

    from yingshang.core import activity

    from .models import Event

    def visible(user):
        if roles.is_staff_member(user):
            return Q()
        firms = EnterpriseMember.objects.filter(user=user, active=True).values("enterprise_id")
        return Q(enterprise_id__in=firms, public=True)

    return activity.Source(key="credit", label=gettext_lazy("Credit"), model=Event, order=20, firm="enterprise_id",
                           ref="record_id", title=F("record__decision_number"), link=activity.link("credit:record"),
                           visible=visible)
