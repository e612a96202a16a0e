"""Publishing the open datasets: each written as CSV (UTF-8 with a BOM, for Excel) and JSON under ``opendata/``
in the storage, with the machine-readable catalogue (DCAT-US 1.1 ``data.json`` and DCAT JSON-LD). The daily
sweep publishes them again once a day; publishing twice in a day is harmless (the same files again)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from .datasets import DATASETS, LICENCE
from .models import Publication

FOLDER = "opendata"


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def _save(name: str, data: bytes) -> None:
    path = f"{FOLDER}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)  # a file, not a record: the new publication replaces it
    default_storage.save(path, ContentFile(data))


def render(dataset) -> tuple[bytes, bytes, int]:
    """The dataset's CSV (with a BOM; the header row is the field names of the data dictionary) and JSON, and its
    rows."""
    with override(settings.LANGUAGE_CODE):
        rows = list(dataset.rows())
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([f.name for f in dataset.fields])
        writer.writerows([[_cell(v) for v in row] for row in rows])
    csv_bytes = ("\ufeff" + out.getvalue()).encode("utf-8")
    records = [{f.name: _json_value(v) for f, v in zip(dataset.fields, row)} for row in rows]
    json_bytes = json.dumps({"dataset": dataset.key, "rows": records}, ensure_ascii=False, indent=0).encode("utf-8")
    return csv_bytes, json_bytes, len(rows)


def url(path: str) -> str:
    return (settings.SITE_URL or "").rstrip("/") + path


def datasets_publish(*, now: datetime | None = None) -> dict[str, int]:
    """Publish every dataset now (its files and its publication record), then the catalogues. Returns the rows
    of each."""
    now = now or timezone.now()
    counts = {}
    for d in DATASETS:
        csv_bytes, json_bytes, n = render(d)
        _save(f"{d.key}.csv", csv_bytes)
        _save(f"{d.key}.json", json_bytes)
        with transaction.atomic():
            Publication.objects.update_or_create(key=d.key, defaults={
                "modified": now, "rows": n, "csv_sha256": hashlib.sha256(csv_bytes).hexdigest(),
                "json_sha256": hashlib.sha256(json_bytes).hexdigest(), "csv_bytes": len(csv_bytes)})
        counts[d.key] = n
    _save("data.json", json.dumps(dcat_us(), ensure_ascii=False, indent=1).encode("utf-8"))
    _save("catalog.jsonld", json.dumps(dcat_jsonld(), ensure_ascii=False, indent=1).encode("utf-8"))
    return counts


def datasets_refresh() -> dict[str, int] | None:
    """The daily sweep: publish unless every dataset was published today (Shanghai day) already."""
    today = timezone.localdate()
    published = sum(1 for p in Publication.objects.all() if timezone.localtime(p.modified).date() == today)
    if published == len(DATASETS):
        return None
    return datasets_publish()


def _contact() -> dict:
    return {"fn": str(settings.ZONE_NAME), "email": getattr(settings, "OPEN_DATA_EMAIL", "") or
            settings.DEFAULT_FROM_EMAIL}


def dcat_us() -> dict:
    """The catalogue of the datasets in the DCAT-US 1.1 shape (Project Open Data ``data.json``)."""
    pubs = {p.key: p for p in Publication.objects.all()}
    contact = _contact()
    with override(settings.LANGUAGE_CODE):
        return {
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@type": "dcat:Catalog",
            "dataset": [{
                "@type": "dcat:Dataset", "title": str(d.title), "description": str(d.description),
                "keyword": list(d.keywords),
                "modified": timezone.localtime(pubs[d.key].modified).isoformat() if d.key in pubs else "",
                "publisher": {"@type": "org:Organization", "name": str(settings.ZONE_NAME)},
                "contactPoint": {"@type": "vcard:Contact", "fn": contact["fn"], "hasEmail": f"mailto:{contact['email']}"},
                "identifier": url(reverse("portal:dataset", args=[d.key])), "accessLevel": "public",
                "license": LICENCE, "describedBy": url(reverse("portal:dataset", args=[d.key])),
                "describedByType": "text/html", "language": ["zh"],
                "distribution": [
                    {"@type": "dcat:Distribution", "title": f"{d.title}（CSV）", "format": "CSV", "mediaType": "text/csv",
                     "downloadURL": url(reverse("portal:dataset_file", args=[d.key, "csv"]))},
                    {"@type": "dcat:Distribution", "title": f"{d.title}（JSON）", "format": "JSON",
                     "mediaType": "application/json",
                     "downloadURL": url(reverse("portal:dataset_file", args=[d.key, "json"]))}],
            } for d in DATASETS]}


def dcat_jsonld() -> dict:
    """The same catalogue in DCAT (W3C) as JSON-LD."""
    us = dcat_us()
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#"},
        "@id": url(reverse("portal:datasets")), "@type": "dcat:Catalog",
        "dct:title": f"{settings.ZONE_NAME} 开放数据", "dct:publisher": {"@type": "foaf:Organization",
                                                                       "foaf:name": str(settings.ZONE_NAME)},
        "dcat:dataset": [{
            "@id": d["identifier"], "@type": "dcat:Dataset", "dct:identifier": d["identifier"],
            "dct:title": d["title"], "dct:description": d["description"], "dcat:keyword": d["keyword"],
            "dct:modified": d["modified"], "dct:accessRights": d["accessLevel"], "dct:license": {"@id": d["license"]},
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": d["publisher"]["name"]},
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": d["contactPoint"]["fn"],
                                  "vcard:hasEmail": {"@id": d["contactPoint"]["hasEmail"]}},
            "dcat:distribution": [{"@type": "dcat:Distribution", "dct:title": x["title"], "dct:format": x["format"],
                                   "dcat:mediaType": x["mediaType"], "dcat:downloadURL": {"@id": x["downloadURL"]}}
                                  for x in d["distribution"]],
        } for d in us["dataset"]]}
