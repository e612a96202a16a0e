"""Time limits of a ticket (pure: no Django). Every due time is recomputable from the ticket's own
fields: the moment its clock started, the policy snapshot taken at dispatch, and the working days
added since (approved extensions and suspensions). So importing next year's calendar can recompute
provisional deadlines exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from yingshang.core import workdays
from yingshang.core.workdays import ZONE, WorkCalendar

WORKDAYS = "workdays"
HOURS = "hours"

# Built-in defaults when no policy row matches: (accept, first response, resolve, unit).
DEFAULTS = {"normal": (1, 2, 10, WORKDAYS), "urgent": (2, 4, 48, HOURS)}
CONFIRM_WORKDAYS = 5       # the firm has this long to confirm before its steward calls back (回访)
WARN_WORKDAYS = workdays.WARN_WORKDAYS  # yellow: due within one working day


@dataclass(frozen=True)
class Policy:
    accept: int
    respond: int
    resolve: int
    unit: str = WORKDAYS


@dataclass(frozen=True)
class Dues:
    accept: datetime
    respond: datetime
    resolve: datetime
    provisional: bool


def _due(cal: WorkCalendar, start: datetime, amount: int, unit: str, extra_workdays: int) -> tuple[datetime, bool]:
    if unit == HOURS:
        at = (start + timedelta(hours=amount)).astimezone(ZONE)
        if extra_workdays:
            day = cal.add_workdays(at.date(), extra_workdays, provisional=True)
            at = at.replace(year=day.year, month=day.month, day=day.day)
        return at, cal.is_provisional(start.astimezone(ZONE).date(), at.date())
    at = cal.deadline(start, amount + extra_workdays, provisional=True)
    return at, cal.is_provisional(start.astimezone(ZONE).date(), at.date())


def compute_dues(cal: WorkCalendar, policy: Policy, clock_start: datetime, extra_workdays: int = 0) -> Dues:
    """Accept, first-response and resolve deadlines for a clock started at ``clock_start``.
    ``extra_workdays`` (extensions, suspensions) move the response and resolve deadlines."""
    accept, p1 = _due(cal, clock_start, policy.accept, policy.unit, 0)
    respond, p2 = _due(cal, clock_start, policy.respond, policy.unit, extra_workdays)
    resolve, p3 = _due(cal, clock_start, policy.resolve, policy.unit, extra_workdays)
    return Dues(accept, respond, resolve, p1 or p2 or p3)


def confirm_due(cal: WorkCalendar, resolved_at: datetime) -> datetime:
    return cal.deadline(resolved_at, CONFIRM_WORKDAYS, provisional=True)


def suspended_workdays(cal: WorkCalendar, since: datetime, until: datetime) -> int:
    """Working days the clock stood still: the working days in (since, until] (0 within one day)."""
    return max(0, cal.workdays_between(since.astimezone(ZONE).date(), until.astimezone(ZONE).date(),
                                       provisional=True))


warn_horizon, light = workdays.warn_horizon, workdays.light  # shared with the catalogue
