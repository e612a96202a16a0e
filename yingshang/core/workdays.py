"""Working days of the official Chinese calendar — pure functions, no Django.

A working day is a weekday that is not a public holiday, or a weekend day that is a
make-up working day (调休). The calendar knows which years it has official data for;
a date in any other year raises :class:`CalendarYearMissing` unless the caller opts
into ``provisional=True``, in which case that year is counted on the weekday rule and
the caller can ask :meth:`WorkCalendar.is_provisional` whether an answer relied on it.

All look-ups are a bisection over one cached sorted array of working-day ordinals, so
``add_workdays(d, 250)`` costs the same as ``add_workdays(d, 1)``.

The module-level functions use the calendar installed with :func:`set_loader` (the
Django side installs one that reads the database); tests may build their own
:class:`WorkCalendar`.
"""

from __future__ import annotations

import threading
import time as _time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_OFFICE_CLOSE = time(17, 30)
# Years around the data in which provisional (weekday-rule) answers are offered.
PROVISIONAL_HORIZON_YEARS = 10
EARLIEST_YEAR = 2000

HOLIDAY = "holiday"
WORKDAY = "workday"


class CalendarError(ValueError):
    """A working-day question the calendar cannot answer."""


class CalendarYearMissing(CalendarError):
    def __init__(self, years: Iterable[int]):
        self.years = sorted(set(years))
        listed = ", ".join(str(y) for y in self.years)
        super().__init__(
            f"no official working calendar for {listed}: import the State Council holiday notice "
            f"for that year (yingshang calendar import FILE)"
        )


class CalendarOutOfRange(CalendarError):
    pass


@dataclass(frozen=True)
class SpecialDay:
    day: date
    kind: str  # HOLIDAY or WORKDAY
    name: str = ""


class WorkCalendar:
    """An immutable working calendar built from special days and the covered years."""

    def __init__(self, special_days: Iterable[SpecialDay], covered_years: Iterable[int],
                 office_close: time = DEFAULT_OFFICE_CLOSE):
        self.covered_years = frozenset(covered_years)
        self.office_close = office_close
        holidays: set[int] = set()
        makeups: set[int] = set()
        self.names: dict[date, str] = {}
        for sd in special_days:
            if sd.day.year not in self.covered_years:
                continue
            (holidays if sd.kind == HOLIDAY else makeups).add(sd.day.toordinal())
            if sd.name:
                self.names[sd.day] = sd.name
        first = min(self.covered_years | {EARLIEST_YEAR})
        last = max(self.covered_years | {date.today().year}) + PROVISIONAL_HORIZON_YEARS
        self.first_day = date(first, 1, 1)
        self.last_day = date(last, 12, 31)
        days = []
        for o in range(self.first_day.toordinal(), self.last_day.toordinal() + 1):
            if o in makeups or (o not in holidays and date.fromordinal(o).weekday() < 5):
                days.append(o)
        self._days = days  # sorted ordinals of working days (data years + weekday rule elsewhere)
        self._dates = [date.fromordinal(o) for o in days]

    # -- coverage ---------------------------------------------------------
    def missing_years(self, a: date, b: date | None = None) -> list[int]:
        lo, hi = (a, b) if b is None or a <= b else (b, a)
        hi = hi or lo
        return [y for y in range(lo.year, hi.year + 1) if y not in self.covered_years]

    def is_provisional(self, a: date, b: date | None = None) -> bool:
        """True when an answer spanning ``a``..``b`` relied on a year with no official data."""
        return bool(self.missing_years(a, b))

    def _check(self, a: date, b: date | None, provisional: bool) -> None:
        for d in (a, b):
            if d is not None and not (self.first_day <= d <= self.last_day):
                raise CalendarOutOfRange(
                    f"{d.isoformat()} is outside the calendar's range "
                    f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
                )
        if not provisional:
            missing = self.missing_years(a, b)
            if missing:
                raise CalendarYearMissing(missing)

    # -- questions ----------------------------------------------------------
    def is_workday(self, d: date, *, provisional: bool = False) -> bool:
        self._check(d, None, provisional)
        o = d.toordinal()
        i = bisect_left(self._days, o)
        return i < len(self._days) and self._days[i] == o

    def add_workdays(self, d: date, n: int, *, provisional: bool = False) -> date:
        """The n-th working day after ``d`` (n < 0: before; n = 0: ``d`` or the next working day)."""
        o = d.toordinal()
        if n > 0:
            i = bisect_right(self._days, o) + n - 1
        elif n < 0:
            i = bisect_left(self._days, o) + n
        else:
            i = bisect_left(self._days, o)
        if not 0 <= i < len(self._days):
            raise CalendarOutOfRange(f"{n} working days from {d.isoformat()} leave the calendar's range")
        result = date.fromordinal(self._days[i])
        self._check(d, result, provisional)
        return result

    # -- positions: working-day arithmetic on integers (the schedule's inner loops) ---------------------
    # A working day's position is 2 × its index among the working days; a day off's is one less than the next
    # working day's. ``add_position`` is ``add_workdays`` and ``day_at`` turns a working day's position back
    # into its date; positions compare as their dates do (the days off between two working days share one).

    def position(self, d: date, *, provisional: bool = False) -> int:
        self._check(d, None, provisional)
        o = d.toordinal()
        i = bisect_left(self._days, o)
        return 2 * i if i < len(self._days) and self._days[i] == o else 2 * i - 1

    @staticmethod
    def add_position(p: int, n: int) -> int:
        """The position of ``add_workdays(day of p, n)``: always a working day's (even)."""
        if p & 1:
            return p + 2 * n - 1 if n > 0 else p + 2 * n + 1
        return p + 2 * n

    def day_at(self, p: int) -> date:
        if p & 1 or p < 0 or p >> 1 >= len(self._dates):
            raise CalendarOutOfRange("the schedule leaves the calendar's range")
        return self._dates[p >> 1]

    def working_days(self) -> list[date]:
        """Every working day of the calendar's range, in order: ``working_days()[p >> 1]`` is ``day_at(p)``."""
        return self._dates

    def workdays_between(self, a: date, b: date, *, provisional: bool = False) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b < a."""
        self._check(a, b, provisional)
        return bisect_right(self._days, b.toordinal()) - bisect_right(self._days, a.toordinal())

    def deadline(self, start: datetime, workdays: int, *, provisional: bool = False,
                 office_close: time | None = None) -> datetime:
        """End of office hours (Asia/Shanghai) on ``add_workdays(start's date, workdays)``."""
        local = start.astimezone(ZONE) if start.tzinfo else start.replace(tzinfo=ZONE)
        day = self.add_workdays(local.date(), workdays, provisional=provisional)
        return datetime.combine(day, office_close or self.office_close, tzinfo=ZONE)

    def holiday_name(self, d: date) -> str:
        return self.names.get(d, "")


# -- lights: how near a deadline is -----------------------------------------------

WARN_WORKDAYS = 1  # yellow: due within one working day


def warn_horizon(cal: WorkCalendar, now: datetime) -> datetime:
    """The same time of day one working day from now: a deadline before it is "due within a working day"."""
    local = now.astimezone(ZONE)
    day = cal.add_workdays(local.date(), WARN_WORKDAYS, provisional=True)
    return local.replace(year=day.year, month=day.month, day=day.day)


def light(cal: WorkCalendar, due: datetime | None, now: datetime) -> str:
    """green / yellow (due within one working day) / red (overdue); "" when nothing is due."""
    if due is None:
        return ""
    if due < now:
        return "red"
    return "yellow" if due <= warn_horizon(cal, now) else "green"


def workdays_left(cal: WorkCalendar, due: datetime | None, now: datetime) -> int | None:
    """Working days from today to ``due`` (0: due today), or minus the working days it is overdue (at least 1)."""
    if due is None:
        return None
    today, day = now.astimezone(ZONE).date(), due.astimezone(ZONE).date()
    if due >= now:
        return cal.workdays_between(today, day, provisional=True)
    return -max(1, cal.workdays_between(day, today, provisional=True))


# -- the installed calendar ------------------------------------------------------

_lock = threading.Lock()
_loader: Callable[[], WorkCalendar] | None = None
_stamp: Callable[[], object] | None = None
_current: WorkCalendar | None = None
_current_stamp: object = None
_checked_at = 0.0
RECHECK_SECONDS = 30.0


def set_loader(loader: Callable[[], WorkCalendar], stamp: Callable[[], object] | None = None) -> None:
    """Install the function that builds the calendar, and a cheap one that says if it changed."""
    global _loader, _stamp
    with _lock:
        _loader, _stamp = loader, stamp
    invalidate()


def invalidate() -> None:
    global _current, _current_stamp, _checked_at
    with _lock:
        _current, _current_stamp, _checked_at = None, None, 0.0


def get_calendar() -> WorkCalendar:
    """The installed calendar; rebuilt when its stamp changes (checked every 30 seconds)."""
    global _current, _current_stamp, _checked_at
    now = _time.monotonic()
    cal = _current
    if cal is not None and now - _checked_at < RECHECK_SECONDS:
        return cal
    if _loader is None:
        raise CalendarError("no working calendar installed")
    with _lock:
        stamp = _stamp() if _stamp else None
        if _current is None or stamp != _current_stamp:
            _current = _loader()
            _current_stamp = stamp
        _checked_at = now
        return _current


def is_workday(d: date, *, provisional: bool = False) -> bool:
    return get_calendar().is_workday(d, provisional=provisional)


def add_workdays(d: date, n: int, *, provisional: bool = False) -> date:
    return get_calendar().add_workdays(d, n, provisional=provisional)


def workdays_between(a: date, b: date, *, provisional: bool = False) -> int:
    return get_calendar().workdays_between(a, b, provisional=provisional)


def deadline(start: datetime, workdays: int, *, provisional: bool = False) -> datetime:
    return get_calendar().deadline(start, workdays, provisional=provisional)


def is_provisional(a: date, b: date | None = None) -> bool:
    return get_calendar().is_provisional(a, b)
