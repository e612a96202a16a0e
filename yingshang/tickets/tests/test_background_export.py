"""A large ledger is exported in the background: asked for from the page, written by a job with its progress,
downloadable only by whoever asked, who is told when it is ready."""

import csv
import io

import pytest
from openpyxl import load_workbook

from yingshang.core import exports
from yingshang.core.models import AuditEntry, Export, Job, Notification
from yingshang.tickets.models import Ticket


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def small_limit(settings):
    settings.EXPORT_DIRECT_ROWS = 2
    return 2


@pytest.mark.django_db
def test_a_large_result_is_not_downloaded_directly_and_the_page_offers_the_background(client, world, small_limit):
    for _ in range(3):
        world.ticket("in_progress")
    client.force_login(world.dispatcher)
    response = client.get("/tickets/ledger/?status=in_progress&export=csv")
    page = response.content.decode()
    assert response.status_code == 400 and not response.streaming
    assert "3" in page and 'data-testid="export-background"' in page
    assert 'name="query" value="status=in_progress"' in page  # the filter goes with it, the refused export does not
    assert Export.objects.count() == 0
    # a result within the limit is still downloaded directly
    response = client.get("/tickets/ledger/?status=closed&export=csv")
    assert response.status_code == 200 and _csv(response)[0][0] == "编号"


@pytest.mark.django_db
def test_the_background_export_writes_the_filtered_rows_and_tells_its_owner(
        client, world, small_limit, django_capture_on_commit_callbacks):
    wanted = [world.ticket("in_progress") for _ in range(3)]
    world.ticket("closed")
    client.force_login(world.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/new/", {"scope": "tickets.ledger", "format": "csv",
                                                 "query": "status=in_progress&page=2&export=csv"})
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == f"/exports/{export.pk}/"
    assert export.owner == world.dispatcher and export.query == "status=in_progress"
    assert export.state == "done" and export.rows_done == export.rows_total == 3 and export.job.state == "done"
    assert export.filename.startswith("诉求台账-") and export.filename.endswith(".csv")
    page = client.get(response.url).content.decode()
    assert 'data-testid="export-ready"' in page and f"/exports/{export.pk}/download/" in page
    rows = _csv(client.get(f"/exports/{export.pk}/download/"))
    assert rows[0][0] == "编号" and sorted(r[0] for r in rows[1:]) == sorted(t.number for t in wanted)
    note = Notification.objects.get(recipient=world.dispatcher, event="core.export.done")
    assert note.link == f"/exports/{export.pk}/" and "3" in note.title
    entry = AuditEntry.objects.get(action="core.export.requested")
    assert entry.actor == world.dispatcher and entry.data["query"] == "status=in_progress"
    listing = client.get("/exports/").content.decode()
    assert listing.count('data-testid="export-row"') == 1


@pytest.mark.django_db
def test_an_export_is_its_owners_alone(client, world, make_user, small_limit, django_capture_on_commit_callbacks):
    world.ticket("in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(actor=world.dispatcher, scope="tickets.ledger", fmt="xlsx", query="")
    export.refresh_from_db()
    assert export.state == "done"
    other = make_user("dispatcher")
    client.force_login(other)
    for url in (f"/exports/{export.pk}/", f"/exports/{export.pk}/download/"):
        assert client.get(url).status_code == 404
    assert 'data-testid="export-row"' not in client.get("/exports/").content.decode()
    client.force_login(world.dispatcher)
    response = client.get(f"/exports/{export.pk}/download/")
    values = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert values[0][0] == "编号" and len(values) == 2


@pytest.mark.django_db
def test_who_may_not_export_and_bad_requests_change_nothing(client, world):
    client.force_login(world.handler)  # may read the ledger, may not export it
    assert client.post("/exports/new/", {"scope": "tickets.ledger", "format": "csv", "query": ""}).status_code == 403
    client.force_login(world.member)
    assert client.post("/exports/new/", {"scope": "tickets.ledger", "format": "csv", "query": ""}).status_code == 403
    client.force_login(world.dispatcher)
    for data in ({"scope": "tickets.ledger", "format": "pdf"}, {"scope": "nothing.here", "format": "csv"},
                 {"scope": "tickets.ledger", "format": "csv", "query": "q=" + "长" * 800},
                 {"scope": "tickets.ledger", "format": "csv", "query": "department=abc"},
                 {"scope": "tickets.ledger", "format": "csv", "query": "created_from=1800-01-01"}):
        response = client.post("/exports/new/", data)
        assert response.status_code == 400, data
        assert "alert" in response.content.decode()
    assert client.get("/exports/new/").status_code == 405
    for url in ("/exports/abc/", "/exports/99999999999999999999/", "/exports/1/download/"):
        assert client.get(url).status_code == 404
    assert Export.objects.count() == 0 and Job.objects.filter(name=exports.JOB).count() == 0


@pytest.mark.django_db
def test_the_job_writes_once_and_refuses_an_owner_who_lost_the_right(world, small_limit,
                                                                       django_capture_on_commit_callbacks):
    world.ticket("in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(actor=world.dispatcher, scope="tickets.ledger", fmt="csv", query="")
    export.refresh_from_db()
    name = export.file.name
    assert exports.run_job({"export": export.pk}) == {"rows": 1}  # a second run writes nothing new
    export.refresh_from_db()
    assert export.file.name == name
    assert Notification.objects.filter(event="core.export.done").count() == 1

    late = exports.request_export(actor=world.dispatcher, scope="tickets.ledger", fmt="csv", query="")
    world.dispatcher.groups.clear()
    world.dispatcher.is_active = False
    world.dispatcher.save()
    result = exports.run_job({"export": late.pk})
    late.refresh_from_db()
    assert "refused" in result and late.state == "failed" and not late.file and exports.failed(late)


@pytest.mark.django_db
def test_progress_is_saved_while_the_rows_are_written(world, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    for _ in range(3):
        world.ticket("in_progress")
    export = exports.request_export(actor=world.dispatcher, scope="tickets.ledger", fmt="csv", query="")
    seen = []
    real = exports._Counted.__iter__

    def watching(self):
        for row in real(self):
            seen.append(Export.objects.values_list("state", "rows_done", "rows_total").get(pk=export.pk))
            yield row
    monkeypatch.setattr(exports._Counted, "__iter__", watching)
    exports.run_job({"export": export.pk})
    assert seen[0] == ("running", 0, 3) and seen[-1] == ("running", 2, 3)
    export.refresh_from_db()
    assert export.percent == 100 and export.rows_done == 3


@pytest.mark.django_db
def test_the_api_asks_follows_and_downloads_an_export(client, world, make_user, django_capture_on_commit_callbacks):
    from yingshang.core.tokens import token_create

    world.ticket("in_progress")
    world.ticket("closed")
    _t, key = token_create(actor=world.dispatcher, label="导出")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/exports/", {"scope": "tickets.ledger", "format": "csv",
                                                    "query": "status=closed"}, content_type="application/json", **auth)
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    data = client.get(f"/api/v1/exports/{pk}/", **auth).json()
    assert data["state"] == "done" and data["rows_done"] == 1 and data["download"] == f"/api/v1/exports/{pk}/download/"
    rows = _csv(client.get(data["download"], **auth))
    assert len(rows) == 2 and rows[1][0] == Ticket.objects.get(status="closed").number
    assert [e["id"] for e in client.get("/api/v1/exports/", **auth).json()["results"]] == [pk]

    _t, handler_key = token_create(actor=world.handler, label="x")
    refused = client.post("/api/v1/exports/", {"scope": "tickets.ledger", "format": "pdf"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Token {handler_key}")
    assert refused.status_code == 403  # who may act is answered before what was sent is read
    assert client.get(f"/api/v1/exports/{pk}/download/", HTTP_AUTHORIZATION=f"Token {handler_key}").status_code == 404
    for body in ({"scope": "tickets.ledger", "format": "pdf"}, {"scope": "nothing", "format": "csv"},
                 {"scope": "tickets.ledger", "format": "csv", "query": "x" * 3000},
                 {"scope": "tickets.ledger", "format": "csv", "query": "department=abc"}, ["not", "an", "object"]):
        response = client.post("/api/v1/exports/", body, content_type="application/json", **auth)
        assert response.status_code == 400, (body, response.content)
    assert client.get("/api/v1/exports/abc/", **auth).status_code == 404
    assert Export.objects.count() == 1


@pytest.mark.django_db
def test_a_double_click_and_odd_input_ask_for_one_export_or_none(client, world):
    world.ticket("in_progress")
    client.force_login(world.dispatcher)
    data = {"scope": "tickets.ledger", "format": "csv", "query": "status=in_progress"}
    first = client.post("/exports/new/", data)  # no commit callbacks run here: the job is still waiting
    second = client.post("/exports/new/", data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Export.objects.count() == 1
    assert client.post("/exports/new/", {}).status_code == 400
    assert client.post("/exports/new/", {**data, "query": "q=a\x00b"}).status_code == 400
    assert client.post("/exports/new/", {**data, "format": "xlsx\x00"}).status_code == 400
    assert Export.objects.count() == 1
    client.force_login(world.other_member)
    assert client.get(first.url).status_code == 404
