"""When an application's time limit ends (办结时限), on the working calendar. Pure: the calendar is passed in.

The clock starts at acceptance (受理). A limit of N working days (工作日) ends at the end of office hours on
the N-th working day after the day of acceptance; N natural days (自然日) end at the end of office hours on
the day N days after it, moved to the next working day when that day is not one; an immediate item (即办件,
N = 0) ends at the end of office hours on the day of acceptance — the next working day when it was
accepted after hours or on a day off. Working days spent in a special procedure (特别程序: expert review,
hearing, on-site survey, public notice) move the end by as many working days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from yingshang.core.workdays import ZONE, WorkCalendar

WORKDAY, DAY = "workday", "day"
UNITS = (WORKDAY, DAY)


class LimitError(ValueError):
    """A limit that cannot be computed: a negative number, an unknown unit, a naive or absurd time."""


def due(accepted: datetime, limit: int, unit: str, cal: WorkCalendar, *, paused_workdays: int = 0,
        provisional: bool = True) -> datetime:
    """The end of the limit for an application accepted at ``accepted`` (an aware datetime)."""
    if accepted.tzinfo is None:
        raise LimitError("the acceptance time needs its time zone")
    if unit not in UNITS:
        raise LimitError(f"unknown unit {unit!r}: use {' or '.join(UNITS)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise LimitError("the limit is a whole number of days, 0 or more")
    if isinstance(paused_workdays, bool) or not isinstance(paused_workdays, int) or paused_workdays < 0:
        raise LimitError("the paused working days are a whole number, 0 or more")
    local = accepted.astimezone(ZONE)
    day = local.date()
    if limit == 0:
        end = _same_day(cal, day, after_hours=local.time() > cal.office_close, provisional=provisional)
    elif unit == WORKDAY:
        end = cal.add_workdays(day, limit, provisional=provisional)
    else:
        end = cal.add_workdays(day + timedelta(days=limit), 0, provisional=provisional)
    if paused_workdays:
        end = cal.add_workdays(end, paused_workdays, provisional=provisional)
    return datetime.combine(end, cal.office_close, tzinfo=ZONE)


def _same_day(cal: WorkCalendar, day: date, *, after_hours: bool, provisional: bool) -> date:
    if after_hours or not cal.is_workday(day, provisional=provisional):
        return cal.add_workdays(day, 1, provisional=provisional)
    return day


def work_hours(start: datetime, end: datetime, cal: WorkCalendar, *, opens: time, closes: time) -> float:
    """Working hours between two moments: the part of each working day's office hours they span."""
    if start.tzinfo is None or end.tzinfo is None:
        raise LimitError("both moments need their time zone")
    a, b = start.astimezone(ZONE), end.astimezone(ZONE)
    if b <= a:
        return 0.0
    total, day = 0.0, a.date()
    while day <= b.date():
        if cal.is_workday(day, provisional=True):
            lo = max(a, datetime.combine(day, opens, tzinfo=ZONE))
            hi = min(b, datetime.combine(day, closes, tzinfo=ZONE))
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return round(total, 1)
