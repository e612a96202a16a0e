"""The pure scoring module: properties over random records, and the rules' invariants."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.credit import defaults, scoring

RULES = scoring.RuleSet.of(1, [scoring.Rule(kind=k, severity=s, delta=d, counts_days=days, cap=cap or None, list=lst,
                                             repair_after_days=rep)
                               for k, s, d, days, cap, lst, rep in defaults.RULES],
                           **{k: defaults.RULESET[k] for k in ("base", "a_min", "b_min", "c_min")})
ON = date(2026, 6, 30)
NEGATIVE = [k for k, sign in scoring.KIND_SIGN.items() if sign == scoring.NEGATIVE]

records = st.builds(
    scoring.Record, id=st.integers(1, 10_000), kind=st.sampled_from(sorted(scoring.KIND_SIGN)),
    severity=st.sampled_from(scoring.SEVERITIES), decided_on=st.dates(date(2022, 1, 1), date(2026, 6, 30)),
    status=st.sampled_from(["active", "objection", "expired", "repaired", "revoked"]),
    public_to=st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2028, 1, 1))))
record_lists = st.lists(records, max_size=12, unique_by=lambda r: r.id)


def grade_rank(g):
    return scoring.GRADES.index(g)


def test_a_firm_without_records_is_b():
    res = scoring.evaluate([], RULES, ON)
    assert (res.score, res.grade, res.effects, res.red, res.black) == (100, "B", (), (), ())


def test_known_cases():
    tax = scoring.Record(1, "tax_a", "general", ON - timedelta(days=10))
    assert scoring.evaluate([tax], RULES, ON).grade == "A"
    assert scoring.evaluate([tax], RULES, ON).red == (1,)
    # 严重违法失信名单: class D whatever the score, and the black list; the red list goes.
    dishonest = scoring.Record(2, "serious_dishonest", "general", ON - timedelta(days=10))
    res = scoring.evaluate([tax, dishonest], RULES, ON)
    assert (res.score, res.score_grade, res.grade, res.black, res.red) == (70, "C", "D", (2,), ())
    # 失信被执行人: at least C even with a high score.
    defaulter = scoring.Record(3, "judgment_defaulter", "general", ON - timedelta(days=10))
    many_good = [scoring.Record(10 + i, "honour", "general", ON - timedelta(days=i + 1)) for i in range(10)]
    res = scoring.evaluate(many_good + [defaulter], RULES, ON)
    assert res.score_grade == "A" and res.grade == "C"


def test_the_rule_period_and_publicity_end_the_effect():
    minor = scoring.Record(1, "penalty", "minor", date(2025, 1, 1))  # counts 365 days
    assert scoring.evaluate([minor], RULES, date(2025, 12, 31)).score == 95
    assert scoring.evaluate([minor], RULES, date(2026, 1, 1)).score == 100
    short = scoring.Record(2, "penalty", "general", date(2025, 1, 1), public_to=date(2025, 3, 1))
    assert scoring.evaluate([short], RULES, date(2025, 3, 1)).score == 90
    assert scoring.evaluate([short], RULES, date(2025, 3, 2)).score == 100
    assert scoring.evaluate([short], RULES, date(2024, 12, 31)).score == 100  # not yet decided


@given(record_lists, records)
@settings(max_examples=300, deadline=None)
def test_a_negative_record_never_raises_the_score_nor_improves_the_class(recs, extra):
    extra = scoring.Record(max([r.id for r in recs], default=0) + 1, NEGATIVE[extra.id % len(NEGATIVE)],
                           extra.severity, extra.decided_on, extra.status, extra.public_to)
    before = scoring.evaluate(recs, RULES, ON)
    after = scoring.evaluate(recs + [extra], RULES, ON)
    assert after.score <= before.score
    assert grade_rank(after.grade) >= grade_rank(before.grade)


@given(record_lists)
@settings(max_examples=300, deadline=None)
def test_expired_repaired_and_revoked_records_never_count(recs):
    dead = [r for r in recs if r.status in ("expired", "repaired", "revoked")]
    live = [r for r in recs if r not in dead]
    assert scoring.evaluate(recs, RULES, ON) == scoring.evaluate(live, RULES, ON)
    assert not {e.record_id for e in scoring.evaluate(recs, RULES, ON).effects} & {r.id for r in dead}


@given(st.integers(0, 200), st.integers(0, 200))
def test_the_class_never_improves_as_the_score_falls(a, b):
    hi, lo = max(a, b), min(a, b)
    assert grade_rank(RULES.grade_for_score(lo)) >= grade_rank(RULES.grade_for_score(hi))


@given(record_lists)
@settings(max_examples=200, deadline=None)
def test_same_inputs_same_result_whatever_the_order(recs):
    assert scoring.evaluate(recs, RULES, ON) == scoring.evaluate(list(reversed(recs)), RULES, ON)


@given(record_lists)
@settings(max_examples=200, deadline=None)
def test_the_red_list_never_holds_a_risky_or_blacklisted_firm(recs):
    res = scoring.evaluate(recs, RULES, ON)
    if res.red:
        assert res.grade in ("A", "B") and not res.black
    assert 0 <= res.score <= 200


@pytest.mark.parametrize("rule", [
    dict(kind="penalty", delta=5), dict(kind="tax_a", delta=-1), dict(kind="tax_a", cap="C"),
    dict(kind="penalty", list="red"), dict(kind="tax_a", list="black"), dict(kind="nonsense"),
    dict(kind="penalty", severity="huge"), dict(kind="penalty", counts_days=-1)])
def test_rules_that_break_the_invariants_are_refused(rule):
    with pytest.raises(scoring.RuleError):
        scoring.Rule(**rule)


def test_thresholds_must_put_the_base_in_b():
    with pytest.raises(scoring.RuleError):
        scoring.RuleSet(version=2, base=100, a_min=100, b_min=90, c_min=70)
    with pytest.raises(scoring.RuleError):
        scoring.RuleSet.of(2, [scoring.Rule(kind="penalty"), scoring.Rule(kind="penalty")])
