"""API tokens expire, are listed and revoked by their owner, and stop working when the password changes or
the account is deactivated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingshang.core.models import ApiToken
from yingshang.core.tokens import token_create

pytestmark = pytest.mark.django_db


def _get(client, key):
    return client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_from_the_password_works_then_expires(client, make_user, settings):
    u = make_user("handler", username="tok", password="Jiefang-J7-2026")
    r = client.post("/api/v1/auth/token/", {"username": "tok", "password": "Jiefang-J7-2026", "label": "台账同步"},
                    content_type="application/json")
    assert r.status_code == 200
    key, expires = r.json()["token"], r.json()["expires_at"]
    assert _get(client, key).status_code == 200
    t = ApiToken.objects.get(user=u)
    assert t.digest != key and t.label == "台账同步" and t.last_used_at is not None
    assert (t.expires_at - t.created_at).days == settings.API_TOKEN_DAYS and expires
    ApiToken.objects.filter(pk=t.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = _get(client, key)
    assert r.status_code in (401, 403) and "expired" in r.json()["detail"].lower() or "过期" in r.json()["detail"]
    assert client.post("/api/v1/auth/token/", {"username": "tok", "password": "wrong"},
                       content_type="application/json").status_code in (401, 403)


def test_a_password_change_or_deactivation_ends_every_token(client, make_user):
    u = make_user("handler")
    _t1, k1 = token_create(actor=u)
    _t2, k2 = token_create(actor=u)
    assert _get(client, k1).status_code == 200
    u.set_password("Another-Pass-2026")
    u.save()
    assert _get(client, k1).status_code in (401, 403) and _get(client, k2).status_code in (401, 403)
    _t3, k3 = token_create(actor=u)
    assert _get(client, k3).status_code == 200
    u.is_active = False
    u.save()
    assert _get(client, k3).status_code in (401, 403)


def test_the_owner_lists_and_revokes_their_tokens_only(client, make_user):
    me, other = make_user("handler"), make_user("handler")
    mine, key = token_create(actor=me, label="mine")
    theirs, _k = token_create(actor=other)
    client.force_login(me)
    listed = client.get("/api/v1/auth/tokens/").json()
    assert [t["id"] for t in listed] == [mine.pk] and listed[0]["state"] == "active" and "digest" not in listed[0]
    assert client.post(f"/api/v1/auth/tokens/{theirs.pk}/revoke/").status_code == 404
    r = client.post(f"/api/v1/auth/tokens/{mine.pk}/revoke/")
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    client.logout()
    assert _get(client, key).status_code in (401, 403)
    client.force_login(me)
    page = client.get("/accounts/tokens/").content.decode()
    assert "mine" in page and mine.prefix in page
    r = client.post("/accounts/tokens/", {"label": "新令牌"})
    assert r.status_code == 200 and 'data-testid="new-token"' in r.content.decode()
