"""Open311 GeoReport v2 service requests: filed by an integrator with its key (a ticket like any other, through
the channel 合作系统), read by that integrator in full and by the public only where the firm published, field by
field against the specification in JSON and XML, errors included."""

from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from yingshang.interop import services
from yingshang.interop.models import ExternalRequest, Integrator
from yingshang.tickets.models import Category, Ticket

REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


@pytest.fixture
def setup(db, make_user, enterprise):
    from yingshang.tickets.services import categories_ensure_defaults

    categories_ensure_defaults()
    admin = make_user("admin")
    integrator, key = services.integrator_register(actor=admin, name="市营商环境App", contact="运维 张工")
    category = Category.objects.filter(active=True, parent__isnull=False).order_by("pk").first()
    return {"admin": admin, "integrator": integrator, "key": key, "category": category, "firm": enterprise}


def _body(s, **over):
    body = {"api_key": s["key"], "service_code": str(s["category"].pk), "attribute[uscc]": s["firm"].uscc,
            "description": "厂区门前道路积水，货车无法进出", "lat": "43.8170", "long": "125.2300",
            "first_name": "三", "last_name": "张", "phone": "13900001111", "email": "zhang@example.com"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def test_an_integrator_files_a_request_as_a_ticket(setup, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        r = client.post("/open311/v2/requests.json", _body(setup))
    assert r.status_code == 201, r.content
    [answer] = r.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    t = Ticket.objects.get(number=answer["service_request_id"])
    assert t.channel == Ticket.Channel.API and t.raised_by == setup["integrator"].user
    assert t.enterprise == setup["firm"] and t.category == setup["category"] and not t.published
    ext = t.external
    assert ext.integrator == setup["integrator"] and ext.reporter_name == "张 三"
    assert ext.reporter_phone == "13900001111" and str(ext.lat) == "43.817000"
    assert t.events.filter(action="tickets.ticket.registered").exists()


def test_the_integrator_reads_its_requests_in_full_and_the_public_only_what_the_firm_published(
        setup, client, make_user):
    number = client.post("/open311/v2/requests.json", _body(setup)).json()[0]["service_request_id"]
    mine = client.get("/open311/v2/requests.json", {"api_key": setup["key"]}).json()
    assert [m["service_request_id"] for m in mine] == [number]
    [row] = mine
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["service_code"] == str(setup["category"].pk)
    assert row["requested_datetime"].endswith("+08:00") and row["lat"] == 43.817
    assert row["expected_datetime"] is None or row["expected_datetime"].endswith("+08:00")
    # the public sees nothing until the firm publishes, and never the reporter
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    from yingshang.tickets.services import ticket_publish, ticket_unpublish

    member = make_user("enterprise", enterprise=setup["firm"])
    t = ticket_publish(actor=member, ticket=Ticket.objects.get(number=number))
    public = client.get(f"/open311/v2/requests/{number}.json").json()
    assert public[0]["service_request_id"] == number and public[0]["lat"] is None
    body = client.get("/open311/v2/requests.json").content.decode()
    for private in ("13900001111", "张 三", "zhang@example.com"):
        assert private not in body
    assert t.events.filter(action="tickets.ticket.published").exists()
    ticket_unpublish(actor=member, ticket=t)
    assert client.get("/open311/v2/requests.json").json() == []
    # another integrator sees none of these
    _other, other_key = services.integrator_register(actor=setup["admin"], name="另一个系统")
    assert client.get("/open311/v2/requests.json", {"api_key": other_key}).json() == []
    assert client.get(f"/open311/v2/requests/{number}.json", {"api_key": other_key}).status_code == 404


def test_xml_answers(setup, client):
    r = client.post("/open311/v2/requests.xml", _body(setup))
    assert r.status_code == 201 and r["Content-Type"].startswith("text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests" and root[0].tag == "request"
    number = root[0].findtext("service_request_id")
    listing = ET.fromstring(client.get("/open311/v2/requests.xml", {"api_key": setup["key"]}).content)
    [request] = listing.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == number and request.findtext("status") == "open"


def test_filters(setup, client):
    a = client.post("/open311/v2/requests.json", _body(setup)).json()[0]["service_request_id"]
    other = Category.objects.filter(active=True, parent__isnull=False).exclude(pk=setup["category"].pk).first()
    b = client.post("/open311/v2/requests.json", _body(setup, service_code=str(other.pk))).json()[0][
        "service_request_id"]
    get = lambda **p: [r["service_request_id"] for r in client.get(  # noqa: E731
        "/open311/v2/requests.json", {"api_key": setup["key"], **p}).json()]
    assert set(get()) == {a, b}
    assert get(service_code=str(other.pk)) == [b]
    assert get(service_request_id=f"{a.lower()}, {b}", service_code=str(other.pk)) in ([a, b], [b, a])
    assert set(get(status="open")) == {a, b} and get(status="closed") == []
    now = timezone.localtime()
    assert get(start_date=(now + timedelta(days=1)).isoformat()) == []
    assert set(get(start_date=(now - timedelta(days=1)).isoformat(),
                   end_date=(now + timedelta(days=1)).isoformat())) == {a, b}
    Ticket.objects.filter(number=a).update(status=Ticket.Status.CLOSED)
    assert get(status="closed") == [a]
    assert client.get("/open311/v2/requests.json", {"api_key": setup["key"], "service_request_id": a}
                      ).json()[0]["status"] == "closed"


@pytest.mark.parametrize("params, status, word", [
    ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}, 400, "90"),
    ({"start_date": "2026-06-01", "end_date": "2026-01-01"}, 400, "end_date"),
    ({"start_date": "yesterday"}, 400, "start_date"),
    ({"start_date": "9999-01-01"}, 400, "start_date"),
    ({"status": "pending"}, 400, "status"),
    ({"service_code": "abc"}, 400, "service_code"),
    ({"service_code": "99999999999999999999999"}, 400, "service_code"),
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"jurisdiction_id": "elsewhere"}, 404, "jurisdiction"),
])
def test_reading_errors_are_the_specification_s(setup, client, params, status, word):
    for fmt in ("json", "xml"):
        r = client.get(f"/open311/v2/requests.{fmt}", params)
        assert r.status_code == status
        if fmt == "json":
            [error] = r.json()
            assert set(error) == {"code", "description"} and error["code"] == status and word in error["description"]
        else:
            root = ET.fromstring(r.content)
            assert root.tag == "errors" and root[0].tag == "error" and root[0].findtext("code") == str(status)


@pytest.mark.parametrize("over, status, word", [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "ys_nope"}, 403, "api_key"),
    ({"service_code": "424242"}, 400, "service_code"),
    ({"attribute[uscc]": None}, 400, "uscc"),
    ({"attribute[uscc]": "91220101MA0000000X"}, 400, "uscc"),
    ({"attribute[uscc]": "91110000100000000A"}, 400, "uscc"),
    ({"lat": None, "long": None}, 400, "address_string"),
    ({"long": None}, 400, "lat"),
    ({"lat": "91"}, 400, "lat"),
    ({"lat": "1e400"}, 400, "lat"),
    ({"description": ""}, 400, "description"),
    ({"description": "x\x00y"}, 400, ""),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"attribute[urgency]": "asap"}, 400, "urgency"),
])
def test_filing_errors_change_nothing(setup, client, over, status, word):
    before = Ticket.objects.count()
    r = client.post("/open311/v2/requests.json", _body(setup, **over))
    assert r.status_code == status, r.content
    assert word in r.content.decode()
    assert Ticket.objects.count() == before and not ExternalRequest.objects.exists()


def test_a_firm_that_has_stopped_operating_and_an_inactive_integrator(setup, client):
    Integrator.objects.filter(pk=setup["integrator"].pk).update(active=False)
    assert client.post("/open311/v2/requests.json", _body(setup)).status_code == 403
    assert client.get("/open311/v2/requests.json", {"api_key": setup["key"]}).status_code == 403


def test_only_an_administrator_registers_and_the_key_is_kept_as_a_hash(setup, make_user):
    with pytest.raises(PermissionDenied):
        services.integrator_register(actor=make_user("dispatcher"), name="x")
    integrator = setup["integrator"]
    assert setup["key"] not in integrator.key_hash and integrator.key_prefix == setup["key"][:10]
    assert not integrator.user.has_usable_password()
    assert services.integrator_by_key(setup["key"]) == integrator
    new = services.integrator_rekey(actor=setup["admin"], integrator=integrator)
    assert services.integrator_by_key(setup["key"]) is None and services.integrator_by_key(new) == integrator


def test_the_console(setup):
    out = StringIO()
    call_command("integrator", "add", "12345热线", "--by", setup["admin"].username, "--kind", "hotline", stdout=out)
    key = out.getvalue().split("api_key ")[1].split()[0]
    assert services.integrator_by_key(key).kind == Integrator.Kind.HOTLINE
    out = StringIO()
    call_command("integrator", "list", stdout=out)
    assert "12345热线" in out.getvalue() and key not in out.getvalue()


def test_publishing_is_the_firm_s_and_is_an_action_of_its_own(setup, client, make_user):
    from yingshang.core.actions import IllegalTransition
    from yingshang.tickets.services import ticket_publish

    number = client.post("/open311/v2/requests.json", _body(setup)).json()[0]["service_request_id"]
    t = Ticket.objects.get(number=number)
    with pytest.raises(PermissionDenied):
        ticket_publish(actor=make_user("dispatcher"), ticket=t)
    member = make_user("enterprise", enterprise=setup["firm"])
    ticket_publish(actor=member, ticket=t)
    with pytest.raises(IllegalTransition):
        ticket_publish(actor=member, ticket=t)
    # through the API, as the action table's endpoint
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(member)
    assert api.post(f"/api/v1/tickets/{t.pk}/unpublish/", {}, format="json").status_code == 200
    assert api.post(f"/api/v1/tickets/{t.pk}/unpublish/", {}, format="json").status_code == 409
    t.refresh_from_db()
    assert not t.published


def test_reading_a_thousand_is_two_queries(setup, client, django_assert_num_queries):
    for _i in range(3):
        client.post("/open311/v2/requests.json", _body(setup))
    with django_assert_num_queries(2):  # the integrator, then the requests with all they show
        rows = client.get("/open311/v2/requests.json", {"api_key": setup["key"]}).json()
    assert len(rows) == 3
