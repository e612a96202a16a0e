"""The periodic sweeps (deadline warnings, supervision, call-backs, the roll-ups …), run in two ways:

- ``yingshang sweep`` runs each registered sweep here, one after the other (a developer, a single server);
- ``yingshang sweep --as-jobs`` (the timer of a deployment with workers) asks for one job per sweep and runs
  only the jobs' own part here (it hands on retries and revives lost jobs). Each job is keyed by its sweep
  and its slot of ``every`` minutes, so the timers of several servers firing in the same slot ask for it once;
  a failing sweep is retried with back-off and, after its last attempt, waits on the administrators' page
  of jobs with a retry button. Every sweep is idempotent, so a job run twice does no harm.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import hooks, jobs, metrics

JOB = "core.sweep"
HERE = frozenset({"jobs"})  # the part that hands the jobs on runs where it is asked for


def run(name: str):
    """Run one registered sweep, timed for /metrics. Returns what it returns."""
    fn = dict(hooks.sweeps()).get(name)
    if fn is None:
        raise LookupError(f"no sweep is registered as {name!r}")
    start = time.perf_counter()
    result = fn()
    metrics.sweep_timed(name, time.perf_counter() - start)
    return result


def run_job(payload: dict) -> dict:
    """The job: one sweep, its summary kept with the job."""
    result = run(payload["name"])
    if isinstance(result, dict):
        return {str(k): v if isinstance(v, (int, float, str, bool)) or v is None else str(v)
                for k, v in result.items()}
    return {"result": str(result)}


def slot(now: datetime, every: int) -> datetime:
    """The start of the ``every``-minute slot ``now`` falls in (local time, from midnight)."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = int((local - midnight).total_seconds() // 60)
    return midnight + timedelta(minutes=minutes - minutes % every)


def ask(*, every: int = 15, now: datetime | None = None) -> list:
    """Ask for this slot's job of every sweep but the jobs' own part (those already asked for are given back
    as they are). The jobs run after the commit: on a worker, or here without a broker."""
    if not 1 <= every <= 24 * 60:
        raise ValueError("every: from 1 to 1440 minutes")
    start = slot(now or timezone.now(), every).strftime("%Y-%m-%dT%H:%M")
    with transaction.atomic():
        return [jobs.enqueue(JOB, {"name": name}, key=f"{name}@{start}")
                for name, _fn in hooks.sweeps() if name not in HERE]
