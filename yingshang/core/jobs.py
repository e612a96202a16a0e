"""Background jobs on Celery (the broker is the Redis the stack already has), with the job itself kept in
PostgreSQL: a ``Job`` row is written in the transaction that asks for it — so a job exists exactly when the
write that needs it committed — and handed to a worker after the commit. Without a broker
(``CELERY_BROKER_URL`` unset: development, ``make run``, the tests) the job runs in the process right after
the commit instead, and its retries on the next sweep.

A job's function is registered under a name, runs outside any transaction (what it records of its attempts
stays even when it fails) and must be idempotent: it may run twice (a worker lost after
the work and before marking it done; the sweep handing on a job whose hand-off was lost). A failing job is
tried again after 30 s, 1 min, 2 min … (doubling, at most an hour) up to its ``max_attempts``; then it is
``failed`` and shows on the administrators' page of jobs (``/jobs/``) with a retry button.

    jobs.register("interop.hotline_push", push, max_attempts=10)
    jobs.enqueue("interop.hotline_push", {"event": ev.pk}, key=f"event:{ev.pk}")
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger("yingshang.jobs")

BASE_DELAY = 30        # seconds before the second attempt
MAX_DELAY = 3600       # the longest wait between attempts
STUCK_AFTER = timedelta(minutes=15)   # a job "running" this long lost its worker: it is handed on again


@dataclass(frozen=True)
class Kind:
    name: str
    fn: Callable[[dict], object]
    max_attempts: int = 8
    label: object = ""  # what the administrators' page calls it


_kinds: dict[str, Kind] = {}


def register(name: str, fn: Callable[[dict], object], *, max_attempts: int = 8, label="") -> None:
    _kinds[name] = Kind(name, fn, max_attempts, label)


def label(name: str) -> str:
    kind = _kinds.get(name)
    return str(kind.label) if kind and kind.label else name


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, … at most an hour."""
    return timedelta(seconds=min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1)))


def broker() -> str:
    return getattr(settings, "CELERY_BROKER_URL", "") or ""


def enqueue(name: str, payload: dict | None = None, *, key: str = "", delay: timedelta | None = None) -> Job:
    """Ask for a job (inside the caller's transaction). With ``key``, asking again gives the job already
    asked for — done or not — instead of a second one."""
    kind = _kinds[name]
    key = key[:200]
    if key:
        existing = Job.objects.filter(name=name, key=key).first()
        if existing is not None:
            return existing
    at = timezone.now() + (delay or timedelta(0))
    try:
        with transaction.atomic():
            job = Job.objects.create(name=name, key=key, payload=payload or {}, max_attempts=kind.max_attempts,
                                     run_after=at)
    except IntegrityError:  # asked for at the same moment elsewhere
        return Job.objects.get(name=name, key=key)
    if delay is None:
        transaction.on_commit(lambda: hand_on(job.pk))
    return job


def hand_on(pk: int, countdown: float = 0) -> None:
    """Give a job to a worker (or, without a broker, run it here when it is due)."""
    if broker():
        from .tasks import run_job

        try:
            run_job.apply_async((pk,), countdown=countdown)
            return
        except Exception:  # noqa: BLE001 — the broker is down: the job is in the database, the sweep hands it on
            log.warning("job %s: the broker did not take it; the sweep will hand it on", pk, exc_info=True)
            return
    if countdown <= 0:
        run(pk)


def _claim(pk: int) -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update(skip_locked=True).filter(
            pk=pk, state=Job.State.PENDING, run_after__lte=now).first()
        if job is None:
            return None
        job.state, job.attempts, job.started_at = Job.State.RUNNING, job.attempts + 1, now
        job.save(update_fields=["state", "attempts", "started_at"])
    return job


def run(pk: int) -> str:
    """Run one job if it is waiting and due (else do nothing): its function, then done, or the next attempt
    after the back-off, or failed after the last attempt. Returns the state it is left in."""
    job = _claim(pk)
    if job is None:
        return "skipped"
    kind = _kinds.get(job.name)
    try:
        if kind is None:
            raise LookupError(f"no job function is registered as {job.name!r}")
        result = kind.fn(job.payload)  # outside any transaction: the function keeps its own records
    except Exception as error:  # noqa: BLE001 — any failure is recorded and retried, never lost
        job.last_error = "".join(traceback.format_exception_only(error)).strip()[:2000]
        if job.attempts >= job.max_attempts:
            job.state, job.finished_at = Job.State.FAILED, timezone.now()
            log.error("job %s %s failed for good after %s attempts: %s", job.pk, job.name, job.attempts,
                      job.last_error)
        else:
            job.state, job.run_after = Job.State.PENDING, timezone.now() + backoff(job.attempts)
            log.warning("job %s %s attempt %s failed: %s", job.pk, job.name, job.attempts, job.last_error)
        job.save(update_fields=["state", "run_after", "finished_at", "last_error"])
        if job.state == Job.State.PENDING and broker():
            hand_on(job.pk, countdown=backoff(job.attempts).total_seconds())
        return job.state
    job.state, job.finished_at, job.last_error = Job.State.DONE, timezone.now(), ""
    job.result = result if isinstance(result, (dict, list, str, int, float, bool)) else None
    job.save(update_fields=["state", "finished_at", "last_error", "result"])
    return job.state


def sweep(now=None) -> dict:
    """The jobs' part of the sweep: a job whose worker was lost is waiting again; every job due (a retry
    after its back-off, a hand-off the broker never took) is handed on — run here without a broker."""
    now = now or timezone.now()
    revived = Job.objects.filter(state=Job.State.RUNNING, started_at__lt=now - STUCK_AFTER).update(
        state=Job.State.PENDING, run_after=now)
    due = list(Job.objects.filter(state=Job.State.PENDING, run_after__lte=now).order_by("run_after", "pk")
               .values_list("pk", flat=True)[:1000])
    for pk in due:
        hand_on(pk)
    return {"jobs handed on": len(due), "lost jobs revived": revived,
            "failed jobs": Job.objects.filter(state=Job.State.FAILED).count()}


def retry(*, actor, job: Job) -> Job:
    """An administrator tries a failed job again (it gets its attempts afresh)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from . import roles
    from .actions import IllegalTransition

    if actor is None or not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied(_("Only an administrator retries jobs."))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.FAILED:
            raise IllegalTransition("retry", job.state)
        job.state, job.attempts, job.run_after, job.finished_at = Job.State.PENDING, 0, timezone.now(), None
        job.save(update_fields=["state", "attempts", "run_after", "finished_at"])
        from . import audit

        audit.record(actor=actor, action="core.job.retried", obj=job, data={"name": job.name})
        transaction.on_commit(lambda: hand_on(job.pk))
    return job


def counts() -> dict[str, int]:
    from django.db.models import Count

    return dict(Job.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
