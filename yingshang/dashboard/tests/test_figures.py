"""Every figure of the registry against an independent count: records built by hand just inside and just outside
the period's ends (Shanghai midnight), the period before (环比), the same period a year earlier (同比), the group
and bureau filters, the roll-up against the records, and the drill-down listing exactly the records counted."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from yingshang.core.workdays import ZONE
from yingshang.dashboard import figures as F_
from yingshang.dashboard import selectors, services
from yingshang.dashboard.figures import COUNT, MEAN, RATE, SUM, Dims
from yingshang.dashboard.periods import Period

from .conftest import BUILDERS, sh

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
FIRST = datetime(2026, 3, 1, 0, 0, 0, tzinfo=ZONE)                    # the period's first instant
LAST = datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=ZONE)         # its last
BEFORE = FIRST - timedelta(microseconds=1)                            # 28 February, the period before
AFTER = LAST + timedelta(microseconds=1)                              # 1 April: in no period asked
YEAR = sh(date(2025, 3, 15))                                          # March a year earlier

# amounts of the two records inside (A, B) → the value the figure must show; the records before and a year
# earlier carry A's amount.
AMOUNTS = {
    "projects.major_started": (Decimal(100_000_000), Decimal(200_000_000)),
    "projects.returned": (Decimal(150_000_000), Decimal(50_000_000)),
    "projects.returned_signed": (Decimal(250_000_000), Decimal(50_000_000)),
    "projects.contact_to_groundbreaking_days": (10, 21),
    "inspections.inspector_visits": (2, 3),
    "inspections.visits_saved": (1, 2),
    "catalog.business_startup_workdays": (9, 4.5),
}


def _when(fig, moment: datetime):
    return moment if fig.datetime_day else moment.astimezone(ZONE).date()


def _expected(fig, amounts: list) -> Decimal | int | None:
    """The value computed here, from the records' own numbers, without the figure's machinery."""
    n = len(amounts)
    if fig.kind == COUNT:
        return n
    if fig.kind == SUM:
        return int(sum(Decimal(str(a)) for a in amounts))
    if fig.kind == MEAN:
        if not n:
            return None
        scale = Decimal(9) if fig.key == "catalog.business_startup_workdays" else Decimal(1)
        return (sum(Decimal(str(a)) for a in amounts) / scale / n).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    raise AssertionError(fig.kind)


def _build(cw, key):
    """A and B inside the period (A in the group and bureau, above the line; B in the others, below it); C the
    instant before the period, D the instant after, E a year earlier (all in A's group and bureau)."""
    fig = F_.get(key)
    build = BUILDERS[key]
    a_amt, b_amt = AMOUNTS.get(key, (None, None))
    a = build(cw, _when(fig, FIRST), cw.firm, True, a_amt)
    b = build(cw, _when(fig, LAST), cw.other_firm, False, b_amt)
    c = build(cw, _when(fig, BEFORE), cw.firm, True, a_amt)
    d = build(cw, _when(fig, AFTER), cw.firm, True, a_amt)
    e = build(cw, _when(fig, YEAR), cw.firm, True, a_amt)
    return fig, (a, b, c, d, e), (a_amt, b_amt)


def _check(fig, answer, amounts, *, group_answer=None, bureau_answer=None):
    a_amt, b_amt = amounts
    if fig.kind == RATE:
        assert answer["value"] == Decimal("50.0")        # A above the line, B not
        assert answer["previous"] == Decimal("100.0")    # C
        assert answer["year_before"] == Decimal("100.0")  # E
    else:
        assert answer["value"] == _expected(fig, [a_amt, b_amt] if fig.amount else [1, 1])
        assert answer["previous"] == _expected(fig, [a_amt] if fig.amount else [1])
        assert answer["year_before"] == _expected(fig, [a_amt] if fig.amount else [1])
    if fig.kind == COUNT and fig.amount is not None:
        assert answer["amount"] == ((a_amt + b_amt) / fig.amount_scale).quantize(Decimal("0.1"))
        assert answer["amount_previous"] == (a_amt / fig.amount_scale).quantize(Decimal("0.1"))
    if group_answer is not None:
        if fig.group_path is None:
            assert group_answer["applies"] is False and group_answer["value"] is None
        else:
            expected = Decimal("100.0") if fig.kind == RATE else _expected(fig, [a_amt] if fig.amount else [1])
            assert group_answer["value"] == expected
    if bureau_answer is not None:  # the other bureau: B only
        expected = Decimal("0.0") if fig.kind == RATE else _expected(fig, [b_amt] if fig.amount else [1])
        assert bureau_answer["value"] == expected


@pytest.mark.parametrize("key", sorted(BUILDERS))
def test_a_flow_figure_counts_the_records_of_its_days(cw, key):
    fig, (a, b, c, d, e), amounts = _build(cw, key)
    for src in ("records", "rollup"):
        if src == "rollup":
            services.rollup_refresh(full=True)
        answer = selectors.figure_answers(MARCH, keys=[key], src=src)[0]
        group = selectors.figure_answers(MARCH, Dims(group=cw.group.pk), keys=[key], src=src)[0]
        bureau = selectors.figure_answers(MARCH, Dims(bureau=cw.other_bureau.pk), keys=[key], src=src)[0]
        _check(fig, answer, amounts, group_answer=group, bureau_answer=bureau)
    # The drill-down lists exactly A and B; narrowed to the group, A.
    listed = selectors.figure_records(fig, MARCH)
    assert {o.pk for o in listed} == {a.pk, b.pk}
    if fig.kind == RATE:
        assert {o.pk: o.above for o in listed} == {a.pk: True, b.pk: False}
    if fig.group_path:
        assert [o.pk for o in selectors.figure_records(fig, MARCH, Dims(group=cw.group.pk))] == [a.pk]


def test_every_flow_figure_has_a_test_and_every_key_the_issue_names_exists():
    named = {"tickets.registered", "tickets.closed", "tickets.closed_for_group", "tickets.on_time_resolution_rate",
             "tickets.satisfaction_rate", "projects.major_started", "projects.returned",
             "projects.contact_to_groundbreaking_days", "inspections.items", "inspections.inspectors",
             "inspections.plans", "inspections.tasks_in_department", "inspections.tasks_joint",
             "inspections.firms_drawn", "inspections.inspector_visits", "inspections.visits_saved",
             "credit.red_list", "credit.black_list", "credit.class_distribution", "safety.checks",
             "safety.hazards_found", "safety.hazards_rectified", "safety.rectification_rate", "catalog.items",
             "catalog.powers", "catalog.bundles", "catalog.online_rate", "catalog.business_startup_workdays",
             "catalog.claim_rate"}
    assert named <= set(F_.BY_KEY)
    assert {f.key for f in F_.flows()} == set(BUILDERS)


def test_problems_for_groups_leave_out_firms_in_no_group(cw):
    from .conftest import t_closed

    inside = [t_closed(cw, sh(date(2026, 3, 5)), cw.firm), t_closed(cw, sh(date(2026, 3, 6)), cw.other_firm)]
    t_closed(cw, sh(date(2026, 3, 7)), cw.lone_firm)
    both = {a["key"]: a["value"] for a in selectors.figure_answers(MARCH, keys=["tickets.closed",
                                                                                 "tickets.closed_for_group"])}
    assert both == {"tickets.closed": 3, "tickets.closed_for_group": 2}
    assert {t.pk for t in selectors.figure_records(F_.get("tickets.closed_for_group"), MARCH)} == {t.pk for t in inside}


def test_a_redrawn_plan_counts_once_and_a_superseded_draw_not_at_all(cw):
    from yingshang.inspections.models import Draw

    from .conftest import i_single

    draw = i_single(cw, FIRST + timedelta(days=3), cw.firm)
    Draw.objects.create(plan=draw.plan, sequence=2, status="superseded", firms=[], inspectors=[], firms_hash="x",
                        inspectors_hash="x", rules={}, frozen_by=cw.user, drawn_at=FIRST + timedelta(days=2))
    assert selectors.figure_answers(MARCH, keys=["inspections.tasks_in_department"])[0]["value"] == 1


def test_ground_breaking_is_the_first_day_on_the_ground(cw):
    """A project that went on to be topped out still counts on the day its ground was broken, once."""
    from yingshang.projects.models import Event

    from .conftest import p_major

    p = p_major(cw, date(2026, 3, 10), cw.firm)
    Event.objects.create(project=p, action="projects.project.stage_changed", from_status="started",
                         to_status="topped", on=date(2026, 4, 20))
    answers = {a["key"]: a for a in selectors.figure_answers(MARCH, keys=["projects.major_started"])}
    assert answers["projects.major_started"]["value"] == 1
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    assert selectors.figure_answers(april, keys=["projects.major_started"])[0]["value"] == 0


def test_projects_below_the_threshold_are_not_major(cw):
    from .conftest import p_major

    p_major(cw, date(2026, 3, 10), cw.firm, amount=Decimal(49_999_999))
    assert selectors.figure_answers(MARCH, keys=["projects.major_started"])[0]["value"] == 0


# --- stock figures --------------------------------------------------------------------------------------

def test_the_lists_count_the_firms_on_them_on_the_periods_last_day(cw):
    from yingshang.credit.models import ListEntry

    def entry(firm, kind, starts, ends=None, status="active"):
        return ListEntry.objects.create(enterprise=firm, kind=kind, basis="依据", starts_on=starts, ends_on=ends,
                                        status=status)

    on = entry(cw.firm, "red", date(2026, 3, 31))                              # entered on the last day
    entry(cw.other_firm, "red", date(2026, 1, 1), date(2026, 3, 31), "ended")  # ends on the last day: still on
    entry(cw.lone_firm, "red", date(2026, 1, 1), date(2026, 3, 30), "ended")   # ended the day before
    entry(cw.lone_firm, "red", date(2026, 4, 1))                               # entered the day after
    entry(cw.firm, "black", date(2025, 6, 1))
    answers = {a["key"]: a for a in selectors.figure_answers(MARCH, keys=["credit.red_list", "credit.black_list"])}
    assert answers["credit.red_list"]["value"] == 2
    assert answers["credit.black_list"]["value"] == 1
    assert answers["credit.red_list"]["previous"] == 2  # 28 February: the other firm's and the lone firm's
    assert answers["credit.black_list"]["year_before"] == 0  # 31 March 2025: not yet
    group = selectors.figure_answers(MARCH, Dims(group=cw.group.pk), keys=["credit.red_list"])[0]
    assert group["value"] == 1
    listed = selectors.figure_records(F_.get("credit.red_list"), MARCH, Dims(group=cw.group.pk))
    assert [e.pk for e in listed] == [on.pk]


def test_class_distribution_counts_every_firm_and_the_unscored_as_b(cw):
    from yingshang.credit.models import RuleSet, ScoreHistory, Standing

    rs = RuleSet.objects.create(version=99, name="测试", status="draft")
    Standing.objects.create(enterprise=cw.firm, score=60, grade="D", ruleset=rs, since=date(2026, 1, 1),
                            computed_on=date(2026, 1, 1))
    ScoreHistory.objects.create(enterprise=cw.firm, as_of=date(2026, 1, 1), score=60, grade="D", ruleset=rs)
    ScoreHistory.objects.create(enterprise=cw.other_firm, as_of=date(2026, 4, 2), score=120, grade="A", ruleset=rs)
    a = selectors.figure_answers(MARCH, keys=["credit.class_distribution"])[0]
    assert a["parts"] == {"A": 0, "B": 2, "C": 0, "D": 1}  # on 31 March the other firm was not yet A
    assert a["value"] == Decimal("66.7")
    assert selectors.figure_answers(MARCH, Dims(group=cw.group.pk), keys=["credit.class_distribution"])[0][
        "parts"] == {"A": 0, "B": 0, "C": 0, "D": 1}


def test_the_catalogues_and_inspection_lists_counts(cw):
    from yingshang.catalog.models import Bundle
    from yingshang.inspections.models import Inspector, Item

    from .conftest import _version

    _version(cw)
    Bundle.objects.create(code="b1", name="一件事一", active=True)
    Bundle.objects.create(code="b2", name="一件事二", active=False)
    Item.objects.create(department=cw.dept, code="JC1", name="检查一")
    Item.objects.create(department=cw.dept, code="JC2", name="检查二", active=False)
    Inspector.objects.create(name="甲", department=cw.dept, certificate="C1")
    a = {x["key"]: x["value"] for x in selectors.figure_answers(MARCH, keys=[
        "catalog.items", "catalog.powers", "catalog.bundles", "inspections.items", "inspections.inspectors"])}
    assert a == {"catalog.items": 1, "catalog.powers": 1, "catalog.bundles": 1, "inspections.items": 1,
                 "inspections.inspectors": 1}


# --- the roll-up ------------------------------------------------------------------------------------------

def test_the_sweep_brings_back_only_its_window(cw):
    from .conftest import t_registered

    t_registered(cw, sh(date(2026, 2, 10)), cw.firm)
    services.rollup_refresh(full=True)
    t_registered(cw, sh(date(2026, 3, 10)), cw.firm)
    t_registered(cw, sh(date(2026, 2, 11)), cw.firm)  # older than the window: waits for the full rebuild
    assert selectors.figure_answers(MARCH, keys=["tickets.registered"])[0]["value"] == 0  # not refreshed yet
    services.rollup_refresh(since=date(2026, 3, 1))
    a = selectors.figure_answers(MARCH, keys=["tickets.registered"])[0]
    assert (a["value"], a["previous"]) == (1, 1)
    services.rollup_refresh(full=True)
    assert selectors.figure_answers(MARCH, keys=["tickets.registered"])[0]["previous"] == 2
    state = selectors.rollup_state()
    # a cell a day for the figure and for the map's area, each with the zone's own cell beside it
    assert state.full_at is not None and state.cells == 12


def test_the_monthly_series_sums_the_months(cw):
    from .conftest import t_registered

    for d in (date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1)):
        t_registered(cw, sh(d, time(23, 59)), cw.firm)
    services.rollup_refresh(full=True)
    a = selectors.figure_answer("tickets.registered", Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert [(p["month"], p["value"]) for p in a["series"]] == [("2026-01", 1), ("2026-02", 2), ("2026-03", 1)]
    live = selectors.figure_answer("tickets.registered", Period(date(2026, 1, 1), date(2026, 3, 31)), src="records")
    assert live["series"] == a["series"]


def test_lights_follow_target_and_warning(cw):
    from .conftest import t_on_time

    for i in range(9):
        t_on_time(cw, sh(date(2026, 3, 2 + i)), cw.firm, above=i < 8)  # 8 of 9 on time: 88.9 %, warning 90
    a = selectors.figure_answers(MARCH, keys=["tickets.on_time_resolution_rate"])[0]
    assert a["value"] == Decimal("88.9") and a["light"] == "red"


def test_rankings_from_the_rollup(cw):
    from .conftest import _ticket, t_closed

    for i in range(5):  # the market department: 4 of 5 on time
        when = sh(date(2026, 3, 2 + i))
        _ticket(cw, cw.firm, status="resolved", resolved_at=when, lead_department=cw.dept,
                resolve_due=when + timedelta(hours=-1 if i == 0 else 1))
    for i in range(4):  # below the five a ranking needs
        when = sh(date(2026, 3, 2 + i))
        _ticket(cw, cw.firm, status="resolved", resolved_at=when, lead_department=cw.dept2, resolve_due=when)
    t_closed(cw, sh(date(2026, 3, 9)), cw.other_firm)
    t_closed(cw, sh(date(2026, 3, 10)), cw.other_firm)
    t_closed(cw, sh(date(2026, 3, 11)), cw.firm)
    services.rollup_refresh(full=True)
    ranks = selectors.rankings(MARCH)
    assert [(d["id"], d["n"], d["rate"]) for d in ranks["departments"]] == [(cw.dept.pk, 5, Decimal("80.0"))]
    assert [(b["id"], b["closed"]) for b in ranks["bureaus"]] == [(cw.other_bureau.pk, 2), (cw.bureau.pk, 1)]
    assert selectors.rankings(MARCH, Dims(bureau=cw.other_bureau.pk))["departments"] == []


def test_the_map_counts_the_periods_problems_by_area(cw):
    from yingshang.core import geo

    from .conftest import t_registered

    features = geo.zone_map()["features"]
    ring = geo.rings(features[0])[0]
    x = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    y = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    cw.firm.lng, cw.firm.lat = Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")
    cw.firm.save()
    for d in (FIRST, LAST, BEFORE):
        t_registered(cw, d, cw.firm)
    t_registered(cw, FIRST, cw.lone_firm)  # no place
    services.rollup_refresh(full=True)
    data = selectors.zone_map_data(MARCH)
    counts = {a["name"]: a["value"] for a in data["areas"]}
    assert counts[features[0]["properties"]["name"]] == 2 and sum(counts.values()) == 2
    assert data["unplaced_problems"] == 1
    assert selectors.zone_map_data(MARCH, Dims(group=cw.group.pk))["unplaced_problems"] == 0
