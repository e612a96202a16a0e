"""Logs: one JSON line per record carrying the request's id, which the response also carries; a proxy's own id
is kept when it is sane; errors go to a Sentry-compatible server only when a DSN is set."""

import json
import logging

import pytest

from yingshang.core import logs


def test_a_record_as_one_line_of_json_with_the_request_id():
    record = logging.LogRecord("yingshang.jobs", logging.WARNING, __file__, 1, "job %s failed: %s", (7, "超时"),
                               None)
    token = logs._request_id.set("abc123")
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        logs._request_id.reset(token)
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line
    out = json.loads(line)
    assert out["message"] == "job 7 failed: 超时" and out["request_id"] == "abc123" and out["level"] == "WARNING"


@pytest.mark.django_db
def test_every_answer_carries_its_request_id(client):
    r = client.get("/healthz")
    assert len(r["X-Request-Id"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-42.a").headers["X-Request-Id"] == "nginx-42.a"
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 65).headers["X-Request-Id"]
    assert odd != "x" * 65 and len(odd) == 32


def test_error_reporting_only_with_a_dsn(monkeypatch):
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert logs.init_error_reporting("") is False and calls == []
    assert logs.init_error_reporting("https://key@errors.example/1", release="0.1.0") is True
    assert calls[0]["send_default_pii"] is False and calls[0]["dsn"] == "https://key@errors.example/1"
