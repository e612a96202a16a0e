"""Background jobs: written with the transaction that asks for them, run after it commits (in the process
without a broker, by Celery with one), idempotent by key, retried with back-off, failed after the last attempt
and retried by an administrator from the jobs page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yingshang.core import jobs
from yingshang.core.actions import IllegalTransition
from yingshang.core.models import Job

CALLS: list = []


def _ok(payload):
    CALLS.append(payload)
    return {"seen": payload.get("n")}


def _flaky(payload):
    CALLS.append(payload)
    raise ConnectionError("the other side is down")


@pytest.fixture(autouse=True)
def kinds():
    CALLS.clear()
    jobs.register("test.ok", _ok)
    jobs.register("test.flaky", _flaky, max_attempts=3)
    yield
    jobs._kinds.pop("test.ok", None)
    jobs._kinds.pop("test.flaky", None)


def test_a_job_runs_after_the_commit_and_not_when_the_write_is_rolled_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.ok", {"n": 1})
        assert CALLS == []  # not inside the transaction that asked for it
    job.refresh_from_db()
    assert CALLS == [{"n": 1}] and job.state == Job.State.DONE and job.attempts == 1 and job.result == {"seen": 1}
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                jobs.enqueue("test.ok", {"n": 2})
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert CALLS == [{"n": 1}] and Job.objects.count() == 1


def test_a_key_makes_asking_twice_one_job(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = jobs.enqueue("test.ok", {"n": 1}, key="event:7")
        b = jobs.enqueue("test.ok", {"n": 1}, key="event:7")
    assert a.pk == b.pk and len(CALLS) == 1
    assert jobs.run(a.pk) == "skipped" and len(CALLS) == 1  # done already: running it again does nothing


def test_a_failing_job_backs_off_then_fails_and_an_administrator_retries_it(db, make_user, client,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.flaky", {"n": 1})
    job.refresh_from_db()
    assert job.state == Job.State.PENDING and job.attempts == 1 and "down" in job.last_error
    assert job.run_after > timezone.now() + timedelta(seconds=25)  # 30 s before the second attempt
    assert jobs.sweep()["jobs handed on"] == 0  # not due yet
    later = timezone.now() + timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    jobs.sweep()
    job.refresh_from_db()
    assert job.attempts == 2 and job.state == Job.State.PENDING
    assert job.run_after - timezone.now() > timedelta(seconds=50)  # doubled
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    assert jobs.sweep(now=later)["failed jobs"] == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 3 and len(CALLS) == 3

    handler = make_user("handler")
    with pytest.raises(PermissionDenied):
        jobs.retry(actor=handler, job=job)
    client.force_login(handler)
    assert client.get("/jobs/").status_code == 403
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 403
    admin = make_user("admin")
    client.force_login(admin)
    page = client.get("/jobs/")
    assert page.status_code == 200 and "test.flaky" in page.content.decode() and 'data-testid="retry-job"' in \
        page.content.decode()
    assert client.get("/jobs/?state=nope").status_code == 400
    assert client.post("/jobs/99999999/retry/").status_code == 404
    jobs.register("test.flaky", _ok, max_attempts=3)  # the other side is back
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 409  # only a failed job is retried
    from yingshang.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="core.job.retried", actor=admin).count() == 1
    with pytest.raises(IllegalTransition):
        jobs.retry(actor=admin, job=job)


def test_a_job_whose_worker_was_lost_is_handed_on_again(db):
    job = Job.objects.create(name="test.ok", payload={"n": 5}, state=Job.State.RUNNING, attempts=1,
                             started_at=timezone.now() - timedelta(hours=1))
    result = jobs.sweep()
    job.refresh_from_db()
    assert result["lost jobs revived"] == 1 and job.state == Job.State.DONE and CALLS == [{"n": 5}]


def test_with_a_broker_the_job_goes_to_celery(db, settings, monkeypatch, django_capture_on_commit_callbacks):
    from yingshang.core import tasks

    sent = []
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda args, countdown=0: sent.append((args, countdown)))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.flaky", {"n": 1})
    assert sent == [((job.pk,), 0)] and CALLS == []
    assert tasks.run_job(job.pk) == "pending"  # what the worker does: the attempt, then the retry handed on
    assert sent[1][0] == (job.pk,) and sent[1][1] == 30


def test_the_back_off_doubles_up_to_an_hour():
    assert [jobs.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert jobs.backoff(30).total_seconds() == 3600
