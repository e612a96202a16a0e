"""A city's credit records (a million) are exported in the background above the direct limit, like the problem
ledger: the same rows as the direct download of the same filter, for whoever asked alone; a bad filter or a
firm's staff is refused and nothing is written."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.core import exports
from yingshang.core.models import Export, Job

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_many_records_are_exported_in_the_background_with_the_pages_filter(
        client, w, settings, django_capture_on_commit_callbacks):
    mine = [w.record() for _ in range(3)]
    w.record(firm=w.other_firm)
    settings.EXPORT_DIRECT_ROWS = 2
    client.force_login(w.leader)
    response = client.get(f"/credit/records/?enterprise={w.firm.pk}&export=csv")
    page = response.content.decode()
    assert response.status_code == 400 and not response.streaming
    assert 'data-testid="export-background"' in page and 'value="credit.records"' in page
    assert f'name="query" value="enterprise={w.firm.pk}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/new/", {"scope": "credit.records", "format": "csv",
                                                 "query": f"enterprise={w.firm.pk}"})
    export = Export.objects.get()
    assert response.status_code == 302 and export.state == "done" and export.rows_total == 3
    assert export.filename.startswith("信用记录-")
    rows = _csv(client.get(f"/exports/{export.pk}/download/"))
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    assert sorted(r[5] for r in rows[1:]) == sorted(r.decision_number for r in mine)
    settings.EXPORT_DIRECT_ROWS = 10
    assert _csv(client.get(f"/credit/records/?enterprise={w.firm.pk}&export=csv")) == rows


def test_a_firm_may_not_and_a_bad_filter_is_refused(client, w, settings):
    w.record()
    with pytest.raises(PermissionDenied):
        exports.request_export(actor=w.member, scope="credit.records", fmt="csv", query="")
    client.force_login(w.member)
    assert client.post("/exports/new/", {"scope": "credit.records", "format": "csv"}).status_code == 403
    client.force_login(w.leader)
    for query in ("kind=nope", "department=abc", "enterprise=99999999999999999999", "enterprise=\x00"):
        assert client.post("/exports/new/", {"scope": "credit.records", "format": "csv",
                                             "query": query}).status_code == 400, query
        assert client.get(f"/credit/records/?{query}").status_code == 400, query
    assert not Export.objects.exists() and not Job.objects.exists()
