"""Reads of the catalogue: the current versions, the public guide's search, the applications (scoped: a firm
its own, a department its items', the hall and leaders all), the inbox and its lights, the ratings."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from yingshang.core import roles, workdays

from .models import OPEN, Application, ApplicationEvent, Bundle, BundleApplication, Item, ItemVersion, Rating


def current_versions() -> QuerySet[ItemVersion]:
    """Every item's current version, with what lists and exports show."""
    return ItemVersion.objects.filter(item__current=F("pk")).select_related("item", "type", "department") \
        .order_by("item__code")


def guide_search(*, q: str = "", department: int | None = None, type_code: str = "",
                 life_event: str = "") -> QuerySet[Item]:
    """The public guide's search: the published items (each with its current version loaded as ``current``),
    by part of the name or a code, the implementing department, the item type, a life event; in code order.
    Driven from the items so that a page is read along the code's index rather than sorting every version."""
    qs = Item.objects.filter(current__isnull=False).select_related("current__type", "current__department") \
        .order_by("code")
    if q:  # one column of one table (the name of the current version and both codes)
        qs = qs.filter(search_text__contains=q.strip().lower())
    if department:
        qs = qs.filter(current__department_id=department)
    if type_code:
        qs = qs.filter(current__type__code=type_code)
    if life_event:
        qs = qs.filter(current__life_events__contains=[life_event]) if _json_contains() else qs.filter(
            current__life_events__icontains=f'"{life_event}"')
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def guide_departments() -> list[tuple[int, str]]:
    """The departments an item may belong to, for the guide's filter (the service bureaus implement none)."""
    from yingshang.directory.models import Department

    return list(Department.objects.exclude(kind=Department.Kind.BUREAU).order_by("name").values_list("pk", "name"))


def item_published(code: str) -> bool:
    return Item.objects.filter(code=code, current__isnull=False).exists()


def guide_item(code: str) -> ItemVersion:
    """An item's current version with its materials (``ItemVersion.DoesNotExist`` when there is none)."""
    return current_versions().prefetch_related("materials", "materials__source_department").get(item__code=code)


# --- applications (办件) -------------------------------------------------------------------------

def _member_firms(user) -> list[int]:
    from yingshang.directory.models import EnterpriseMember, Stewardship

    names = roles.role_names(user)
    firms = set()
    if roles.ENTERPRISE in names:
        firms |= set(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))
    if roles.STEWARD in names:
        firms |= set(Stewardship.objects.filter(ended_on__isnull=True, steward=user)
                     .values_list("enterprise_id", flat=True))
    return sorted(firms)


def _sees_all(user) -> bool:
    from django.conf import settings

    from yingshang.directory.permissions import department_id_of
    from yingshang.directory.models import Department

    cached = getattr(user, "_catalog_sees_all", None)  # asked by every list of a page: once per request
    if cached is not None:
        return cached
    if roles.role_names(user) & roles.SEE_ALL_ROLES:
        answer = True
    else:
        dept = department_id_of(user)
        answer = bool(dept) and roles.has_role(user, roles.HANDLER, roles.DEPT_HEAD) and \
            Department.objects.filter(pk=dept, code=settings.CATALOG_HALL_DEPARTMENT).exists()
    if getattr(user, "pk", None):
        user._catalog_sees_all = answer
    return answer


def applications_visible_to(user) -> QuerySet[Application]:
    """Leaders, the supervision office, administrators and the service hall see every application; a
    department those for its items; a steward those of the firms they look after; a firm its own."""
    return _scoped(Application.objects.all(), user)


def _scoped(qs, user):
    """All of ``qs`` for those who see every department; else the rows of the user's department (its staff)
    and of the firms the user belongs to or stewards."""
    from yingshang.directory.permissions import department_id_of

    if _sees_all(user):
        return qs
    q = Q(pk__in=[])
    dept = department_id_of(user)
    if dept and roles.has_role(user, roles.HANDLER, roles.DEPT_HEAD):
        q |= Q(department_id=dept)
    firms = _member_firms(user)
    if firms:
        q |= Q(enterprise_id__in=firms)
    return qs.filter(q)


def bundle_applications_visible_to(user) -> QuerySet[BundleApplication]:
    qs = BundleApplication.objects.all()
    if _sees_all(user):
        return qs
    from yingshang.directory.permissions import department_id_of

    q = Q(pk__in=[])
    dept = department_id_of(user)
    if dept and roles.has_role(user, roles.HANDLER, roles.DEPT_HEAD):
        q |= Q(pk__in=Application.objects.filter(department_id=dept, bundle_application__isnull=False)
               .values("bundle_application_id"))
    firms = _member_firms(user)
    if firms:
        q |= Q(enterprise_id__in=firms)
    return qs.filter(q)


def application_rows(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What a list row shows, in the queries a page costs."""
    return qs.select_related("version", "enterprise", "department").only(
        "number", "status", "channel", "created_at", "accepted_at", "due_at", "statutory_due_at", "decided_at",
        "missing_due", "green_channel", "commitment", "bundle_application_id", "enterprise_id", "department_id",
        "version__name", "version__kind", "enterprise__name", "enterprise__uscc", "department__name")


def lights(applications, *, now=None) -> None:
    """Set ``light`` (green / yellow / red / paused / "") and ``days_left`` on each application of a page:
    the committed deadline drives them while the application is under review; a special procedure pauses."""
    now = now or timezone.now()
    cal = workdays.get_calendar()
    for a in applications:
        if a.status == Application.Status.REVIEW:
            a.light, a.days_left = workdays.light(cal, a.due_at, now), workdays.workdays_left(cal, a.due_at, now)
        elif a.status == Application.Status.SPECIAL:
            a.light, a.days_left = "paused", None
        else:
            a.light, a.days_left = "", None
        a.late = bool(a.decided_at and a.due_at and a.decided_at > a.due_at)


INBOX_TABS = ("todo", "review", "soon", "late", "done", "all")


def inbox(user, *, tab: str = "todo", q: str = "", department: int | None = None, item: int | None = None,
          since=None, until=None, channel: str = "", late: bool = False, zero: bool = False,
          now=None) -> QuerySet[Application]:
    """A department's inbox (the hall and leaders see every department's, optionally one): to accept (待受理),
    under review (审查中), due within a working day (即将超期), overdue (已超期), finished (已办结), all."""
    now = now or timezone.now()
    qs = applications_visible_to(user)
    if department:
        qs = qs.filter(department_id=department)
    if item:
        qs = qs.filter(item_id=item)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(enterprise__name__icontains=q) | Q(version__name__icontains=q))
    if since or until:  # the statistics' drill-down: applications submitted in the period
        from datetime import datetime, time, timedelta

        from yingshang.core.workdays import ZONE

        if since:
            qs = qs.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=ZONE))
        if until:
            qs = qs.filter(created_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=ZONE))
    if channel:
        qs = qs.filter(channel=channel)
    if late:
        qs = qs.filter(decided_at__isnull=False, decided_at__gt=F("due_at"))
    if zero:
        qs = qs.filter(visits=0)
    S = Application.Status
    if tab == "todo":
        return qs.filter(status__in=(S.SUBMITTED, S.CORRECTION)).order_by("created_at", "id")
    if tab == "review":
        return qs.filter(status__in=(S.REVIEW, S.SPECIAL)).order_by("due_at", "id")
    if tab == "soon":
        horizon = workdays.warn_horizon(workdays.get_calendar(), now)
        return qs.filter(status=S.REVIEW, due_at__gte=now, due_at__lte=horizon).order_by("due_at", "id")
    if tab == "late":
        return qs.filter(status=S.REVIEW, due_at__lt=now).order_by("due_at", "id")
    if tab == "done":
        return qs.exclude(status__in=OPEN).order_by("-created_at", "-id")
    return qs.order_by("-created_at", "-id")


def inbox_counts(user, *, department: int | None = None, now=None) -> dict:
    """The inbox's tab counts in one query."""
    now = now or timezone.now()
    horizon = workdays.warn_horizon(workdays.get_calendar(), now)
    qs = applications_visible_to(user).filter(status__in=OPEN)  # the open ones only: along the inbox's index
    if department:
        qs = qs.filter(department_id=department)
    S = Application.Status
    return qs.aggregate(
        todo=Count("pk", filter=Q(status__in=(S.SUBMITTED, S.CORRECTION))),
        review=Count("pk", filter=Q(status__in=(S.REVIEW, S.SPECIAL))),
        soon=Count("pk", filter=Q(status=S.REVIEW, due_at__gte=now, due_at__lte=horizon)),
        late=Count("pk", filter=Q(status=S.REVIEW, due_at__lt=now)))


def application_detail(user, pk: int) -> Application:
    return applications_visible_to(user).select_related(
        "version", "version__department", "version__type", "item", "enterprise", "department", "applicant",
        "bundle_application", "bundle_application__bundle").get(pk=pk)


def application_events(user, a: Application) -> QuerySet[ApplicationEvent]:
    """The timeline: the firm sees the events meant for it, never the notes officials wrote for each other."""
    qs = a.events.select_related("actor")
    if roles.is_staff_member(user):
        return qs
    return qs.filter(public=True).defer("internal_note")


def needed_from_firm(a: Application) -> list[dict]:
    """What the firm must do now, in the words it reads: correct, supply, rate."""
    out = []
    if a.status == Application.Status.CORRECTION:
        out.append({"kind": "correct", "text": a.correction})
    if a.missing and a.status in (Application.Status.REVIEW, Application.Status.SPECIAL):
        out.append({"kind": "supply", "items": a.missing, "due": a.missing_due})
    return out


def rating_of(a: Application | BundleApplication) -> Rating | None:
    """The rating in force: the last of the chain (a re-rating replaces the first)."""
    field = "application" if isinstance(a, Application) else "bundle_application"
    return Rating.objects.filter(**{field: a}).exclude(status=Rating.Status.REPLACED) \
        .select_related("department").order_by("-at", "-id").first()


def ratings_visible_to(user) -> QuerySet[Rating]:
    """As the applications: the rated department, the rating firm, and those who see every department."""
    return _scoped(Rating.objects.all(), user)


def bad_ratings(user) -> QuerySet[Rating]:
    """The 差评 a department is working on (open first, by deadline)."""
    S = Rating.Status
    return ratings_visible_to(user).filter(status__in=(S.CALLBACK, S.RECTIFY, S.REPLIED, S.APPEALED)) \
        .select_related("department", "enterprise", "application", "bundle_application", "item__current") \
        .order_by("rectify_due", "id")


def rating_events(user, r: Rating):
    qs = r.events.select_related("actor")
    if roles.is_staff_member(user):
        return qs
    return qs.filter(public=True).defer("internal_note")


def public_rating_table(*, by: str = "department") -> list[dict]:
    """好差评 aggregates, public: per department (or item), ratings in force (not replaced, not annulled),
    the share satisfied (基本满意 or better) and the bad ratings rectified."""
    S = Rating.Status
    key = "department__name" if by == "department" else "item__current__name"
    rows = (Rating.objects.exclude(status__in=(S.REPLACED, S.VOID)).filter(**{f"{key}__isnull": False})
            .values(key).annotate(n=Count("pk"), good=Count("pk", filter=Q(overall__gte=3)),
                                  bad=Count("pk", filter=Q(overall__lte=2)),
                                  very=Count("pk", filter=Q(overall=5))).order_by("-n", key))
    rectified = dict(Rating.objects.filter(status=S.REPLACED).values(key).annotate(n=Count("pk"))
                     .values_list(key, "n"))
    out = []
    for r in rows:
        out.append({"name": r[key], "n": r["n"], "good": r["good"], "bad": r["bad"], "very": r["very"],
                    "rate": round(100 * r["good"] / r["n"], 1) if r["n"] else None,
                    "rectified": rectified.get(r[key], 0)})
    return out


def bundles_offered() -> QuerySet[Bundle]:
    return Bundle.objects.filter(active=True).prefetch_related("members__item__current").order_by("code")


def firm_applications(user) -> QuerySet[Application]:
    """我的办件: the firm's applications (and its staff's stewards'), newest first."""
    firms = _member_firms(user)
    return application_rows(Application.objects.filter(enterprise_id__in=firms)).order_by("-created_at", "-id")


# --- statistics -----------------------------------------------------------------------------------

def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def statistics(user, *, since, until) -> dict:
    """The catalogue's figures for applications submitted from ``since`` to ``until`` (dates, inclusive):
    items by type and department (powers and public services), the online, 全程网办 and zero-visit rates,
    visits, on time against the committed limit, working days per item against its limits, the 即办件 share,
    好差评 and 差评 rectified on time, bundles' working hours; each with what its drill-down filters by."""
    from datetime import datetime, time, timedelta

    from django.db.models import Avg, Sum

    from yingshang.core.workdays import ZONE

    start = datetime.combine(since, time.min, tzinfo=ZONE)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=ZONE)
    versions = current_versions()
    items = {
        "total": versions.count(),
        "powers": versions.filter(type__is_power=True).count(),
        "immediate": versions.filter(kind=ItemVersion.Kind.IMMEDIATE).count(),
        "online": versions.filter(online=True).count(),
        "by_type": list(versions.values("type__code", "type__name", "type__is_power").annotate(n=Count("pk"))
                        .order_by("type__code")),
        "by_department": list(versions.values("department_id", "department__name").annotate(n=Count("pk"))
                              .order_by("-n", "department__name")),
    }
    items["immediate_share"] = _rate(items["immediate"], items["total"])
    apps = applications_visible_to(user).filter(created_at__gte=start, created_at__lt=end)
    S = Application.Status
    agg = apps.aggregate(
        n=Count("pk"), online=Count("pk", filter=Q(channel=Application.Channel.ONLINE)),
        whole=Count("pk", filter=Q(version__online_depth=4)), zero=Count("pk", filter=Q(visits=0)),
        visits=Sum("visits"), decided=Count("pk", filter=Q(decided_at__isnull=False)),
        on_time=Count("pk", filter=Q(decided_at__isnull=False, decided_at__lte=F("due_at"))),
        posted=Count("pk", filter=Q(delivery="post")), green=Count("pk", filter=Q(green_channel=True)),
        terminated=Count("pk", filter=Q(status=S.TERMINATED)), revoked=Count("pk", filter=Q(status=S.REVOKED)))
    n = agg["n"]
    overall = {**agg, "online_rate": _rate(agg["online"], n), "whole_rate": _rate(agg["whole"], n),
               "zero_rate": _rate(agg["zero"], n), "avg_visits": round(agg["visits"] / n, 2) if n else None,
               "on_time_rate": _rate(agg["on_time"], agg["decided"])}
    per_item = _workdays_per_item(apps.filter(decided_at__isnull=False, accepted_at__isnull=False))
    ratings = Rating.objects.filter(at__gte=start, at__lt=end).exclude(status__in=(Rating.Status.REPLACED,
                                                                                   Rating.Status.VOID))
    if not _sees_all(user):
        ratings = ratings.filter(pk__in=ratings_visible_to(user).values("pk"))
    r = ratings.aggregate(n=Count("pk"), good=Count("pk", filter=Q(overall__gte=3)),
                          bad=Count("pk", filter=Q(overall__lte=2)))
    bad_all = Rating.objects.filter(at__gte=start, at__lt=end, overall__lte=2, previous__isnull=True) \
        .exclude(status=Rating.Status.VOID)
    if not _sees_all(user):
        bad_all = bad_all.filter(pk__in=ratings_visible_to(user).values("pk"))
    rb = bad_all.aggregate(n=Count("pk"), replied=Count("pk", filter=Q(replied_at__isnull=False)),
                           on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_at__lte=F("rectify_due"))),
                           called=Count("pk", filter=Q(called_back_at__isnull=False, real_name=True)),
                           real=Count("pk", filter=Q(real_name=True)))
    rating_stats = {**r, "satisfied_rate": _rate(r["good"], r["n"]), "bad_rate": _rate(r["bad"], r["n"]),
                    "bad_total": rb["n"], "rectified": rb["replied"],
                    "rectified_on_time_rate": _rate(rb["on_time"], rb["n"]),
                    "called_back_rate": _rate(rb["called"], rb["real"])}
    bundles = list(BundleApplication.objects.filter(created_at__gte=start, created_at__lt=end)
                   .values("bundle__code", "bundle__name", "bundle__committed_workdays")
                   .annotate(n=Count("pk"), done=Count("pk", filter=Q(status="done")), hours=Avg("work_hours"))
                   .order_by("bundle__code"))
    by_month = list(apps.annotate(m=_month("created_at")).values("m").annotate(
        n=Count("pk"), online=Count("pk", filter=Q(channel=Application.Channel.ONLINE))).order_by("m"))
    for row in by_month:
        row["m"] = row["m"].strftime("%Y-%m") if hasattr(row["m"], "strftime") else str(row["m"])[:7]
    claims = claim_rates(since=since, until=until)
    n_claims = sum(c["n"] for c in claims)
    return {"items": items, "overall": overall, "per_item": per_item, "ratings": rating_stats, "bundles": bundles,
            "by_month": by_month, "by_department": _by_department(apps), "claims": claims,
            "claim_rate": _rate(sum(c["claimed"] for c in claims), n_claims),
            "claim_on_time_rate": _rate(sum(c["on_time"] for c in claims), n_claims)}


def _month(field):
    from django.db.models.functions import TruncMonth

    return TruncMonth(field)


def _by_department(apps) -> list[dict]:
    rows = apps.values("department_id", "department__name").annotate(
        n=Count("pk"), decided=Count("pk", filter=Q(decided_at__isnull=False)),
        on_time=Count("pk", filter=Q(decided_at__isnull=False, decided_at__lte=F("due_at"))),
        online=Count("pk", filter=Q(channel=Application.Channel.ONLINE))).order_by("-n", "department__name")
    out = []
    for r in rows:
        out.append({**r, "on_time_rate": _rate(r["on_time"], r["decided"]), "online_rate": _rate(r["online"], r["n"])})
    return out


def _workdays_per_item(decided) -> list[dict]:
    """Average working days from acceptance to decision (special procedures not counted) per item, against
    its statutory and committed limits (供水报装: statutory 60, committed 7, achieved …)."""
    cal = workdays.get_calendar()
    sums: dict[int, dict] = {}
    rows = decided.values_list("item_id", "version__name", "version__statutory_limit", "version__statutory_unit",
                               "version__committed_limit", "version__committed_unit", "accepted_at", "decided_at",
                               "paused_workdays")
    for item_id, name, stat, stat_unit, com, com_unit, acc, dec, paused in rows.iterator():
        a, b = timezone.localtime(acc).date(), timezone.localtime(dec).date()
        days = max(0, cal.workdays_between(a, b, provisional=True) - paused)
        s = sums.setdefault(item_id, {"item_id": item_id, "name": name, "statutory": stat,
                                      "statutory_unit": stat_unit, "committed": com, "committed_unit": com_unit,
                                      "n": 0, "days": 0})
        s["n"] += 1
        s["days"] += days
    out = sorted(sums.values(), key=lambda s: (-s["n"], s["name"]))
    for s in out:
        s["avg"] = round(s["days"] / s["n"], 1)
    return out


# --- 双告知 ---------------------------------------------------------------------------------------

def registrations_visible_to(user) -> QuerySet:
    """Officials see every registration (the zone's new firms); a firm its own."""
    from .models import Registration

    qs = Registration.objects.select_related("enterprise", "recorded_by")
    if roles.is_staff_member(user):
        return qs
    return qs.filter(enterprise_id__in=_member_firms(user))


def registration_detail(user, pk: int):
    from .models import Claim

    reg = registrations_visible_to(user).prefetch_related("items__current__department").get(pk=pk)
    reg.claim_list = list(Claim.objects.filter(registration=reg).select_related("department", "claimed_by"))
    return reg


def claims_for(user, *, tab: str = "pending") -> QuerySet:
    """A licensing department's claims (every department's for the hall, leaders, supervision, admins)."""
    from yingshang.directory.permissions import department_id_of

    from .models import Claim

    qs = Claim.objects.select_related("registration", "department")
    if not _sees_all(user):
        qs = qs.filter(department_id=department_id_of(user) or 0)
    if tab == "pending":
        return qs.filter(status=Claim.Status.PENDING).order_by("due_at", "id")
    return qs.order_by("-registration__recorded_at", "id")


def claim_rates(*, since=None, until=None) -> list[dict]:
    """The claim rate per department: claimed within the limit ÷ claims due, for registrations recorded in
    the period."""
    from datetime import datetime, time, timedelta

    from yingshang.core.workdays import ZONE

    from .models import Claim

    qs = Claim.objects.all()
    if since:
        qs = qs.filter(registration__recorded_at__gte=datetime.combine(since, time.min, tzinfo=ZONE))
    if until:
        qs = qs.filter(registration__recorded_at__lt=datetime.combine(until + timedelta(days=1), time.min,
                                                                      tzinfo=ZONE))
    rows = qs.values("department_id", "department__name").annotate(
        n=Count("pk"), claimed=Count("pk", filter=Q(status="claimed")),
        on_time=Count("pk", filter=Q(status="claimed", claimed_at__lte=F("due_at"))),
        pending=Count("pk", filter=Q(status="pending"))).order_by("department__name")
    return [{**r, "rate": _rate(r["claimed"], r["n"]), "on_time_rate": _rate(r["on_time"], r["n"])} for r in rows]


def activity_source():
    """Applications' events in the audit trail and the applicant firm's timeline."""
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils.translation import gettext_lazy

    from yingshang.core import activity

    def visible(user):
        q = Q(application__in=applications_visible_to(user))
        return q if roles.is_staff_member(user) else q & Q(public=True)

    return activity.Source(key="applications", label=gettext_lazy("Applications"), model=ApplicationEvent,
                           order=45, firm="application__enterprise_id", ref="application_id",
                           title=Concat("application__number", Value(" "), "application__version__name"),
                           link=activity.link("catalog:detail"), visible=visible,
                           states=dict(Application.Status.choices))
