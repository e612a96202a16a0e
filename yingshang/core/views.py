from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    response = render(request, "core/notifications.html", {"page": page})
    ids = [n.pk for n in page.object_list if n.read_at is None]
    if ids:
        services.notifications_mark_read(actor=request.user, ids=ids)
    return response
