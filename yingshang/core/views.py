from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.templatetags.static import static
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health, inputs, paging, roles, selectors, services
from .models import Notification, NotificationPreference


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed SVG."""
    return HttpResponsePermanentRedirect(static("yingshang/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    ok, body = health.readiness()
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})


@login_required
def notifications(request):
    kinds = dict(Notification.Kind.choices)
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in kinds else ""
    unread = request.GET.get("unread") == "1"
    digest = request.GET.get("digest", "")
    digest = int(digest) if digest.isascii() and digest.isdecimal() and len(digest) < 19 else None
    qs = selectors.notifications_for(request.user, kind=kind, unread=unread, digest=digest)
    page = paging.paginate(request, qs, 30)
    shown_unread = [n.pk for n in page.object_list if n.read_at is None]
    unread_elsewhere = selectors.unread_notification_count(request.user) - sum(
        1 for n in page.object_list if n.read_at is None and not n.held)
    counts = selectors.unread_by_kind(request.user)
    tabs = [("", _("All"), sum(counts.values()))] + [(k, label, counts.get(k, 0)) for k, label in kinds.items()]
    query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("unread", "1" if unread else "")) if v)
    response = render(request, "core/notifications.html", {
        "page": page, "unread_elsewhere": max(0, unread_elsewhere), "tabs": tabs, "kind": kind, "unread": unread,
        "digest": digest, "query": query})
    if shown_unread:
        services.notifications_mark_read(actor=request.user, ids=shown_unread)
    return response


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_read(actor=request.user)
    messages.success(request, ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.",
                                       count) % {"count": count})
    return redirect("notifications")


@login_required
def notification_settings(request):
    """Per kind: when to be told, and on which channels besides the bell."""
    prefs = selectors.notification_preferences(request.user)
    status = 200
    if request.method == "POST":
        choices = {p["kind"]: {"mode": request.POST.get(f"{p['kind']}-mode", ""),
                               "channels": request.POST.getlist(f"{p['kind']}-channels")} for p in prefs}
        try:
            services.notification_preferences_set(actor=request.user, choices=choices)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification-settings")
    return render(request, "core/notification_settings.html", {
        "prefs": prefs, "modes": NotificationPreference.Mode.choices}, status=status)


@login_required
def tokens(request):
    """The user's API tokens: make one (its key shown once), see when each was last used, revoke one."""
    from . import tokens as api_tokens
    from .models import ApiToken

    new_key = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                t = ApiToken.objects.filter(user=request.user, pk=inputs.object_id(request.POST["revoke"])).first()
                if t is None:
                    raise ValidationError(_("No such token."))
                api_tokens.token_revoke(actor=request.user, token=t, request=request)
                messages.success(request, _("The token was revoked: programs using it are refused from now on."))
                return redirect("tokens")
            _token, new_key = api_tokens.token_create(actor=request.user, label=request.POST.get("label", ""),
                                                      request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    rows = [(t, api_tokens.state(t)) for t in ApiToken.objects.filter(user=request.user).select_related("user")]
    return render(request, "core/tokens.html", {"rows": rows, "new_key": new_key,
                                                "days": settings.API_TOKEN_DAYS}, status=status)


def server_error(request):
    """What an uncaught error becomes (outside DEBUG): a database outage is a 503 telling to retry — JSON with
    ``Retry-After`` for the API, a plain page otherwise (it reads nothing from the database); anything else
    the 500 page, or JSON for the API."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    exc = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(exc, (OperationalError, InterfaceError)):
        detail = _("The service is temporarily unavailable. Please try again in a moment.")
        response = (JsonResponse({"code": "unavailable", "detail": detail}, status=503,
                                 json_dumps_params={"ensure_ascii": False}) if api else
                    HttpResponse(render_to_string("503.html", {"detail": detail}), status=503))
        response["Retry-After"] = "5"
        return response
    if api:
        return JsonResponse({"code": "server_error", "detail": _("Server error; it has been logged.")}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_to_string("500.html"), status=500)


def not_found(request, exception=None):
    """A 404: JSON for the API, the platform's page otherwise."""
    from django.http import HttpResponsePermanentRedirect, JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)


def bad_request(request, exception=None):
    from django.http import HttpResponsePermanentRedirect, JsonResponse
    from django.views.defaults import bad_request as default

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "bad_request", "detail": _("Bad request.")}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    return default(request, exception)



@login_required
@require_POST
def saved_views(request):
    """Keep the current filters of a list under a name, or stop keeping one; back to the list."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from .models import SavedView

    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        if request.POST.get("remove"):
            view = SavedView.objects.filter(user=request.user, active=True,
                                            pk=inputs.object_id(request.POST["remove"])).first()
            if view is not None:
                services.saved_view_remove(actor=request.user, view=view)
        else:
            services.saved_view_save(actor=request.user, scope=request.POST.get("scope", ""),
                                     name=request.POST.get("name", ""), query=request.POST.get("query", ""))
            messages.success(request, _("View saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)



@require_POST
def set_language(request):
    """Switch the interface's language: kept on the account of a signed-in user, in a cookie otherwise."""
    from django.utils.http import url_has_allowed_host_and_scheme

    code = request.POST.get("language", "")
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    if code not in {c for c, _n in settings.LANGUAGES}:
        raise ValidationError({"language": _("Unknown language.")})
    if request.user.is_authenticated:
        services.user_language_set(actor=request.user, language=code)
    response = redirect(back)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=request.is_secure())
    return response


@login_required
def audit_trail(request):
    """The supervision office's audit trail: everything anyone did, filtered, one page at a time, exported."""
    if not request.user.has_perm("core.view_audit"):
        raise PermissionDenied
    from . import activity, exports
    from .forms import AuditFilterForm

    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "core/audit.html", {"form": form, "page": None}, status=400)
    qs = activity.rows(form.to_filter(request.user))
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            f"{_('audit trail')}-{timezone.localtime():%Y%m%d-%H%M}.xlsx", _audit_header(), _audit_export(qs),
            sheet=str(_("audit trail")), widths=[18, 14, 22, 28, 34, 40, 40])
    page = paging.paginate(request, qs, 50)
    page.object_list = activity.resolve(page.object_list)
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return render(request, "core/audit.html", {"form": form, "page": page, "query": query.urlencode()})


def _audit_header():
    return [_("Time"), _("Person"), _("Action"), _("Firm"), _("Record"), _("Note"), _("Note for officials")]


def _audit_export(qs, batch: int = 2000):
    from . import activity

    rows = qs.iterator(chunk_size=batch)
    while True:
        chunk = [r for _i, r in zip(range(batch), rows)]
        if not chunk:
            return
        for e in activity.resolve(chunk):
            yield [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                   (e.actor.get_full_name() or e.actor.username) if e.actor else _("the system"), str(e.label),
                   e.firm.name if e.firm else "", e.title, e.note, e.internal_note]


@login_required
def zone_map(request):
    """The zone's areas as GeoJSON for the maps (the cockpit's, and the one that sets a place in a form)."""
    from django.http import JsonResponse

    from . import geo

    response = JsonResponse(geo.zone_map())
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _jobs_admin(request):
    if not roles.has_role(request.user, roles.ADMIN):
        raise PermissionDenied


@login_required
def jobs_page(request):
    """The administrators' page of background jobs: the failed ones first (each with its last error and a
    retry button), the waiting and the recent ones by state."""
    from . import jobs
    from .models import Job

    _jobs_admin(request)
    state = inputs.choice(request.GET.get("state") or Job.State.FAILED, "state", Job.State)
    page = paging.paginate(request, Job.objects.filter(state=state).order_by("-created_at", "-id"), 50)
    page.object_list = list(page.object_list)
    for j in page.object_list:
        j.label = jobs.label(j.name)
    counts = jobs.counts()
    states = [(value, label, counts.get(value, 0)) for value, label in Job.State.choices]
    return render(request, "core/jobs.html", {"page": page, "state": state, "states": states,
                                              "query": f"state={state}"})


@login_required
@require_POST
def job_retry(request, pk: int):
    from . import jobs
    from .models import Job

    _jobs_admin(request)  # who, before anything sent is read
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    jobs.retry(actor=request.user, job=job)
    messages.success(request, _("The job is waiting to run again."))
    return redirect(f"{reverse('jobs')}?state=pending")


@never_cache
@require_GET
def metrics_page(request):
    """Prometheus' scrape, for the monitoring network only (``METRICS_ALLOWED_NETWORKS``)."""
    from django.http import HttpResponse

    from . import metrics

    if not metrics.allowed(request):
        raise PermissionDenied
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


# --- exports in the background ---------------------------------------------------------------------------

def _own_export(request, pk: int):
    from .models import Export

    export = Export.objects.select_related("job").filter(pk=pk, owner=request.user).first()
    if export is None:  # another user's export is not there for this one
        raise Http404
    return export


def _export_view(export) -> dict:
    from . import exports

    kind = exports.ledger(export.scope)
    return {"export": export, "label": kind.label if kind else export.scope, "failed": exports.failed(export),
            "back": (reverse(kind.url_name) + (f"?{export.query}" if export.query else "")) if kind else ""}


@login_required
def exports_page(request):
    """My exports: what I asked for, newest first, each with its state and its file."""
    from .models import Export

    page = paging.paginate(request, Export.objects.filter(owner=request.user).select_related("job"), 20)
    page.object_list = [_export_view(e) for e in page.object_list]
    return render(request, "core/exports.html", {"page": page})


@login_required
@require_POST
def export_new(request):
    from . import exports

    try:
        export = exports.request_export(actor=request.user, scope=request.POST.get("scope", ""),
                                        fmt=request.POST.get("format", ""), query=request.POST.get("query", ""),
                                        request=request)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return _exports_page_with_status(request, 400)
    return redirect("export_page", pk=export.pk)


def _exports_page_with_status(request, status: int):
    response = exports_page(request)
    response.status_code = status
    return response


@login_required
def export_page(request, pk: int):
    """One export: a progress bar while it is written (the page refreshes itself), then its download."""
    return render(request, "core/export.html", _export_view(_own_export(request, pk)))


@login_required
def export_download(request, pk: int):
    from . import uploads

    export = _own_export(request, pk)
    if export.state != export.State.DONE or not export.file:
        raise Http404
    return uploads.serve(export.file, export.filename, attachment=True)
