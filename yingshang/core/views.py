from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health, selectors, services


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
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    unread_elsewhere = selectors.unread_notification_count(request.user) - sum(1 for n in page.object_list
                                                                            if n.read_at is None)
    response = render(request, "core/notifications.html", {"page": page, "unread_elsewhere": unread_elsewhere})
    ids = [n.pk for n in page.object_list if n.read_at is None]
    if ids:
        services.notifications_mark_read(actor=request.user, ids=ids)
    return response


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications")
