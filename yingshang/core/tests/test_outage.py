"""A database outage is a 503 that says to come back (JSON with Retry-After for the API), not a 500."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

@pytest.fixture
def broken(monkeypatch):
    """Every query fails as it does while PostgreSQL restarts."""
    from django.db.backends.utils import CursorWrapper

    def fail(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(CursorWrapper, "execute", fail)
    monkeypatch.setattr(CursorWrapper, "executemany", fail)


def test_the_api_answers_json_503_with_retry_after(broken, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    r = client.get("/api/v1/tickets/", HTTP_AUTHORIZATION="Token abc")
    assert r.status_code == 503 and r["Retry-After"] == "5" and r.json()["code"] == "unavailable"
    assert "5432" not in r.content.decode()


def test_pages_say_the_service_is_temporarily_unavailable(broken, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    r = client.get("/public/credit/?q=红旗")
    body = r.content.decode()
    assert r.status_code == 503 and 'data-testid="unavailable"' in body and "Connection refused" not in body


def test_readyz_says_database_unreachable(broken):
    client = Client(raise_request_exception=False)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["database"]["detail"] in ("database unreachable", "数据库无法连接")
