"""Backward scheduling on the official calendar: hand-checked examples across the 2026 Spring Festival
(holiday 2-15…2-23, make-up Saturdays 2-14 and 2-28) and National Day (10-1…10-7, make-up Saturday 10-10),
and properties over random step graphs."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.core import workdays
from yingshang.projects import scheduling as sch

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def run(data):
    start, target, steps = sch.parse(data)
    return sch.schedule(steps, start, target, workdays.get_calendar())


def test_across_the_spring_festival_with_a_lag():
    s = run({"start": "2026-02-11", "target": "2026-02-27",
             "steps": [{"id": "A", "duration": 3}, {"id": "B", "duration": 2, "after": [{"id": "A", "lag": 1}]}]})
    a, b = s.steps["A"], s.steps["B"]
    assert (a.early_start, a.early_finish) == (D("2026-02-11"), D("2026-02-13"))
    assert (b.early_start, b.early_finish) == (D("2026-02-24"), D("2026-02-25"))  # 2-14 make-up, then the holiday
    assert (b.late_finish, b.late_start) == (D("2026-02-27"), D("2026-02-26"))
    assert (a.late_finish, a.late_start) == (D("2026-02-24"), D("2026-02-13"))  # back over the holiday to 2-14
    assert (a.slack, b.slack) == (2, 2) and s.critical == ["A", "B"]
    assert (s.finish, s.feasible, s.shortfall) == (D("2026-02-25"), True, 0)


def test_an_infeasible_target_in_the_holiday_and_one_before_the_start():
    data = {"start": "2026-02-11", "target": "2026-02-20",
            "steps": [{"id": "A", "duration": 3}, {"id": "B", "duration": 2, "after": [{"id": "A", "lag": 1}]}]}
    s = run(data)
    assert s.steps["B"].late_finish == D("2026-02-14")  # the last working day on or before 2-20
    assert (s.feasible, s.shortfall) == (False, 2)  # 2-24 and 2-25 after the target
    assert s.steps["B"].slack < 0 and s.critical == ["A", "B"]
    early = run({**data, "target": "2026-02-01"})
    assert not early.feasible and early.shortfall == workdays.workdays_between(D("2026-02-01"), D("2026-02-25"))


def test_several_predecessors_with_their_own_lags_across_national_day():
    s = run({"start": "2026-09-29", "target": "2026-10-30", "steps": [
        {"id": "land", "duration": 5}, {"id": "eia", "duration": 2},
        {"id": "permit", "duration": 3, "after": ["land", {"id": "eia", "lag": 4}]}]})
    assert s.steps["land"].early_finish == D("2026-10-10")  # 9-30, 10-8, 10-9, 10-10 (make-up Saturday)
    assert s.steps["eia"].early_finish == D("2026-09-30")
    # after land: the next working day, 10-12; after eia with lag 4: 10-8, 9, 10, 12, 13 → 10-13 wins
    assert s.steps["permit"].early_start == D("2026-10-13")
    assert s.steps["permit"].early_finish == D("2026-10-15")
    assert s.critical == ["permit"] or "permit" in s.critical


def test_actual_dates_are_kept():
    s = run({"start": "2026-03-02", "target": "2026-04-30", "steps": [
        {"id": "A", "duration": 3, "actual_start": "2026-02-26", "actual_finish": "2026-03-06"},
        {"id": "B", "duration": 4, "after": ["A"], "actual_start": "2026-03-10"},
        {"id": "C", "duration": 2, "after": ["B"]}]})
    assert (s.steps["A"].early_start, s.steps["A"].early_finish) == (D("2026-02-26"), D("2026-03-06"))
    assert (s.steps["B"].early_start, s.steps["B"].early_finish) == (D("2026-03-10"), D("2026-03-13"))
    assert s.steps["C"].early_start == D("2026-03-16")


def test_a_long_chain_listed_last_first_is_ordered_without_recursion():
    steps = [sch.Step(f"S{i}", 1, [sch.Dependency(f"S{i - 1}")] if i else []) for i in range(5000)][::-1]
    assert [s.id for s in sch.topological_order(steps)] == [f"S{i}" for i in range(5000)]
    with pytest.raises(sch.ScheduleError, match="steps must be a list"):
        sch.parse({"start": "2026-03-02", "target": "2026-03-30", "steps": 5})


@pytest.mark.parametrize("steps, message", [
    ([{"id": "A", "duration": 1, "after": ["B"]}, {"id": "B", "duration": 1, "after": ["A"]}], "cycle: A → B → A"),
    ([{"id": "A", "duration": 1, "after": ["Z"]}], "unknown predecessor Z"),
    ([{"id": "A", "duration": 1}, {"id": "A", "duration": 2}], "duplicate step id: A"),
    ([{"id": "A", "duration": 0}], "duration must be a whole number"),
    ([{"id": "A", "duration": 1.5}], "duration must be a whole number"),
    ([{"id": "A", "duration": 1}, {"id": "B", "duration": 1, "after": [{"id": "A", "lag": -1}]}], "lag"),
    ([{"id": "A", "duration": 1, "after": [{"id": "C"}]}, {"id": "B", "duration": 1, "after": ["A"]},
      {"id": "C", "duration": 1, "after": ["B"]}], "cycle: A → C → B → A"),
    ([{"id": "A", "duration": 1}, {"id": "B", "duration": 1, "after": "A"}], "B: after must be a list"),
    ([{"id": "A", "duration": 1, "actual_start": "2026-03-03", "actual_finish": "2026-03-02"}],
     "A: actual_finish comes before actual_start"),
])
def test_bad_step_lists_name_the_culprit(steps, message):
    with pytest.raises(sch.ScheduleError, match=message):
        run({"start": "2026-03-02", "target": "2026-06-30", "steps": steps})


def test_the_console_command(tmp_path, capsys):
    path = tmp_path / "steps.json"
    path.write_text(json.dumps({"start": "2026-03-02", "target": "2026-06-30", "steps": [
        {"id": "A", "duration": 3}, {"id": "B", "duration": 5, "after": ["A", {"id": "C", "lag": 2}]},
        {"id": "C", "duration": 4}]}))
    call_command("schedule", str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["finish"] == "2026-03-16" and out["critical"] == ["B", "C"]
    assert out["steps"]["B"] == {"early_start": "2026-03-10", "early_finish": "2026-03-16",
                                 "late_start": "2026-06-24", "late_finish": "2026-06-30", "slack": 72,
                                 "critical": True}
    path.write_text(json.dumps({"start": "2026-03-02", "target": "2026-06-30",
                                "steps": [{"id": "A", "duration": 1, "after": ["A"]}]}))
    with pytest.raises(CommandError) as exc:
        call_command("schedule", str(path))
    assert exc.value.returncode == 2 and "cycle" in str(exc.value)



def test_the_console_command_without_a_database_says_so_in_one_line(tmp_path, monkeypatch):
    from django.db import OperationalError

    from yingshang.core import workdays

    def unreadable():
        raise OperationalError("no such table: core_calendarday")

    monkeypatch.setattr(workdays, "get_calendar", unreadable)
    path = tmp_path / "steps.json"
    path.write_text(json.dumps({"start": "2026-03-02", "target": "2026-06-30", "steps": [{"id": "A", "duration": 1}]}))
    with pytest.raises(CommandError) as exc:
        call_command("schedule", str(path))
    assert exc.value.returncode == 2 and "yingshang migrate" in str(exc.value) and "\n" not in str(exc.value)


graphs = st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1, 15), min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 3)), max_size=2 * n),
    st.integers(0, 40)))


def build(durations, edges):
    steps = [sch.Step(f"S{i}", d) for i, d in enumerate(durations)]
    for a, b, lag in edges:
        lo, hi = min(a, b), max(a, b)
        if lo != hi and all(dep.step != f"S{lo}" for dep in steps[hi].after):
            steps[hi].after.append(sch.Dependency(f"S{lo}", lag))  # edges go forward only: no cycles
    return steps


@given(graphs, st.integers(0, 250))
@settings(max_examples=60, deadline=None)
def test_properties(graph, start_offset):
    durations, edges, _extra = graph
    cal = workdays.get_calendar()
    start = date(2025, 1, 1) + timedelta(days=start_offset)
    steps = build(durations, edges)
    finish = sch.schedule(steps, start, start + timedelta(days=400), cal).finish
    s = sch.schedule(steps, start, finish, cal)  # the target is the finish
    assert s.feasible and all(t.slack >= 0 for t in s.steps.values())
    by_id = {st_.id: st_ for st_ in steps}
    for step in steps:
        t = s.steps[step.id]
        for dep in step.after:
            assert t.early_finish > s.steps[dep.step].early_finish
        if t.critical and step.after:
            assert any(s.steps[dep.step].critical for dep in by_id[step.id].after)


# --- lights and spans -------------------------------------------------------------------------------

def test_lights_follow_slack_and_due_dates():
    cal = workdays.get_calendar()
    today = date(2026, 11, 2)  # a Monday
    t = sch.Timing(early_start=today, early_finish=date(2026, 11, 20), late_start=date(2026, 11, 16),
                          late_finish=date(2026, 12, 4), slack=10)
    assert sch.step_light(t, done=False, today=today, cal=cal) == "green"
    assert sch.step_light(t, done=False, today=date(2026, 11, 18), cal=cal) == "yellow"  # due in 2
    assert sch.step_light(t, done=False, today=date(2026, 11, 23), cal=cal) == "red"  # overdue
    assert sch.step_light(t, done=True, today=date(2026, 11, 23), cal=cal) == "green"
    t.slack = 2
    assert sch.step_light(t, done=False, today=today, cal=cal) == "yellow"
    t.slack = -1
    assert sch.step_light(t, done=False, today=today, cal=cal) == "red"
    assert sch.worst(["green", "yellow"]) == "yellow" and sch.worst([]) == "green"
    assert sch.worst(["yellow", "red", "green"]) == "red"


def test_span_counts_the_working_days_of_the_longest_chain_across_national_day():
    cal = workdays.get_calendar()
    steps = [sch.Step("A", 3), sch.Step("B", 5, [sch.Dependency("A")]),
             sch.Step("C", 2, actual_start=date(2026, 1, 5))]
    # From Monday 2026-09-28: A 9-28..9-30, B 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13: 8 days.
    assert sch.span(steps, date(2026, 9, 28), cal) == 8
    assert sch.span([sch.Step("A", 1)], date(2026, 10, 3), cal) == 1


def _reference(steps, start, target, cal):
    """The schedule computed on dates with ``add_workdays`` step by step (the definition the positions follow)."""
    add = lambda d, n: cal.add_workdays(d, n, provisional=True)  # noqa: E731
    ordered = sch.topological_order(steps)
    es, ef = {}, {}
    for s in ordered:
        es[s.id] = s.actual_start or (max(add(ef[d.step], 1 + d.lag) for d in s.after) if s.after else add(start, 0))
        ef[s.id] = s.actual_finish or add(es[s.id], s.duration - 1)
    last = target if cal.is_workday(target, provisional=True) else add(target, -1)
    succ = {s.id: [(t.id, d.lag) for t in steps for d in t.after if d.step == s.id] for s in steps}
    ls, lf = {}, {}
    for s in reversed(ordered):
        lf[s.id] = min((add(ls[n], -(1 + lag)) for n, lag in succ[s.id]), default=last)
        ls[s.id] = add(lf[s.id], -(s.duration - 1)) if s.duration > 1 else lf[s.id]
    return {s.id: (es[s.id], ef[s.id], ls[s.id], lf[s.id], cal.workdays_between(es[s.id], ls[s.id], provisional=True))
            for s in steps}


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 400), st.integers(20, 500))
def test_the_schedule_on_positions_equals_the_schedule_on_dates(rnd, offset, length):
    """Random graphs around the 2026 holidays, some steps with actual dates that fall on days off."""
    cal = workdays.get_calendar()
    start = D("2025-12-20") + timedelta(days=offset)
    steps = []
    for i in range(rnd.randint(1, 25)):
        after = [sch.Dependency(f"S{j}", rnd.choice([0, 0, 1, 3])) for j in rnd.sample(range(i), min(i, rnd.randint(0, 3)))]
        step = sch.Step(f"S{i}", rnd.randint(0, 20), after)
        if rnd.random() < 0.2:  # begun, maybe finished, on any day (a Sunday too)
            step.actual_start = start + timedelta(days=rnd.randint(0, 60))
            if rnd.random() < 0.5:
                step.actual_finish = step.actual_start + timedelta(days=rnd.randint(0, 30))
        steps.append(step)
    target = start + timedelta(days=length)
    got = sch.schedule(steps, start, target, cal)
    want = _reference(steps, start, target, cal)
    assert {k: (t.early_start, t.early_finish, t.late_start, t.late_finish, t.slack) for k, t in got.steps.items()} \
        == want
    least = min(v[4] for v in want.values())
    assert got.critical == [k for k, v in want.items() if v[4] == least]
    assert got.finish == max(v[1] for v in want.values())
