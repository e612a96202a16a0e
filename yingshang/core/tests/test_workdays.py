"""The working calendar against the State Council holiday notices for 2025 and 2026."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.core import workdays
from yingshang.core.workdays import CalendarYearMissing, SpecialDay, WorkCalendar

SH = ZoneInfo("Asia/Shanghai")


def span(a, b):
    d = date.fromisoformat(a)
    end = date.fromisoformat(b)
    while d <= end:
        yield d
        d += timedelta(days=1)


# 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)
HOLIDAYS_2025 = [*span("2025-01-01", "2025-01-01"), *span("2025-01-28", "2025-02-04"), *span("2025-04-04", "2025-04-06"),
                 *span("2025-05-01", "2025-05-05"), *span("2025-05-31", "2025-06-02"), *span("2025-10-01", "2025-10-08")]
MAKEUP_2025 = [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)]
# 国务院办公厅关于2026年部分节假日安排的通知
HOLIDAYS_2026 = [*span("2026-01-01", "2026-01-03"), *span("2026-02-15", "2026-02-23"), *span("2026-04-04", "2026-04-06"),
                 *span("2026-05-01", "2026-05-05"), *span("2026-06-19", "2026-06-21"), *span("2026-09-25", "2026-09-27"),
                 *span("2026-10-01", "2026-10-07")]
MAKEUP_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
               date(2026, 10, 10)]


def expected_workday(d: date) -> bool:
    if d in MAKEUP_2025 or d in MAKEUP_2026:
        return True
    if d in HOLIDAYS_2025 or d in HOLIDAYS_2026:
        return False
    return d.weekday() < 5


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_year_matches_the_official_notice(year):
    wrong = [d for d in span(f"{year}-01-01", f"{year}-12-31") if workdays.is_workday(d) != expected_workday(d)]
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("day,expected", [
    ("2026-02-14", True),   # Saturday, make-up working day before the Spring Festival
    ("2026-02-15", False),  # Spring Festival
    ("2026-02-23", False),  # Monday, still the Spring Festival holiday
    ("2026-02-24", True),
    ("2026-02-28", True),   # Saturday, make-up day
    ("2025-09-28", True),   # Sunday, make-up day before National Day
    ("2025-10-08", False),  # Wednesday, National Day + Mid-Autumn
    ("2025-10-11", True),   # Saturday, make-up day
    ("2026-01-04", True),   # Sunday, make-up day after New Year
    ("2026-03-07", False),  # an ordinary Saturday
])
def test_is_workday_on_the_days_that_matter(day, expected):
    assert workdays.is_workday(date.fromisoformat(day)) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("start,n,expected", [
    ("2026-02-13", 1, "2026-02-14"),   # Friday + 1 → the make-up Saturday
    ("2026-02-14", 1, "2026-02-24"),   # across the nine-day Spring Festival
    ("2026-02-13", 3, "2026-02-25"),
    ("2026-02-24", -1, "2026-02-14"),
    ("2026-02-24", -2, "2026-02-13"),
    ("2026-02-15", 0, "2026-02-24"),   # n = 0 on a holiday: the next working day
    ("2026-02-14", 0, "2026-02-14"),   # n = 0 on a working day: itself
    ("2025-09-26", 1, "2025-09-28"),   # Friday → make-up Sunday
    ("2025-09-30", 1, "2025-10-09"),   # over National Day
    ("2025-09-30", 2, "2025-10-10"),
    ("2025-09-30", 3, "2025-10-11"),   # make-up Saturday
    ("2025-09-30", 4, "2025-10-13"),
    ("2025-12-31", 1, "2026-01-04"),   # New Year 2026 then the make-up Sunday
    ("2026-09-30", 10, "2026-10-20"),  # ten working days from the eve of National Day (10-10 counts)
])
def test_add_workdays(start, n, expected):
    assert workdays.add_workdays(date.fromisoformat(start), n) == date.fromisoformat(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("a,b,expected", [
    ("2026-02-13", "2026-02-27", 5),   # (13, 27]: 14, 24, 25, 26, 27
    ("2026-02-27", "2026-02-13", -5),
    ("2026-02-13", "2026-02-13", 0),
    ("2025-09-30", "2025-10-12", 3),   # 9, 10, 11
    ("2024-12-31", "2025-12-31", 248),  # working days in 2025: 261 weekdays − 18 + 5
    ("2025-12-31", "2026-12-31", 248),  # working days in 2026: 261 weekdays − 19 + 6
])
def test_workdays_between(a, b, expected):
    assert workdays.workdays_between(date.fromisoformat(a), date.fromisoformat(b)) == expected


@pytest.mark.django_db
def test_deadline_is_end_of_office_hours_in_shanghai():
    start = datetime(2026, 2, 13, 10, 0, tzinfo=SH)
    assert workdays.deadline(start, 1) == datetime(2026, 2, 14, 17, 30, tzinfo=SH)
    # An instant late in the evening UTC is already the next day in Shanghai.
    utc = datetime(2026, 2, 13, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on the 14th in Shanghai
    assert workdays.deadline(utc, 1) == datetime(2026, 2, 24, 17, 30, tzinfo=SH)
    assert workdays.deadline(start, 0).time() == time(17, 30)


@pytest.mark.django_db
def test_a_year_without_data_raises_or_is_provisional_on_request():
    with pytest.raises(CalendarYearMissing, match="2027"):
        workdays.is_workday(date(2027, 3, 1))
    with pytest.raises(CalendarYearMissing):
        workdays.add_workdays(date(2026, 12, 30), 5)  # lands in 2027
    with pytest.raises(CalendarYearMissing):
        workdays.workdays_between(date(2026, 12, 1), date(2027, 1, 15))
    assert workdays.add_workdays(date(2026, 12, 30), 5, provisional=True) == date(2027, 1, 6)
    assert workdays.is_provisional(date(2026, 12, 30), date(2027, 1, 6))
    assert not workdays.is_provisional(date(2026, 1, 1), date(2026, 12, 31))


# --- pure properties on a synthetic calendar --------------------------------------

def naive_is_workday(d, holidays, makeups):
    return d in makeups or (d not in holidays and d.weekday() < 5)


special_days = st.lists(
    st.tuples(st.dates(date(2030, 1, 1), date(2031, 12, 31)), st.sampled_from([workdays.HOLIDAY, workdays.WORKDAY])),
    max_size=40, unique_by=lambda t: t[0])


@settings(max_examples=60, deadline=None)
@given(special_days, st.dates(date(2030, 1, 1), date(2031, 12, 31)), st.integers(-120, 120))
def test_add_workdays_agrees_with_a_day_by_day_count(days, start, n):
    cal = WorkCalendar([SpecialDay(d, k) for d, k in days], covered_years=range(2029, 2033))
    holidays = {d for d, k in days if k == workdays.HOLIDAY}
    makeups = {d for d, k in days if k == workdays.WORKDAY}
    d, step, left = start, (1 if n >= 0 else -1), abs(n)
    if n == 0:
        while not naive_is_workday(d, holidays, makeups):
            d += timedelta(days=1)
    while left:
        d += timedelta(days=step)
        if naive_is_workday(d, holidays, makeups):
            left -= 1
    assert cal.add_workdays(start, n) == d
    if n > 0:
        assert cal.workdays_between(start, d) == n
    assert cal.is_workday(d)


@settings(max_examples=60, deadline=None)
@given(special_days, st.dates(date(2030, 1, 1), date(2031, 12, 31)), st.dates(date(2030, 1, 1), date(2031, 12, 31)))
def test_workdays_between_is_antisymmetric_and_counts_days(days, a, b):
    cal = WorkCalendar([SpecialDay(d, k) for d, k in days], covered_years=range(2029, 2033))
    holidays = {d for d, k in days if k == workdays.HOLIDAY}
    makeups = {d for d, k in days if k == workdays.WORKDAY}
    lo, hi = min(a, b), max(a, b)
    count = sum(naive_is_workday(lo + timedelta(days=i), holidays, makeups) for i in range(1, (hi - lo).days + 1))
    assert cal.workdays_between(lo, hi) == count
    assert cal.workdays_between(a, b) == -cal.workdays_between(b, a)


def test_days_outside_the_covered_years_are_refused_by_a_synthetic_calendar():
    cal = WorkCalendar([], covered_years=[2030])
    assert cal.is_workday(date(2030, 1, 7))
    with pytest.raises(CalendarYearMissing):
        cal.is_workday(date(2031, 1, 7))
    assert cal.is_workday(date(2031, 1, 7), provisional=True)
