"""The sweeps as background jobs (``yingshang sweep --as-jobs``): one job per sweep and slot whatever the
number of servers asking, run after the commit, a failing sweep retried and then waiting for an administrator;
the plain ``yingshang sweep`` still runs them all here."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from yingshang.core import hooks, jobs, sweeps
from yingshang.core.models import Job

pytestmark = pytest.mark.django_db
RUNS: list = []


@pytest.fixture
def only_test_sweeps(monkeypatch):
    """The registry holds two test sweeps beside the jobs' own part (the real ones are tested where they live)."""
    RUNS.clear()

    def ok():
        RUNS.append("ok")
        return {"warned": 3, "when": timezone.now()}

    def broken():
        RUNS.append("broken")
        raise ConnectionError("the SMS gateway does not answer")

    monkeypatch.setattr(hooks, "_sweeps", {"jobs": jobs.sweep, "test-ok": ok, "test-broken": broken})


def test_the_slot_is_the_timers_period_in_local_time():
    tz = timezone.get_current_timezone()
    assert sweeps.slot(datetime(2026, 12, 8, 10, 14, 59, tzinfo=tz), 15) == datetime(2026, 12, 8, 10, 0, tzinfo=tz)
    assert sweeps.slot(datetime(2026, 12, 8, 10, 15, 0, tzinfo=tz), 15) == datetime(2026, 12, 8, 10, 15, tzinfo=tz)
    assert sweeps.slot(datetime(2026, 12, 8, 23, 59, tzinfo=tz), 60) == datetime(2026, 12, 8, 23, 0, tzinfo=tz)
    with pytest.raises(ValueError):
        sweeps.ask(every=0)


def test_as_jobs_each_sweep_is_asked_for_once_per_slot_and_run_after_the_commit(
        only_test_sweeps, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--as-jobs", stdout=out)
    asked = Job.objects.filter(name=sweeps.JOB)
    assert sorted(j.payload["name"] for j in asked) == ["test-broken", "test-ok"]  # not the jobs' own part
    ok = asked.get(payload__name="test-ok")
    assert ok.state == Job.State.DONE and ok.result["warned"] == 3 and isinstance(ok.result["when"], str)
    broken = asked.get(payload__name="test-broken")
    assert broken.state == Job.State.PENDING and "SMS gateway" in broken.last_error  # retried after its back-off
    assert "jobs handed on" in out.getvalue() and f"job {ok.pk}" in out.getvalue()
    assert sorted(RUNS) == ["broken", "ok"]

    # A second server's timer in the same slot: the same jobs, nothing run twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--as-jobs", stdout=StringIO())
    assert Job.objects.filter(name=sweeps.JOB).count() == 2 and sorted(RUNS) == ["broken", "ok"]

    # The next slot asks again.
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.ask(now=timezone.now() + timedelta(minutes=15))
    assert Job.objects.filter(name=sweeps.JOB).count() == 4 and RUNS.count("ok") == 2


def test_a_failing_sweep_is_retried_then_waits_on_the_jobs_page(only_test_sweeps, make_user, client,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.ask()
    job = Job.objects.get(name=sweeps.JOB, payload__name="test-broken")
    for _ in range(job.max_attempts - 1):
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        jobs.sweep()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == job.max_attempts == RUNS.count("broken")
    client.force_login(make_user("admin"))
    page = client.get("/jobs/?state=failed").content.decode()
    assert "周期巡检" in page and "test-broken@" in page and 'data-testid="retry-job"' in page


def test_the_plain_sweep_runs_every_part_here(only_test_sweeps):
    err = StringIO()
    with pytest.raises(CommandError, match="test-broken"):
        call_command("sweep", stdout=StringIO(), stderr=err)
    assert RUNS == ["broken", "ok"]  # in name order; the one failing does not keep the next from running
    assert "test-broken: failed: the SMS gateway" in err.getvalue()
    assert not Job.objects.filter(name=sweeps.JOB).exists()
    with pytest.raises(CommandError):
        call_command("sweep", "--as-jobs", "--every", "0", stdout=StringIO())
    assert not Job.objects.filter(name=sweeps.JOB).exists()
