"""Open data: every dataset equals the published records (and nothing unpublished), the CSV opens in Excel (a
BOM), the catalogue has the DCAT-US 1.1 shape (checked against the schema's required fields and formats) and
its JSON-LD twin, and the download pages."""

import csv
import io
import json
from datetime import date, timedelta

import jsonschema
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from yingshang.portal import services
from yingshang.portal.datasets import DATASETS

# The parts of the DCAT-US 1.1 dataset schema (project-open-data.cio.gov/v1.1/schema/dataset.json) a public
# dataset must satisfy: the required fields, their types and formats.
DATASET_SCHEMA = {
    "type": "object",
    "required": ["title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier",
                 "accessLevel"],
    "properties": {
        "@type": {"enum": ["dcat:Dataset"]},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "keyword": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "modified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$"},
        "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "contactPoint": {"type": "object", "required": ["fn", "hasEmail"],
                         "properties": {"hasEmail": {"type": "string", "pattern": r"^mailto:[\w_~!$&'()*+,;=:.-]+@"}}},
        "identifier": {"type": "string", "minLength": 1},
        "accessLevel": {"enum": ["public", "restricted public", "non-public"]},
        "license": {"type": "string", "pattern": r"^https?://"},
        "distribution": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["downloadURL", "mediaType"],
            "properties": {"downloadURL": {"type": "string", "pattern": r"^https?://"},
                           "mediaType": {"type": "string", "pattern": r"^[-\w]+/[-\w.+]+$"}}}},
    },
}
CATALOG_SCHEMA = {"type": "object", "required": ["conformsTo", "dataset"],
                  "properties": {"conformsTo": {"const": "https://project-open-data.cio.gov/v1.1/schema"},
                                 "dataset": {"type": "array", "items": DATASET_SCHEMA}}}


def _read(name: str) -> bytes:
    with default_storage.open(f"{services.FOLDER}/{name}", "rb") as f:
        return f.read()


@pytest.fixture
def records(db, make_user, enterprise):
    from yingshang.credit import services as credit

    handler = make_user("handler")
    today = timezone.localdate()
    public = credit.record_create(actor=handler, enterprise=enterprise, kind="penalty", severity="general",
                                  decision_number="罚〔2026〕1号", decided_on=today - timedelta(days=30),
                                  description="处罚")
    ended = credit.record_create(actor=handler, enterprise=enterprise, kind="penalty", severity="general",
                                 decision_number="罚〔2020〕9号", decided_on=date(2020, 1, 1), description="旧",
                                 public_from=date(2020, 1, 2), public_to=date(2021, 1, 1))
    return public, ended


def test_the_datasets_are_the_published_records(records):
    public, ended = records
    counts = services.datasets_publish()
    assert set(counts) == {d.key for d in DATASETS}
    data = _read("credit-records.csv")
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    from yingshang.credit import selectors

    assert [r["decision_number"] for r in rows] == list(
        selectors.public_records(None).values_list("decision_number", flat=True))
    assert "罚〔2026〕1号" in {r["decision_number"] for r in rows} and "罚〔2020〕9号" not in {
        r["decision_number"] for r in rows}
    as_json = json.loads(_read("credit-records.json"))
    assert [r["decision_number"] for r in as_json["rows"]] == [r["decision_number"] for r in rows]
    assert list(as_json["rows"][0]) == [f.name for f in next(d for d in DATASETS if d.key == "credit-records").fields]
    assert counts["credit-records"] == len(rows)


def test_the_catalogue_has_the_dcat_shape(records, client):
    services.datasets_publish()
    catalog = json.loads(_read("data.json"))
    jsonschema.validate(catalog, CATALOG_SCHEMA)
    assert len(catalog["dataset"]) == len(DATASETS)
    for d in catalog["dataset"]:
        for dist in d["distribution"]:
            path = dist["downloadURL"].split("127.0.0.1:8000", 1)[1]
            r = client.get(path)
            assert r.status_code == 200, path
            assert r["Content-Type"].startswith(dist["mediaType"]) and b"".join(r.streaming_content)
    ld = json.loads(_read("catalog.jsonld"))
    assert ld["@type"] == "dcat:Catalog" and set(ld["@context"]) >= {"dcat", "dct", "vcard", "foaf"}
    assert [d["dct:identifier"] for d in ld["dcat:dataset"]] == [d["identifier"] for d in catalog["dataset"]]


def test_the_daily_sweep_publishes_once_a_day(records):
    from yingshang.portal.models import Publication

    assert services.datasets_refresh() is not None
    first = list(Publication.objects.values_list("modified", flat=True))
    assert services.datasets_refresh() is None  # already today
    assert list(Publication.objects.values_list("modified", flat=True)) == first


def test_the_download_pages(records, client):
    assert client.get("/public/data/").status_code == 200
    assert client.get("/public/data/credit-records.csv").status_code == 404  # not published yet
    services.datasets_publish()
    page = client.get("/public/data/").content.decode()
    assert 'data-dataset="credit-records"' in page
    assert client.get("/public/data/credit-records/").status_code == 200
    for bad in ["/public/data/nope/", "/public/data/credit-records.xml", "/public/data/nope.csv"]:
        assert client.get(bad).status_code == 404
