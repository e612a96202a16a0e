"""The home pages, and the cockpit's pages: the figures by mechanism, the wall of the command centre, a
figure with the records behind it, and the reports (leaders, the supervision office and administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import inputs, roles
from yingshang.core.paging import paginate
from yingshang.directory import selectors as directory
from yingshang.projects import selectors as projects
from yingshang.tickets import selectors as tickets

from . import figures as F_
from . import params, selectors, services
from .models import Report, Subscription


@login_required
def home(request):
    user = request.user
    names = roles.role_names(user)
    ctx = {"roles": names}
    if roles.is_staff_member(user):
        ctx["todo"] = selectors.todo(user)
        ctx["overview"] = selectors.zone_overview()
        ctx["calendar"] = selectors.working_calendar_card()
        ctx["by_bureau"] = selectors.enterprises_by_bureau()
        if names & {roles.STEWARD, roles.LEADER}:
            ctx["my_enterprises"] = list(directory.stewarded_enterprises(user).select_related("group")[:12])
        ctx["department"] = getattr(getattr(user, "staff_profile", None), "department", None)
        if user.has_perm("tickets.view_ledger"):
            ctx["problems"] = selectors.problem_counts(user)
        if user.has_perm("projects.view") and roles.INSPECTOR not in names:
            ctx["projects"] = projects.wall_counts()
        if names & {roles.HANDLER, roles.DEPT_HEAD} and ctx["department"]:
            ctx["inbox"] = tickets.inbox_counts(user)
        template = "dashboard/home_staff.html"
    elif roles.ENTERPRISE in names:
        ctx["enterprises"] = list(directory.enterprise_search(user))
        ctx["open_problems"] = tickets.open_for_firm(user)
        template = "dashboard/home_enterprise.html"
    else:
        template = "dashboard/home_none.html"
    return render(request, template, ctx)


# --- the cockpit ---------------------------------------------------------------------------------------

def _reader(request):
    if not request.user.has_perm("dashboard.view_cockpit"):
        raise PermissionDenied
    return request.user


def _query(request) -> tuple[params.Query, int]:
    """The period and filters asked for; a bad one is said on the page (400) and this month shown."""
    try:
        return params.parse(request.GET), 200
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return params.parse({}), 400


def _context(request, q: params.Query) -> dict:
    answers = selectors.figure_answers(q.period, q.dims)
    trends = selectors.trends(q.period.trend(12), q.dims)
    for a in answers:
        a["trend"] = [p["value"] for p in trends.get(a["key"], [])]
    sections = [(code, name, [a for a in answers if a["section"] == code]) for code, name in F_.SECTIONS]
    groups, bureaus = selectors.groups_and_bureaus()
    state = selectors.rollup_state()
    return {"q": q, "presets": params.PRESET_LABELS, "sections": sections, "answers": answers, "groups": groups, "bureaus": bureaus,
            "ranks": selectors.rankings(q.period, q.dims),
            "indicators": selectors.indicators(q.period, None if q.dims.any else answers),
            "zone_map": selectors.zone_map_data(q.period, q.dims),
            "state": state, "query": selectors.cockpit.query_string(q.period, q.dims),
            "supply_impact": _supply_impact(),
            "scope": " · ".join([n for pk, n in groups if pk == q.dims.group] +
                                [n for pk, n in bureaus if pk == q.dims.bureau])}


def _supply_impact() -> list[dict]:
    """The firms in trouble now whose trouble would stop a leading firm's plant (the chain's impact)."""
    from yingshang.chain import selectors as chain
    from yingshang.chain.views import TROUBLE

    rows = chain.impact_board(limit=8)
    for r in rows:
        r["why_words"] = [str(TROUBLE[w]) for w in r["why"]]
    return rows


@login_required
def cockpit(request):
    _reader(request)
    q, status = _query(request)
    return render(request, "dashboard/cockpit.html", _context(request, q), status=status)


@login_required
def wall(request):
    """The big screen of the command centre: 1920 × 1080, dark, refreshing itself every five minutes."""
    _reader(request)
    q, status = _query(request)
    return render(request, "dashboard/wall.html", _context(request, q), status=status)


@login_required
def figure(request, key: str):
    """One figure: its definition, the period before and a year earlier, its months, and exactly the records
    it counted."""
    _reader(request)
    if key not in F_.BY_KEY:
        raise Http404
    fig = F_.get(key)
    q, status = _query(request)
    answer = selectors.figure_answer(key, q.period, q.dims)
    records = selectors.figure_records(fig, q.period, q.dims) if fig.supports(q.dims) else None
    page = None
    if records is not None:
        page = paginate(request, selectors.cockpit.with_related(records), default=20)
        page.rows = [{**selectors.describe_record(obj), "above": getattr(obj, "above", None),
                      "day": _day(obj, fig)} for obj in page.object_list]
    groups, bureaus = selectors.groups_and_bureaus()
    return render(request, "dashboard/figure.html", {
        "fig": fig, "a": answer, "q": q, "page": page, "presets": params.PRESET_LABELS, "groups": groups,
        "bureaus": bureaus, "base_query": selectors.cockpit.query_string(q.period, q.dims)}, status=status)


def _day(obj, fig):
    from django.utils import timezone

    if not fig.is_flow:
        return getattr(obj, "starts_on", None)
    value = obj
    for part in fig.day.split("__"):
        value = getattr(value, part, None)
    return timezone.localdate(value) if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None \
        else value


@login_required
def reports(request):
    """The reports written (newest first), a form to write one for any period, and the subscriptions."""
    user = _reader(request)
    status = 200
    if request.method == "POST":
        if not user.has_perm("dashboard.write_report"):
            raise PermissionDenied
        try:
            kind = inputs.choice(request.POST.get("kind", ""), "kind", Report.Kind.choices)
            q = params.parse(request.POST)
            report = services.report_request(actor=user, kind=kind, start=q.period.start, end=q.period.end,
                                             group_id=q.dims.group, bureau_id=q.dims.bureau)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            report.refresh_from_db(fields=["state"])  # written already when there is no worker
            if report.state == Report.State.READY:
                messages.success(request, _("%(title)s is written.") % {"title": report.title})
            else:
                messages.success(request, _("%(title)s is being written: it appears below when it is ready, and "
                                            "you will be told.") % {"title": report.title})
            return redirect("dashboard:reports")
    page = paginate(request, Report.objects.select_related("group", "bureau", "created_by", "job"), default=20)
    subs = {s.kind: s for s in Subscription.objects.filter(user=user, active=True)}
    groups, bureaus = selectors.groups_and_bureaus()
    q = params.parse({})
    return render(request, "dashboard/reports.html", {
        "writing": any(r.state == Report.State.WRITING and not r.failed for r in page.object_list),
        "page": page, "subs": subs, "kinds": Report.Kind.choices, "groups": groups, "bureaus": bureaus,
        "q": q, "subscribable": [(k, label, k in subs) for k, label in Report.Kind.choices[:2]]}, status=status)


@login_required
def report_file(request, pk: int, fmt: str):
    _reader(request)
    if fmt not in ("docx", "xlsx", "pdf"):
        raise Http404
    report = get_object_or_404(Report, pk=pk, state=Report.State.READY)
    with getattr(report, fmt).open("rb") as f:
        content = f.read()  # a report is a few hundred kilobytes
    types = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{report.title}.{fmt}")
    return response


@login_required
@require_POST
def subscription(request, action: str):
    user = _reader(request)
    if action not in ("subscribe", "unsubscribe"):
        raise Http404
    kind = inputs.choice(request.POST.get("kind", ""), "kind", Report.Kind.choices[:2])
    if action == "subscribe":
        services.subscription_start(actor=user, kind=kind)
        messages.success(request, _("You will receive the %(kind)s when it is written.")
                         % {"kind": dict(Report.Kind.choices)[kind]})
    else:
        sub = Subscription.objects.filter(user=user, kind=kind).first()
        if sub is None:
            raise Http404
        services.subscription_end(actor=user, subscription=sub)
        messages.success(request, _("You no longer receive the %(kind)s.") % {"kind": dict(Report.Kind.choices)[kind]})
    return redirect("dashboard:reports")
