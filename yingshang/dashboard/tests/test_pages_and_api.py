"""The cockpit through both doors: who may read it (role matrix), the figures API's shape and its bad input,
the pages, the reports (DOCX read back with python-docx, the PDF's text, the XLSX) and the subscriptions."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from yingshang.dashboard import services
from yingshang.dashboard.models import Event, Report, Subscription

from .conftest import sh, t_closed, t_on_time, t_registered

pytestmark = pytest.mark.django_db
READERS = {"leader", "supervisor", "admin"}
ROLES = ["enterprise", "steward", "dispatcher", "handler", "dept_head", "leader", "inspector", "supervisor", "admin"]
Q = "from=2026-03-01&to=2026-03-31"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _user(make_user, cw, role):
    return make_user(role, enterprise=cw.firm) if role == "enterprise" else make_user(role, department=cw.dept)


@pytest.fixture
def march(cw):
    """Problems of March 2026: three registered, two closed, one resolved on time and one late."""
    for d in (1, 15, 31):
        t_registered(cw, sh(date(2026, 3, d)), cw.firm if d != 31 else cw.other_firm)
    t_closed(cw, sh(date(2026, 3, 2)), cw.firm)
    t_closed(cw, sh(date(2026, 2, 27)), cw.firm)
    t_on_time(cw, sh(date(2026, 3, 3)), cw.firm, above=True)
    t_on_time(cw, sh(date(2026, 3, 4)), cw.other_firm, above=False)
    services.rollup_refresh(full=True)


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_cockpit(make_user, cw, march, role):
    c = _client(_user(make_user, cw, role))
    allowed = role in READERS
    assert c.get(f"/cockpit/?{Q}").status_code == (200 if allowed else 403)
    assert c.get(f"/cockpit/wall/?{Q}").status_code == (200 if allowed else 403)
    assert c.get(f"/cockpit/figures/tickets.registered/?{Q}").status_code == (200 if allowed else 403)
    assert c.get("/cockpit/reports/").status_code == (200 if allowed else 403)
    r = c.get(f"/api/v1/cockpit/figures?{Q}")
    assert r.status_code == (200 if allowed else 403)
    if not allowed:
        assert r.json()["code"] == "permission_denied"
    n = Report.objects.count()
    r = c.post("/cockpit/reports/", {"kind": "custom", "from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == (302 if allowed else 403)
    assert Report.objects.count() == n + (1 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_services_refuse_who_may_not_read(make_user, cw, role):
    user = _user(make_user, cw, role)
    if role in READERS:
        assert services.subscription_start(actor=user, kind="monthly").active
        return
    with pytest.raises(PermissionDenied):
        services.report_write(actor=user, kind="custom", start=date(2026, 3, 1), end=date(2026, 3, 31))
    with pytest.raises(PermissionDenied):
        services.subscription_start(actor=user, kind="monthly")
    assert not Report.objects.exists() and not Subscription.objects.exists() and not Event.objects.exists()


def test_the_figures_api(make_user, cw, march):
    c = _client(make_user("leader", department=cw.dept))
    rows = {r["key"]: r for r in c.get(f"/api/v1/cockpit/figures?{Q}").json()}
    reg = rows["tickets.registered"]
    assert set(reg) >= {"key", "name", "value", "unit", "previous", "year_before", "drill_url"}
    assert (reg["value"], reg["previous"], reg["year_before"]) == (3, 0, 0)
    assert rows["tickets.closed"]["value"] == 1 and rows["tickets.closed"]["previous"] == 1
    assert rows["tickets.on_time_resolution_rate"]["value"] == 50.0
    assert reg["drill_url"].startswith("/cockpit/figures/tickets.registered/?from=2026-03-01&to=2026-03-31")
    group = {r["key"]: r for r in c.get(f"/api/v1/cockpit/figures?{Q}&group={cw.group.pk}").json()}
    assert group["tickets.registered"]["value"] == 2
    assert group["inspections.plans"]["applies"] is False and group["inspections.plans"]["value"] is None
    one = c.get("/api/v1/cockpit/figures/tickets.registered/?from=2026-01-01&to=2026-03-31").json()
    # the four closed or resolved ones were registered on 5 January
    assert one["value"] == 7 and [p["value"] for p in one["series"]] == [4, 0, 3]
    assert [p["month"] for p in one["series"]] == ["2026-01", "2026-02", "2026-03"]


@pytest.mark.parametrize("query, field", [
    ("from=2026-13-01&to=2026-03-31", "from"), ("from=2026-03-31&to=2026-03-01", "to"), ("from=2026-03-01", "to"),
    ("from=2026-03-01%00&to=2026-03-31", "from"), ("from=1900-01-01&to=1900-02-01", "from"),
    ("preset=decade", "preset"), ("group=abc", "group"), ("bureau=99999999999999999999999", "bureau"),
    ("from=2000-01-01&to=2099-12-31", "to"),
])
def test_bad_input_is_a_400_with_its_field(make_user, cw, query, field):
    c = _client(make_user("leader", department=cw.dept))
    r = c.get(f"/api/v1/cockpit/figures?{query}")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid" and field in r.json()["fields"]
    assert c.get(f"/cockpit/?{query}").status_code == 400


def test_an_unknown_figure_is_a_404(make_user, cw):
    c = _client(make_user("leader", department=cw.dept))
    assert c.get("/api/v1/cockpit/figures/tickets.nothing/").status_code == 404
    assert c.get("/cockpit/figures/tickets.nothing/").status_code == 404


def test_the_cockpit_page_shows_the_figures_and_links_their_records(make_user, cw, march):
    c = _client(make_user("leader", department=cw.dept))
    r = c.get(f"/cockpit/?{Q}")
    html = r.content.decode()
    assert 'data-testid="fig-tickets.registered"' in html and 'data-testid="indicators"' in html
    assert r.context["answers"][0]["key"] == "tickets.registered" and r.context["answers"][0]["value"] == 3
    drill = c.get(f"/cockpit/figures/tickets.registered/?{Q}&group={cw.group.pk}")
    rows = drill.context["page"].rows
    assert len(rows) == 2 and all(row["firm"] == cw.firm.name for row in rows)


def test_a_preset_wins_over_the_dates_beside_it(make_user, cw):
    from django.utils import timezone

    c = _client(make_user("leader", department=cw.dept))
    q = c.get(f"/cockpit/?{Q}&preset=year").context["q"]
    assert q.period.start == timezone.localdate().replace(month=1, day=1)


def test_the_page_reads_the_rollup_in_a_fixed_number_of_queries(make_user, cw, march, django_assert_max_num_queries):
    c = _client(make_user("leader", department=cw.dept))
    c.get(f"/cockpit/?{Q}")  # sessions, roles and caches warm
    with django_assert_max_num_queries(60):
        c.get(f"/cockpit/?{Q}")
    for d in range(1, 28):
        t_registered(cw, sh(date(2026, 3, d)), cw.firm)
    services.rollup_refresh(full=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        c.get(f"/cockpit/?{Q}")
    for d in range(1, 28):
        t_closed(cw, sh(date(2026, 3, d)), cw.other_firm)
    services.rollup_refresh(full=True)
    with CaptureQueriesContext(connection) as after:
        c.get(f"/cockpit/?{Q}")
    assert len(after.captured_queries) == len(before.captured_queries)  # more records, not more queries


# --- reports ------------------------------------------------------------------------------------------

def test_a_monthly_report_states_the_figures_of_the_page(make_user, cw, march):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    leader = make_user("leader", department=cw.dept)
    report = services.report_write(actor=leader, kind="monthly", start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert report.number.startswith("BG-2026-") and report.title == "营商环境月报（2026年3月）"
    assert "本月共受理企业诉求 3 件，办结 1 件，按时办结率 50.0%" in report.summary
    doc = Document(io.BytesIO(_read(report.docx)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert report.title in text and report.summary in text
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["受理诉求"] == "3" and cells["按时办结率"] == "50.0%"
    assert len(doc.inline_shapes) == 1  # the chart
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_read(report.pdf))).pages)
    assert "本月共受理企业诉求" in pdf.replace(" ", "").replace("\n", "")
    wb = load_workbook(io.BytesIO(_read(report.xlsx)))
    values = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=4, values_only=True) if row[0]}
    assert values["受理诉求"] == "3"
    kept = {f["key"]: f["value"] for f in report.figures}
    assert kept["tickets.registered"] == 3 and kept["tickets.on_time_resolution_rate"] == "50.0"
    # The report keeps its figures: a later problem changes the page, not the report.
    t_registered(cw, sh(date(2026, 3, 20)), cw.firm)
    services.rollup_refresh(full=True)
    report.refresh_from_db()
    assert {f["key"]: f["value"] for f in report.figures}["tickets.registered"] == 3
    event = Event.objects.get(report=report)
    assert event.action == "dashboard.report.written" and event.actor == leader
    r = _client(leader).get(f"/cockpit/reports/{report.pk}/docx/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert _client(leader).get(f"/cockpit/reports/{report.pk}/exe/").status_code == 404


def test_scheduled_reports_are_written_once_and_sent_to_subscribers(make_user, cw, march,
                                                                   django_capture_on_commit_callbacks):
    from yingshang.core.models import Notification

    leader, other = make_user("leader", department=cw.dept), make_user("leader", department=cw.dept)
    services.subscription_start(actor=leader, kind="monthly")
    services.subscription_start(actor=other, kind="weekly")
    services.subscription_end(actor=other, subscription=Subscription.objects.get(user=other))
    with pytest.raises(PermissionDenied):
        services.subscription_end(actor=other, subscription=Subscription.objects.get(user=leader))
    with django_capture_on_commit_callbacks(execute=True):
        written = services.reports_on_schedule(today=date(2026, 4, 1))
    assert sorted((r.kind, r.start, r.end) for r in written) == [
        ("monthly", date(2026, 3, 1), date(2026, 3, 31)), ("weekly", date(2026, 3, 23), date(2026, 3, 29))]
    assert services.reports_on_schedule(today=date(2026, 4, 2)) == []  # once
    assert list(Notification.objects.filter(recipient=leader).values_list("title", flat=True)) == [
        "营商环境月报（2026年3月）"]
    assert not Notification.objects.filter(recipient=other).exists()


def test_reports_refuse_a_bad_period(make_user, cw):
    from django.core.exceptions import ValidationError

    leader = make_user("leader", department=cw.dept)
    with pytest.raises(ValidationError):
        services.report_write(actor=leader, kind="custom", start=date(2026, 3, 31), end=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.report_write(actor=leader, kind="yearly", start=date(2026, 3, 1), end=date(2026, 3, 31))
    r = _client(leader).post("/cockpit/reports/", {"kind": "monthly", "from": "2026-03-01", "to": "nope"})
    assert r.status_code == 400 and not Report.objects.exists()


def test_subscribing_through_the_page(make_user, cw):
    leader = make_user("leader", department=cw.dept)
    c = _client(leader)
    assert c.post("/cockpit/subscriptions/subscribe/", {"kind": "weekly"}).status_code == 302
    assert Subscription.objects.get(user=leader).active
    assert c.post("/cockpit/subscriptions/unsubscribe/", {"kind": "weekly"}).status_code == 302
    assert not Subscription.objects.get(user=leader).active
    assert c.post("/cockpit/subscriptions/subscribe/", {"kind": "custom"}).status_code == 400
    assert c.get("/cockpit/subscriptions/subscribe/").status_code == 405
    assert list(Event.objects.values_list("action", flat=True)) == [
        "dashboard.subscription.started", "dashboard.subscription.ended"]
