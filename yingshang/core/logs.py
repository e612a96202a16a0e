"""Logs a machine can read: one JSON object per line (``LOG_FORMAT=json``, the default in production) with the
request's id, which also answers in the ``X-Request-Id`` header (taken from the proxy's when it sends a sane
one) — so a user's complaint, the web server's access log and the platform's log meet on one id. Errors go to a
Sentry-compatible server when ``SENTRY_DSN`` is set (no personal data is sent)."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-Id", "")
        rid = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One line of JSON per record: time, level, logger, message, request id, and the exception if any."""

    def format(self, record):
        out = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
               "level": record.levelname, "logger": record.name, "message": record.getMessage(),
               "request_id": getattr(record, "request_id", "")}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def init_error_reporting(dsn: str, *, environment: str = "", release: str = "") -> bool:
    """Send unhandled errors to a Sentry-compatible server (no personal data, no performance tracing)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, integrations=[DjangoIntegration()], send_default_pii=False, traces_sample_rate=0.0,
                    environment=environment or None, release=release or None)
    return True
