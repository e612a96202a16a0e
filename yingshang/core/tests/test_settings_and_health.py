"""Settings read from the environment refuse what they cannot read; /readyz tells anonymous callers only
what they need; the zone is a setting, not template text."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yingshang.settings import env_bool


@pytest.mark.parametrize("value,expected", [("1", True), ("yes", True), (" On ", True), ("0", False),
                                            ("false", False), ("", None)])
def test_env_bool_reads_yes_and_no(monkeypatch, value, expected):
    monkeypatch.setenv("YS_FLAG", value)
    assert env_bool("YS_FLAG", default=None) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "ture", "enabled"])
def test_env_bool_refuses_what_it_cannot_read(monkeypatch, value):
    monkeypatch.setenv("YS_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="YS_FLAG"):
        env_bool("YS_FLAG")


@pytest.mark.django_db
def test_readyz_does_not_show_the_database_error_text(client, monkeypatch):
    from django.db import connection

    class Broken:
        def __enter__(self):
            raise RuntimeError('connection to server at "10.0.0.5", port 5432 failed: password authentication '
                               'failed for user "yingshang"')

        def __exit__(self, *a):
            return False

    monkeypatch.setattr(connection, "cursor", lambda: Broken())
    r = client.get("/readyz")
    body = r.content.decode()
    assert r.status_code == 503 and "10.0.0.5" not in body and "password" not in body
    assert r.json()["checks"]["database"]["ok"] is False


@pytest.mark.django_db
def test_the_zone_is_a_setting(client, settings, make_user):
    settings.ZONE_NAME = "苏州工业园区"
    client.force_login(make_user("leader"))
    body = client.get("/").content.decode()
    assert "苏州工业园区" in body and "长春汽车经济技术开发区" not in body


@pytest.mark.django_db
def test_chinese_whatever_the_browser_asks_and_the_choice_is_kept_on_the_account(client, make_user):
    u = make_user("leader")
    client.force_login(u)
    assert 'lang="zh-hans"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    u.refresh_from_db()
    assert u.language == "en"
    other = type(client)()  # another computer: a fresh browser without the cookie
    other.force_login(u)
    assert 'lang="en"' in other.get("/").content.decode()
    assert client.post("/i18n/setlang/", {"language": "fr"}).status_code == 400
