"""Time limits on the official calendar, hand-checked across the 2025 National Day (1–8 October off;
Sunday 28 September and Saturday 11 October worked) and the 2026 Spring Festival (15–23 February off;
Saturday 14 and Saturday 28 February worked)."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from yingshang.catalog import limits
from yingshang.core import workdays

Z = workdays.ZONE


def at(y, m, d, h=10, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=Z)


@pytest.fixture
def cal(db):
    return workdays.get_calendar()


@pytest.mark.parametrize("accepted,limit,unit,paused,expected", [
    # 3 working days from Tuesday 30 September 2025: 9 Oct, 10 Oct, the make-up Saturday 11 Oct
    (at(2025, 9, 30), 3, "workday", 0, at(2025, 10, 11, 17, 30)),
    # accepted on the make-up Sunday 28 September: Mon 29, Tue 30, then 9 October
    (at(2025, 9, 28), 3, "workday", 0, at(2025, 10, 9, 17, 30)),
    # 7 natural days from 30 September is 7 October, a holiday: the next working day, 9 October
    (at(2025, 9, 30), 7, "day", 0, at(2025, 10, 9, 17, 30)),
    # 60 natural days from 30 September 2025: Saturday 29 November, moved to Monday 1 December
    (at(2025, 9, 30), 60, "day", 0, at(2025, 12, 1, 17, 30)),
    # an immediate item accepted on a holiday ends on the first working day after it
    (at(2025, 10, 3), 0, "workday", 0, at(2025, 10, 9, 17, 30)),
    # ... accepted in office hours, that day; after hours, the next working day
    (at(2026, 2, 13, 16, 0), 0, "workday", 0, at(2026, 2, 13, 17, 30)),
    (at(2026, 2, 13, 18, 0), 0, "workday", 0, at(2026, 2, 14, 17, 30)),  # the make-up Saturday
    # Friday 13 February 2026, 1 working day: the make-up Saturday 14th; 2: Tuesday 24th after the holiday
    (at(2026, 2, 13), 1, "workday", 0, at(2026, 2, 14, 17, 30)),
    (at(2026, 2, 13), 2, "workday", 0, at(2026, 2, 24, 17, 30)),
    # a special procedure of 3 working days moves the end by three working days (24th → 27th)
    (at(2026, 2, 13), 2, "workday", 3, at(2026, 2, 27, 17, 30)),
    # 20 working days from 30 September 2026 (the National Day of 2026: 1–7 October off, 10 October worked)
    (at(2026, 9, 30), 20, "workday", 0, None),
])
def test_limits_on_the_official_calendar(cal, accepted, limit, unit, paused, expected):
    end = limits.due(accepted, limit, unit, cal, paused_workdays=paused)
    if expected is None:  # checked against the calendar itself: 20 working days after the 30th
        assert end.date() == cal.add_workdays(accepted.date(), 20, provisional=True)
        assert cal.workdays_between(accepted.date(), end.date(), provisional=True) == 20
    else:
        assert end == expected


@pytest.mark.parametrize("kwargs,message", [
    ({"limit": -1}, "0 or more"), ({"limit": 2.5}, "whole number"), ({"unit": "week"}, "unknown unit"),
    ({"paused_workdays": -2}, "paused"), ({"accepted": datetime(2026, 3, 2, 10)}, "time zone"),
])
def test_limits_refuse_what_they_cannot_compute(cal, kwargs, message):
    args = {"accepted": at(2026, 3, 2), "limit": 5, "unit": "workday", "paused_workdays": 0, **kwargs}
    with pytest.raises(limits.LimitError, match=message):
        limits.due(args["accepted"], args["limit"], args["unit"], cal, paused_workdays=args["paused_workdays"])


@given(limit=st.integers(1, 60), paused=st.integers(0, 10), day=st.integers(0, 700), hour=st.integers(0, 23))
def test_a_working_day_limit_is_that_many_working_days_after_acceptance(limit, paused, day, hour):
    from datetime import timedelta

    cal = workdays.WorkCalendar([], range(2025, 2028))  # the weekday rule: the property holds for any data
    accepted = at(2025, 1, 1, hour) + timedelta(days=day)
    end = limits.due(accepted, limit, "workday", cal, paused_workdays=paused)
    assert cal.is_workday(end.date())
    assert cal.workdays_between(accepted.date(), end.date()) == limit + paused
    assert end.time() == cal.office_close


def test_the_console_prints_the_end(capsys, db):
    call_command("catalog", "due", "--accepted", "2025-09-30T10:00", "--limit", "3", "--unit", "workday")
    assert capsys.readouterr().out.strip() == "2025-10-11T17:30+08:00"
    call_command("catalog", "due", "--accepted", "2026-02-13T18:00", "--limit", "0")
    assert capsys.readouterr().out.strip() == "2026-02-14T17:30+08:00"
    call_command("catalog", "due", "--accepted", "2026-02-13T10:00", "--limit", "2", "--paused", "3")
    assert capsys.readouterr().out.strip() == "2026-02-27T17:30+08:00"


@pytest.mark.parametrize("argv", [
    ["--accepted", "yesterday", "--limit", "3"], ["--accepted", "2026-09-30T10:00", "--limit", "-3"],
    ["--accepted", "2026-09-30T10:00", "--limit", "x"], ["--accepted", "2026-09-30T10:00", "--limit", "3",
                                                         "--paused", "1e3"],
    ["--accepted", "1900-01-01T10:00", "--limit", "3"],
])
def test_the_console_refuses_bad_input_in_one_line(db, argv):
    with pytest.raises(CommandError) as exc:
        call_command("catalog", "due", *argv)
    assert exc.value.returncode == 2 and "\n" not in str(exc.value)
