"""Periods of the cockpit: whole days in Asia/Shanghai, both ends included. A period knows the one before it
(环比) and the same dates a year earlier (同比), and the months it spans (for trends). No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PRESETS = ("month", "quarter", "year", "last_month", "week")


def _month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months, the day kept where the month has it (31 Mar − 1 month → 28/29 Feb)."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = _month_end(date(y, m, 1)).day
    return date(y, m, min(d.day, last))


def _year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int:
        """How many whole calendar months the period is (0 when it is not whole months)."""
        if self.start.day != 1 or self.end != _month_end(self.end):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """环比: the period just before, of the same length — in months when the period is whole months
        (March → February, Q2 → Q1), in days otherwise."""
        n = self.whole_months
        if n:
            start = _add_months(self.start, -n)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        """同比: the same dates a year earlier (a whole month stays the whole month)."""
        if self.whole_months:
            start = _year_before(self.start)
            return Period(start, _month_end(_year_before(self.end).replace(day=1)))
        return Period(_year_before(self.start), _year_before(self.end))

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        out, m = [], self.start.replace(day=1)
        while m <= self.end:
            out.append(m)
            m = _add_months(m, 1)
        return out

    def trend(self, n: int = 12) -> "Period":
        """The ``n`` whole months ending with the month of ``end`` (the sparkline's span)."""
        last = self.end.replace(day=1)
        return Period(_add_months(last, -(n - 1)), _month_end(last))

    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


def preset(name: str, today: date) -> Period:
    """This month, this quarter, this year, last month or the last seven days, up to the end of the period
    (a figure of a flow counts nothing after today anyway)."""
    if name == "week":
        return Period(today - timedelta(days=6), today)
    if name == "last_month":
        first = today.replace(day=1)
        return Period(_add_months(first, -1), first - timedelta(days=1))
    if name == "quarter":
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(first, _month_end(_add_months(first, 2)))
    if name == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    return Period(today.replace(day=1), _month_end(today))
