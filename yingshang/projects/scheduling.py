"""Backward scheduling of a project's approval steps (倒排工期) on the working calendar — pure Python.

Durations are whole working days ≥ 1; a lag is whole working days ≥ 0 on a dependency.
- early start: without predecessors, the first working day on or after the project start; with them, the
  (1 + lag)-th working day after the latest predecessor's early finish (the maximum over predecessors,
  each with its own lag);
- early finish: the (duration − 1)-th working day after the early start;
- late finish: without successors, the last working day on or before the target; otherwise the minimum
  over successors of the (1 + lag)-th working day before the successor's late start;
- late start: the (duration − 1)-th working day before the late finish;
- slack: the signed count of working days from early start to late start (0 when equal, negative when the
  late start comes first); critical steps have the minimum slack;
- finish: the latest early finish; feasible: finish ≤ target; shortfall: working days from target to
  finish (0 when feasible);
- a finished step keeps its actual dates; a started step keeps its actual start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ScheduleError(ValueError):
    """A step list that cannot be scheduled: a cycle, an unknown predecessor, a duplicate id, a bad number."""


@dataclass(frozen=True)
class Dependency:
    step: str
    lag: int = 0


@dataclass
class Step:
    id: str
    duration: int
    after: list[Dependency] = field(default_factory=list)
    actual_start: date | None = None
    actual_finish: date | None = None


@dataclass(slots=True)
class Timing:
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    slack: int
    critical: bool = False

    def as_dict(self) -> dict:
        return {"early_start": self.early_start.isoformat(), "early_finish": self.early_finish.isoformat(),
                "late_start": self.late_start.isoformat(), "late_finish": self.late_finish.isoformat(),
                "slack": self.slack, "critical": self.critical}


@dataclass
class Schedule:
    finish: date
    feasible: bool
    shortfall: int
    critical: list[str]
    steps: dict[str, Timing]

    def as_dict(self) -> dict:
        return {"finish": self.finish.isoformat(), "feasible": self.feasible, "shortfall": self.shortfall,
                "critical": self.critical, "steps": {k: v.as_dict() for k, v in self.steps.items()}}


def parse(data: dict) -> tuple[date, date, list[Step]]:
    """``{"start": ISO, "target": ISO, "steps": [{"id", "duration", "after": [id | {"id", "lag"}],
    "actual_start"?, "actual_finish"?}]}`` → (start, target, steps); refuses malformed input."""
    try:
        start, target = date.fromisoformat(data["start"]), date.fromisoformat(data["target"])
    except (KeyError, TypeError, ValueError):
        raise ScheduleError("start and target must be ISO dates (YYYY-MM-DD)") from None
    if not isinstance(data.get("steps") or [], list):
        raise ScheduleError("steps must be a list")
    steps = []
    for raw in data.get("steps") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise ScheduleError(f"every step needs a text id: {raw!r}")
        d = raw.get("duration")
        if not isinstance(d, int) or isinstance(d, bool) or d < 1:
            raise ScheduleError(f"step {raw['id']}: duration must be a whole number of working days ≥ 1, not {d!r}")
        if not isinstance(raw.get("after") or [], list):
            raise ScheduleError(f"step {raw['id']}: after must be a list of predecessors, not {raw['after']!r}")
        after = []
        for dep in raw.get("after") or []:
            if isinstance(dep, str):
                after.append(Dependency(dep))
            elif isinstance(dep, dict) and isinstance(dep.get("id"), str):
                lag = dep.get("lag", 0)
                if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
                    raise ScheduleError(f"step {raw['id']}: lag after {dep['id']} must be a whole number ≥ 0")
                after.append(Dependency(dep["id"], lag))
            else:
                raise ScheduleError(f"step {raw['id']}: a predecessor is an id or {{\"id\", \"lag\"}}, not {dep!r}")
        try:
            actual = {k: date.fromisoformat(raw[k]) if raw.get(k) else None for k in ("actual_start", "actual_finish")}
        except (TypeError, ValueError):
            raise ScheduleError(f"step {raw['id']}: actual dates must be ISO dates") from None
        if actual["actual_start"] and actual["actual_finish"] and actual["actual_finish"] < actual["actual_start"]:
            raise ScheduleError(f"step {raw['id']}: actual_finish comes before actual_start")
        steps.append(Step(raw["id"], d, after, **actual))
    return start, target, steps


def topological_order(steps: list[Step]) -> list[Step]:
    """Steps with every predecessor before its successors; refuses duplicates, unknown ids and cycles."""
    by_id = {}
    for s in steps:
        if s.id in by_id:
            raise ScheduleError(f"duplicate step id: {s.id}")
        by_id[s.id] = s
    for s in steps:
        for dep in s.after:
            if dep.step not in by_id:
                raise ScheduleError(f"step {s.id}: unknown predecessor {dep.step}")
    state, out = {}, []
    for root in steps:  # depth first, without recursion (a long chain must not exhaust the stack)
        if state.get(root.id) == "done":
            continue
        state[root.id], path, stack = "open", [root.id], [(root, iter(root.after))]
        while stack:
            s, deps = stack[-1]
            for dep in deps:
                nxt = by_id[dep.step]
                if state.get(nxt.id) == "done":
                    continue
                if state.get(nxt.id) == "open":
                    raise ScheduleError("cycle: " + " → ".join(path[path.index(nxt.id):] + [nxt.id]))
                state[nxt.id] = "open"
                path.append(nxt.id)
                stack.append((nxt, iter(nxt.after)))
                break
            else:
                stack.pop()
                path.pop()
                state[s.id] = "done"
                out.append(s)
    return out


def schedule(steps: list[Step], start: date, target: date, cal) -> Schedule:
    """Early and late dates, slack and the critical steps, on the calendar ``cal`` (a ``WorkCalendar``).
    The passes run on working-day positions (integers: ``WorkCalendar.position``), the dates are read back at
    the end; an actual start or finish keeps its own date, even on a day off."""
    if not steps:
        raise ScheduleError("no steps to schedule")
    ordered = topological_order(steps)
    pos, add = (lambda d: cal.position(d, provisional=True)), cal.add_position
    first_day = add(pos(start), 0)
    es, ef = {}, {}
    for s in ordered:  # (a working day's position p, n working days on: p + 2n — the usual case, inline)
        if s.actual_start:
            es[s.id] = pos(s.actual_start)
        elif s.after:
            es[s.id] = max((p + 2 + 2 * d.lag) if not (p := ef[d.step]) & 1 else add(p, 1 + d.lag) for d in s.after)
        else:
            es[s.id] = first_day
        p = es[s.id]
        ef[s.id] = pos(s.actual_finish) if s.actual_finish else \
            (p + 2 * (s.duration - 1) if not p & 1 else add(p, s.duration - 1))
    target_pos = pos(target)
    last_day = target_pos if not target_pos & 1 else add(target_pos, -1)
    successors = {s.id: [] for s in steps}
    for s in steps:
        for d in s.after:
            successors[d.step].append((s.id, d.lag))
    ls, lf = {}, {}
    for s in reversed(ordered):
        lf[s.id] = f = min((ls[succ] - 2 - 2 * lag for succ, lag in successors[s.id]), default=last_day)
        ls[s.id] = f - 2 * (s.duration - 1) if s.duration > 1 else f
    # working days in (a, b] of two positions: ((b + 2) >> 1) - ((a + 2) >> 1)
    slack = {s.id: ((ls[s.id] + 2) >> 1) - ((es[s.id] + 2) >> 1) for s in steps}
    least = min(slack.values())
    # every position read back is a computed one (a working day's): checked once, then read off the list
    cal.day_at(min(min(es.values()), min(ls.values())) & ~1)
    cal.day_at(max(max(ef.values()), max(lf.values())) & ~1)
    day = cal.working_days()
    timings = {}
    for s in steps:
        timings[s.id] = Timing(s.actual_start or day[es[s.id] >> 1], s.actual_finish or day[ef[s.id] >> 1],
                               day[ls[s.id] >> 1], day[lf[s.id] >> 1], slack[s.id], slack[s.id] == least)
    finish = max(t.early_finish for t in timings.values())
    feasible = finish <= target
    shortfall = 0 if feasible else cal.workdays_between(target, finish, provisional=True)
    return Schedule(finish, feasible, shortfall, [s.id for s in steps if timings[s.id].critical], timings)


# --- what a leader reads off a schedule ---------------------------------------------------------

GREEN, YELLOW, RED = "green", "yellow", "red"
WARN_WORKDAYS = 2


def step_light(t: Timing, *, done: bool, today: date, cal, warn: int = WARN_WORKDAYS) -> str:
    """Green on schedule; yellow when the slack is at most ``warn`` working days or the step is due within
    ``warn`` working days; red when the slack is negative or the step is overdue. A finished step is green."""
    if done:
        return GREEN
    if t.slack < 0 or t.early_finish < today:
        return RED
    if t.slack <= warn or cal.workdays_between(today, t.early_finish, provisional=True) <= warn:
        return YELLOW
    return GREEN


def worst(lights) -> str:
    """The project's light: the worst of its open steps' lights (green when none is open)."""
    lights = set(lights)
    return RED if RED in lights else YELLOW if YELLOW in lights else GREEN


def span(steps: list[Step], start: date, cal) -> int:
    """Working days the steps take from the first working day on or after ``start`` to the last finish,
    both counted, ignoring actual dates: the figure behind "按法定时限需 X 个工作日"."""
    plain = [Step(s.id, s.duration, s.after) for s in steps]
    result = schedule(plain, start, start, cal)
    first = cal.add_workdays(start, 0, provisional=True)
    return cal.workdays_between(first, result.finish, provisional=True) + 1
