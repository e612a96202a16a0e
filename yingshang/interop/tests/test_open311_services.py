"""Open311 GeoReport v2 services, field by field against the specification, in JSON and XML, errors included."""

from xml.etree import ElementTree as ET

import pytest

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = {"variable", "code", "datatype", "required", "datatype_description", "order", "description"}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@pytest.fixture
def categories(db):
    from yingshang.tickets.services import categories_ensure_defaults

    categories_ensure_defaults()


def test_services_json(client, categories):
    from yingshang.tickets.models import Category

    r = client.get("/open311/v2/services.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    services = r.json()
    leaves = Category.objects.filter(active=True, parent__isnull=False).count()
    assert len(services) == leaves + 1  # the leaves and 其他, a top category without children
    for s in services:
        assert list(s) == SERVICE_FIELDS
        assert s["metadata"] is True and s["type"] in {"realtime", "batch", "blackbox"}
        assert isinstance(s["service_code"], str) and s["keywords"]
    power = next(s for s in services if s["service_name"] == "供电")
    assert power["group"] == "水电气热" and power["keywords"] == "供电,水电气热"


def test_services_xml(client, categories):
    r = client.get("/open311/v2/services.xml")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == len(client.get("/open311/v2/services.json").json())
    first = services[0]
    assert [c.tag for c in first] == SERVICE_FIELDS
    assert first.find("metadata").text == "true"


def test_a_service_definition_in_json_and_xml(client, categories):
    from yingshang.tickets.models import Category

    land = Category.objects.get(name="土地征收与供应")
    power = Category.objects.get(name="供电")
    d = client.get(f"/open311/v2/services/{power.pk}.json").json()
    assert d["service_code"] == str(power.pk)
    for a in d["attributes"]:
        assert ATTRIBUTE_FIELDS <= set(a) and a["datatype"] in DATATYPES and a["variable"] is True
        if a["datatype"].endswith("valuelist"):
            assert a["values"] and all(set(v) == {"key", "name"} for v in a["values"])
    uscc = next(a for a in d["attributes"] if a["code"] == "uscc")
    assert uscc["required"] is True and uscc["datatype"] == "string" and uscc["order"] == 1
    assert "project_ref" not in {a["code"] for a in d["attributes"]}
    assert "project_ref" in {a["code"] for a in client.get(f"/open311/v2/services/{land.pk}.json").json()["attributes"]}
    root = ET.fromstring(client.get(f"/open311/v2/services/{power.pk}.xml").content)
    assert root.tag == "service_definition" and root.find("service_code").text == str(power.pk)
    attrs = root.find("attributes").findall("attribute")
    assert [a.find("code").text for a in attrs] == [a["code"] for a in d["attributes"]]
    urgency = next(a for a in attrs if a.find("code").text == "urgency")
    assert [v.find("key").text for v in urgency.find("values").findall("value")] == ["normal", "urgent"]
    assert urgency.find("required").text == "false"


@pytest.mark.parametrize("url, fmt", [("/open311/v2/services/999999.json", "json"),
                                      ("/open311/v2/services/999999.xml", "xml"),
                                      ("/open311/v2/services.json?jurisdiction_id=elsewhere", "json"),
                                      ("/open311/v2/services.xml?jurisdiction_id=elsewhere", "xml"),
                                      ("/open311/v2/services.yaml", "json"),
                                      ("/open311/v2/services/abc.json", "json")])
def test_errors_are_the_specifications(client, categories, url, fmt):
    r = client.get(url)
    assert r.status_code == 404
    if fmt == "json":
        errors = r.json()
        assert isinstance(errors, list) and set(errors[0]) == {"code", "description"} and errors[0]["code"] == 404
    else:
        root = ET.fromstring(r.content)
        assert root.tag == "errors" and root.find("error/code").text == "404" and root.find("error/description").text


def test_the_zones_jurisdiction_is_served_and_posting_is_refused(client, categories, settings):
    assert client.get(f"/open311/v2/services.json?jurisdiction_id={settings.ZONE_REGION_CODE}").status_code == 200
    assert client.post("/open311/v2/services.json").status_code == 405
