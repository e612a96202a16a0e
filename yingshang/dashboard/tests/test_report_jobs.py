"""A report asked for on the page is written by a background job: the report at once (numbered, titled, being
written), its figures and files by the job, the person who asked told; a second run changes nothing; a job
that gives up leaves the report "not written" for an administrator to retry; the rules hold in the service."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from yingshang.core import jobs
from yingshang.core.models import Job, Notification
from yingshang.dashboard import reports, services
from yingshang.dashboard.models import Event, Report

from .test_pages_and_api import march  # noqa: F401  (the fixture: March 2026's problems)

pytestmark = pytest.mark.django_db
ASK = {"kind": "monthly", "from": "2026-03-01", "to": "2026-03-31"}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_page_asks_and_the_job_writes_the_report_and_tells_who_asked(make_user, cw, march,
                                                                           django_capture_on_commit_callbacks):
    leader = make_user("leader", department=cw.dept)
    c = _client(leader)
    with django_capture_on_commit_callbacks(execute=False) as hand_ons:  # no worker has run it yet
        r = c.post("/cockpit/reports/", ASK)
    assert r.status_code == 302 and len(hand_ons) == 1
    report = Report.objects.get()
    assert report.state == Report.State.WRITING and report.title == "营商环境月报（2026年3月）"
    assert report.number.startswith("BG-2026-") and not report.docx and report.job.name == services.REPORT_JOB
    assert Event.objects.get(report=report).action == "dashboard.report.requested"
    page = c.get("/cockpit/reports/").content.decode()
    assert 'data-testid="report-writing"' in page and 'http-equiv="refresh"' in page
    assert f"/cockpit/reports/{report.pk}/docx/" not in page
    assert c.get(f"/cockpit/reports/{report.pk}/docx/").status_code == 404  # nothing to download yet

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.run(report.job_id) == Job.State.DONE
    report.refresh_from_db()
    assert report.state == Report.State.READY and report.docx and report.pdf and report.xlsx
    assert "本月共受理企业诉求 3 件" in report.summary
    assert {f["key"]: f["value"] for f in report.figures}["tickets.registered"] == 3
    assert list(Event.objects.filter(report=report).order_by("pk").values_list("action", "actor")) == [
        ("dashboard.report.requested", leader.pk), ("dashboard.report.written", None)]
    told = Notification.objects.get(recipient=leader, event="dashboard.report.written")
    assert told.title == "《营商环境月报（2026年3月）》已生成。"
    page = c.get("/cockpit/reports/").content.decode()
    assert 'http-equiv="refresh"' not in page and f"/cockpit/reports/{report.pk}/docx/" in page
    assert c.get(f"/cockpit/reports/{report.pk}/pdf/").status_code == 200

    # A second run of the job (a worker lost before marking it done) writes nothing again.
    first = report.docx.name
    assert services.report_job({"report": report.pk}) == {"report": report.pk, "written before": True}
    report.refresh_from_db()
    assert report.docx.name == first and Event.objects.filter(report=report).count() == 2
    assert Notification.objects.filter(recipient=leader, event="dashboard.report.written").count() == 1


def test_without_a_worker_the_report_is_written_before_the_page_comes_back(make_user, cw, march,
                                                                             django_capture_on_commit_callbacks):
    leader = make_user("leader", department=cw.dept)
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(leader).post("/cockpit/reports/", {**ASK, "kind": "custom"}, follow=True)
    assert r.status_code == 200 and Report.objects.get().state == Report.State.READY
    assert "已生成" in r.content.decode()


def test_the_report_is_written_in_the_language_of_who_asked(make_user, cw, march,
                                                             django_capture_on_commit_callbacks):
    from django.utils import translation

    leader = make_user("leader", department=cw.dept)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=leader, kind="monthly", start=date(2026, 3, 1),
                                         end=date(2026, 3, 31))
    report.refresh_from_db()
    assert report.state == Report.State.READY and report.title.startswith("Business environment")
    assert "problems raised by firms" in report.summary


def test_a_report_whose_job_gives_up_says_so(make_user, cw, march, monkeypatch,
                                             django_capture_on_commit_callbacks):
    def broken(content):
        raise OSError("the disk is full")

    monkeypatch.setattr(reports, "render", broken)
    leader = make_user("leader", department=cw.dept)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=leader, kind="custom", start=date(2026, 3, 1),
                                         end=date(2026, 3, 31))
    for _ in range(report.job.max_attempts - 1):
        Job.objects.filter(pk=report.job_id).update(run_after=report.created_at)
        jobs.sweep()
    report.refresh_from_db()
    assert report.job.state == Job.State.FAILED and "disk is full" in report.job.last_error and report.failed
    page = _client(leader).get("/cockpit/reports/").content.decode()
    assert 'data-testid="report-failed"' in page and 'http-equiv="refresh"' not in page
    assert _client(leader).get(f"/cockpit/reports/{report.pk}/docx/").status_code == 404


@pytest.mark.parametrize("role", ["enterprise", "dispatcher", "handler", "steward"])
def test_who_may_not_read_the_cockpit_asks_for_nothing(make_user, cw, role):
    user = make_user(role, department=cw.dept) if role in ("handler",) else make_user(role)
    with pytest.raises(PermissionDenied):
        services.report_request(actor=user, kind="nope", start="garbage", end=None)  # who, before what
    assert _client(user).post("/cockpit/reports/", ASK).status_code == 403
    assert not Report.objects.exists() and not Job.objects.exists() and not Event.objects.exists()


def test_a_bad_request_writes_nothing(make_user, cw):
    leader = make_user("leader", department=cw.dept)
    for kwargs, field in (({"kind": "yearly"}, "kind"), ({"end": date(2026, 2, 1)}, "end"),
                          ({"group_id": 999999}, "group"), ({"bureau_id": 999999}, "bureau")):
        with pytest.raises(ValidationError) as caught:
            services.report_request(actor=leader, **{"kind": "custom", "start": date(2026, 3, 1),
                                                     "end": date(2026, 3, 31), **kwargs})
        assert field in caught.value.message_dict
    c = _client(leader)
    for bad in ({**ASK, "to": "nope"}, {**ASK, "kind": "yearly"}, {**ASK, "group": "abc"}, {**ASK, "from": "\x00"}):
        assert c.post("/cockpit/reports/", bad).status_code == 400
    assert not Report.objects.exists() and not Job.objects.exists()
