"""Request handling every page and API answer shares.

- ``InputMiddleware``: what a request carries is text the platform can store — a NUL byte or another
  control character in a query, a form field or a JSON body is a 400 with a clear message, before any view
  (so no database is ever handed one); a ``ValidationError``, an ``IllegalTransition`` or a database outage
  that escapes a view is a 400, 409 or 503 in the user's language, never a 500.
- ``HeadersMiddleware``: the Content-Security-Policy (the platform's own origin only; inline scripts only
  with the request's nonce), a Permissions-Policy, and ``Cache-Control: no-store`` on what a signed-in user
  or an API client receives.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .actions import IllegalTransition

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL = re.compile(rb"\\u00(?:0[0-8bcef]|1[0-9a-f]|7f)", re.I)
RETRY_AFTER = "5"


def _is_api(request) -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/open311/")


def _refuse(request, status: int, code: str, detail: str, fields: dict | None = None):
    if _is_api(request):
        body = {"code": code, "detail": detail}
        if fields:
            body["fields"] = fields
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    elif status == 503:  # the database is down: a page that reads nothing from it
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        response = HttpResponse(render_to_string("503.html", {"detail": detail}), status=503)
    else:
        response = render(request, f"{status}.html", {"detail": detail}, status=status)
    if status == 503:
        response["Retry-After"] = RETRY_AFTER
    return response


def _bad_text(params) -> str | None:
    for key, values in params.lists():
        for v in [key, *values]:
            if isinstance(v, str) and _CONTROL.search(v):
                return key
    return None


class InputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:  # refused before the body is read (the web server refuses too)
            return _refuse(request, 413, "too_large", _(
                "At most %(mb)d MB can be sent at once (files at most %(each)d MB each): send fewer or smaller "
                "files, and add the others afterwards.") % {"mb": settings.MAX_REQUEST_BYTES // 1048576,
                                                            "each": settings.MAX_UPLOAD_BYTES // 1048576})
        message = _("The request contains characters that cannot be stored (control characters).")
        field = _bad_text(request.GET)
        if field is None and request.method in ("POST", "PUT", "PATCH"):
            ctype = request.content_type or ""
            if ctype.startswith("application/json"):
                if _JSON_CONTROL.search(request.body) or b"\x00" in request.body:
                    field = "body"
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                field = _bad_text(request.POST)
        if field is not None:
            return _refuse(request, 400, "invalid", message, {field: [message]})
        return self.get_response(request)

    def process_exception(self, request, exc):
        from django.conf import settings
        from django.http import Http404

        if isinstance(exc, Http404) and settings.DEBUG:  # the platform's page, not the technical one listing URLs
            from .views import not_found

            return not_found(request, exc)
        if isinstance(exc, IllegalTransition):
            return _refuse(request, 409, "illegal_transition",
                           _("This is no longer possible: the record has changed meanwhile."))
        if isinstance(exc, ValidationError):
            fields = exc.message_dict if hasattr(exc, "error_dict") else None
            return _refuse(request, 400, "invalid", " ".join(exc.messages), fields)
        if isinstance(exc, (OperationalError, InterfaceError)) or (
                isinstance(exc, DatabaseError) and "server closed the connection" in str(exc)):
            import logging

            logging.getLogger("yingshang.outage").warning("database unavailable: %s", type(exc).__name__)
            return _refuse(request, 503, "unavailable",
                           _("The service is temporarily unavailable. Please try again in a moment."))
        return None


class HeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        nonce = request.csp_nonce
        response.setdefault("Content-Security-Policy", "; ".join([
            "default-src 'self'", f"script-src 'self' 'nonce-{nonce}'", "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
            "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]))
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=(), usb=()")
        user = getattr(request, "user", None)
        if _is_api(request) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
        return response

