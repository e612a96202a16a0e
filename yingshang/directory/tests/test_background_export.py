"""The enterprise directory of a city (100,000 firms) is exported in the background like the problem ledger: a
result above the direct limit is refused as a download and offered as a background export, whose file holds
the same rows as the direct download would, in the page's order and filter, for whoever asked alone."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.core import exports
from yingshang.core.models import Export, Job
from yingshang.directory.models import Enterprise
from yingshang.directory.tests.factories import EnterpriseFactory, GroupFactory

pytestmark = pytest.mark.django_db


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def firms(settings):
    group = GroupFactory(name="一汽集团")
    inside = [EnterpriseFactory(group=group, name=f"一汽配套{i}") for i in range(3)]
    EnterpriseFactory(name="别的企业")
    settings.EXPORT_DIRECT_ROWS = 2
    return group, inside


def test_a_large_directory_is_exported_in_the_background_with_the_pages_filter(
        client, make_user, firms, django_capture_on_commit_callbacks):
    group, inside = firms
    client.force_login(make_user("dispatcher"))
    response = client.get(f"/directory/enterprises/?group={group.pk}&export=csv")
    page = response.content.decode()
    assert response.status_code == 400 and not response.streaming and "3" in page
    assert 'data-testid="export-background"' in page and 'value="directory.enterprises"' in page
    assert f'name="query" value="group={group.pk}"' in page
    assert "export-background" not in client.get("/directory/enterprises/?q=别的").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/new/", {"scope": "directory.enterprises", "format": "csv",
                                                 "query": f"group={group.pk}&order=name"})
    export = Export.objects.get()
    assert response.status_code == 302 and export.state == "done" and export.rows_total == 3
    assert export.filename.startswith("企业名录-") and export.filename.endswith(".csv")
    rows = _csv(b"".join(client.get(f"/exports/{export.pk}/download/").streaming_content))
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    assert [r[0] for r in rows[1:]] == sorted(e.name for e in inside)
    assert "企业名录" in client.get("/exports/").content.decode()

    # The same rows as the direct download of the same filter would give.
    with pytest.MonkeyPatch.context() as m:
        m.setattr(exports, "direct_rows", lambda: 10)
        direct = client.get(f"/directory/enterprises/?group={group.pk}&order=name&export=csv")
    assert _csv(b"".join(direct.streaming_content) if direct.streaming else direct.content) == rows


def test_only_officials_export_the_directory_and_a_bad_filter_is_refused(client, make_user, enterprise, firms):
    member = make_user("enterprise", enterprise=enterprise)
    with pytest.raises(PermissionDenied):
        exports.request_export(actor=member, scope="directory.enterprises", fmt="csv", query="")
    client.force_login(member)
    assert client.post("/exports/new/", {"scope": "directory.enterprises", "format": "csv"}).status_code == 403
    client.force_login(make_user("dispatcher"))
    for query in ("group=abc", "status=nope", "bureau=99999999"):
        response = client.post("/exports/new/", {"scope": "directory.enterprises", "format": "csv", "query": query})
        assert response.status_code == 400
    assert not Export.objects.exists() and not Job.objects.exists()
    assert Enterprise.objects.count() == 5
