"""Headers every answer carries: a Content-Security-Policy of the platform's own origin (inline scripts only
with the request's nonce), a Permissions-Policy, and no-store on what signed-in users and API clients get."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_the_policy_and_inline_scripts_their_nonce(client, make_user):
    client.force_login(make_user("leader"))
    r = client.get("/tickets/statistics/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", r.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attrs or "application/json" in attrs for attrs in scripts)
    assert "onclick=" not in r.content.decode()  # no inline handlers: the policy would block them
    assert "camera=()" in r["Permissions-Policy"] and r["Cache-Control"] == "no-store"
    assert client.get("/api/v1/departments/")["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached_by_the_browser(client):
    r = client.get("/public/credit/")
    assert r.status_code == 200 and r.get("Cache-Control") != "no-store" and "Content-Security-Policy" in r
