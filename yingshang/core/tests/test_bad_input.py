"""Bad input, found by probing from outside, is a 4xx with a message and changes nothing — handled in the
shared layer (the id converter and router, the input middleware, ``core.inputs``), not view by view."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from yingshang.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, enterprise):
    return {"firm": make_user("enterprise", enterprise=enterprise), "dispatcher": make_user("dispatcher"),
            "leader": make_user("leader"), "enterprise": enterprise}


@pytest.mark.parametrize("url", ["/api/v1/tickets/false/confirm/", "/api/v1/projects/steps/null/done/",
                                 "/api/v1/tickets/99999999999999999999/confirm/", "/api/v1/tickets/１２/confirm/",
                                 "/api/v1/credit/records/-1/"])
def test_a_non_numeric_or_huge_id_is_not_found(client, people, url):
    client.force_login(people["firm"])
    r = client.post(url, {}, content_type="application/json") if url.endswith("/confirm/") or "done" in url \
        else client.get(url)
    assert r.status_code == 404


@pytest.mark.parametrize("url", ["/tickets/99999999999999999999/", "/projects/steps/99999999999999999999/done/",
                                 "/credit/records/abc/", "/inspections/visits/1e3/"])
def test_pages_with_a_bad_id_are_not_found(client, people, url):
    client.force_login(people["dispatcher"])
    r = client.post(url) if url.endswith("done/") else client.get(url)
    assert r.status_code == 404


@pytest.mark.parametrize("url", ["/tickets/ledger/?status=%00", "/directory/enterprises/?q=%00",
                                 "/projects/?bureau=%C2%B2", "/projects/ledger/?month=0001-01",
                                 "/inspections/campaigns/?year=99999999999999999999",
                                 "/tickets/ledger/?created_to=9999-12-31", "/api/v1/tickets/?status=a%00b"])
def test_malformed_filters_are_a_400(client, people, url):
    client.force_login(people["leader"])
    assert client.get(url).status_code == 400


def test_anonymous_public_search_with_a_nul_byte_is_a_400(client):
    r = client.get("/public/credit/?q=a%00b")
    assert r.status_code == 400 and "控制字符" in r.content.decode()


def test_a_nul_byte_or_an_overflowing_number_in_a_json_body_is_a_400(client, people):
    from yingshang.tickets.models import Category

    client.force_login(people["firm"])
    cat = Category.objects.filter(parent__isnull=False).first()
    for body in ('{"enterprise": "%s", "category": %d, "title": "a\\u0000b", "description": "x"}'
                 % (people["enterprise"].uscc, cat.pk),
                 '{"enterprise": "%s", "category": 1e400, "title": "t", "description": "x"}'
                 % people["enterprise"].uscc):
        r = client.post("/api/v1/tickets/", body, content_type="application/json")
        assert r.status_code == 400 and r.json()["code"] in ("invalid", "parse_error"), body
    assert not Ticket.objects.exists()


def test_a_far_future_decision_date_is_a_400(client, make_user, enterprise):
    from yingshang.credit import services
    from yingshang.directory.tests.factories import DepartmentFactory

    services.defaults_ensure()
    client.force_login(make_user("handler", department=DepartmentFactory()))
    r = client.post("/api/v1/credit/records/", {"enterprise": enterprise.uscc, "kind": "penalty",
                                                "decision_number": "X-1", "decided_on": "9999-12-31",
                                                "description": "d"}, content_type="application/json")
    assert r.status_code == 400 and "decided_on" in r.json()["fields"]


def test_a_very_long_file_name_is_refused_and_leaves_nothing(client, people, settings, tmp_path):
    from yingshang.tickets.models import Category

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(people["firm"])
    cat = Category.objects.filter(parent__isnull=False).first()
    f = SimpleUploadedFile("报告" * 150 + ".pdf", b"%PDF-1.4", content_type="application/pdf")
    r = client.post("/tickets/new/", {"enterprise": people["enterprise"].pk, "category": cat.pk, "title": "t",
                                      "description": "d", "urgency": "normal", "attachments": [f]})
    assert r.status_code == 400 and "too long" not in r.content.decode() and "文件名过长" in r.content.decode()
    assert not Ticket.objects.exists() and not (tmp_path / "media").exists()


def test_a_huge_user_name_on_login_is_a_form_error(client):
    r = client.post("/accounts/login/", {"username": "x" * 10000, "password": "y"})
    assert r.status_code in (200, 400) and b"csrf" not in r.content.lower()[:0]


def test_the_console_refuses_an_empty_seed():
    with pytest.raises(CommandError) as exc:
        call_command("draw", "sample", "--seed", "", "A", "B")
    assert exc.value.returncode == 2 and "seed" in str(exc.value)


def test_json_bodies_are_read_once_the_check_passes(client, people):
    client.force_login(people["firm"])
    r = client.post("/api/v1/tickets/", json.dumps({"enterprise": "bad"}), content_type="application/json")
    assert r.status_code == 400 and "enterprise" in r.json()["fields"]
