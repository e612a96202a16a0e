"""Matching as a pure module: conditions as data, property tests over random firms and trees."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.service import matching as m

SIZES = ["large", "medium", "small", "micro"]
GRADES = ["A", "B", "C", "D"]
INDUSTRIES = ["汽车零部件及配件制造", "汽车整车制造", "软件和信息技术服务", "电池制造"]

firms = st.fixed_dictionaries({
    "industry": st.sampled_from(INDUSTRIES + [None]),
    "size": st.sampled_from(SIZES + [None]),
    "age_years": st.one_of(st.none(), st.integers(0, 40)),
    "bureau": st.sampled_from(["b1", "b2", "b3", None]),
    "key": st.booleans(),
    "credit_grade": st.sampled_from(GRADES + [None]),
    "tax_a": st.booleans(),
    "rd_share": st.one_of(st.none(), st.decimals(0, 30, places=2)),
    "headcount": st.one_of(st.none(), st.integers(0, 5000)),
    "revenue": st.one_of(st.none(), st.decimals(0, 10**9, places=2)),
})

leaf = st.one_of(
    st.builds(lambda v: {"attr": "size", "op": "in", "value": v}, st.lists(st.sampled_from(SIZES), min_size=1,
                                                                              unique=True)),
    st.builds(lambda v: {"attr": "credit_grade", "op": "in", "value": v},
              st.lists(st.sampled_from(GRADES), min_size=1, unique=True)),
    st.builds(lambda v: {"attr": "industry", "op": "contains", "value": [v]}, st.sampled_from(["汽车", "电池", "软件"])),
    st.builds(lambda v: {"attr": "key", "op": "is", "value": v}, st.booleans()),
    st.builds(lambda v: {"attr": "tax_a", "op": "is", "value": v}, st.booleans()),
    st.builds(lambda op, v: {"attr": "age_years", "op": op, "value": v}, st.sampled_from(["gte", "lte"]),
              st.integers(0, 30)),
    st.builds(lambda op, v: {"attr": "headcount", "op": op, "value": v}, st.sampled_from(["gte", "lte"]),
              st.integers(0, 3000)),
    st.builds(lambda op, v: {"attr": "rd_share", "op": op, "value": str(v)}, st.sampled_from(["gte", "lte"]),
              st.decimals(0, 20, places=1)),
)
trees = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=4)),
    st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=4)),
    st.builds(lambda x: {"not": x}, inner)), max_leaves=10)


def _satisfying(firm, cond):
    """A leaf rewritten so that ``firm`` meets it (its value taken from the firm)."""
    a = cond["attr"]
    v = firm[a]
    if isinstance(v, bool):
        return {"attr": a, "op": "is", "value": v}
    if a in ("age_years", "headcount", "rd_share", "revenue"):
        return {"attr": a, "op": cond["op"], "value": str(v)}
    return {"attr": a, "op": "contains" if a == "industry" else "in", "value": [v]}


@settings(max_examples=200, deadline=None)
@given(firms, st.lists(leaf, min_size=1, max_size=8))
def test_a_firm_that_meets_every_condition_matches(firm, conds):
    conds = [c for c in conds if firm.get(c["attr"]) is not None]
    cond = m.normalise({"all": [_satisfying(firm, c) for c in conds]})
    assert m.matches(cond, firm)
    assert all(leaf.met for leaf in m.explain(cond, firm))


@settings(max_examples=200, deadline=None)
@given(st.lists(firms, min_size=1, max_size=30), trees, leaf)
def test_adding_a_condition_never_adds_firms(population, tree, extra):
    base = m.normalise({"all": [tree]})
    narrower = m.normalise({"all": [tree, extra]})
    before = {i for i, f in enumerate(population) if m.matches(base, f)}
    after = {i for i, f in enumerate(population) if m.matches(narrower, f)}
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(firms, trees)
def test_the_explanation_names_each_condition_and_agrees_with_the_verdict(firm, tree):
    cond = m.normalise(tree)
    leaves = m.explain(cond, firm)
    assert [(x.attr, x.op, x.value) for x in leaves] == \
        [(c["attr"], c["op"], c["value"]) for c, _neg in m.leaves(cond)]
    if "attr" in cond:  # a single leaf: the verdict is the leaf
        assert m.matches(cond, firm) == leaves[0].met
    if "all" in cond and all("attr" in c for c in cond["all"]):
        assert m.matches(cond, firm) == all(x.met for x in leaves)
    for x in leaves:
        assert x.actual == firm.get(x.attr)


@settings(max_examples=200, deadline=None)
@given(firms, trees)
def test_one_condition_short_means_that_change_alone_would_qualify(firm, tree):
    cond = m.normalise(tree)
    short = m.short_by(cond, firm)
    if m.matches(cond, firm):
        assert short == []
    for x in short:
        assert m.compile_condition(cond, {x.index: not x.met})(firm)


def test_unknown_values_never_meet_a_condition_and_say_so():
    cond = m.normalise({"all": [{"attr": "revenue", "op": "gte", "value": 1000000}]})
    firm = {"revenue": None}
    assert not m.matches(cond, firm)
    (x,) = m.explain(cond, firm)
    assert x.met is False and x.actual is None


def test_nearly_qualifies_names_the_missing_condition():
    cond = m.normalise({"all": [{"attr": "size", "op": "in", "value": ["small", "micro"]},
                                {"attr": "rd_share", "op": "gte", "value": "3"},
                                {"attr": "tax_a", "op": "is", "value": True}]})
    firm = {"size": "small", "rd_share": Decimal("2.5"), "tax_a": True}
    (x,) = m.short_by(cond, firm)
    assert (x.attr, x.met, x.actual) == ("rd_share", False, Decimal("2.5"))
    assert m.short_by(cond, {"size": "large", "rd_share": Decimal("1"), "tax_a": True}) == []  # two short


def test_not_and_any():
    cond = m.normalise({"all": [{"not": {"attr": "credit_grade", "op": "in", "value": ["D"]}},
                                {"any": [{"attr": "key", "op": "is", "value": True},
                                         {"attr": "headcount", "op": "gte", "value": 100}]}]})
    assert m.matches(cond, {"credit_grade": "B", "key": False, "headcount": 120})
    assert not m.matches(cond, {"credit_grade": "D", "key": True, "headcount": 120})
    assert not m.matches(cond, {"credit_grade": "A", "key": False, "headcount": 20})
    short = m.short_by(cond, {"credit_grade": "D", "key": True, "headcount": 5})
    assert [(x.attr, x.negated) for x in short] == [("credit_grade", True)]


def test_an_empty_all_is_every_firm():
    assert m.matches(m.normalise({"all": []}), {})


@pytest.mark.parametrize("bad,where", [
    ({"attr": "colour", "op": "in", "value": ["red"]}, "attr"),
    ({"attr": "size", "op": "gte", "value": 3}, "op"),
    ({"attr": "size", "op": "in", "value": []}, "value"),
    ({"attr": "headcount", "op": "gte", "value": "many"}, "value"),
    ({"attr": "headcount", "op": "gte", "value": "1e400"}, "value"),
    ({"attr": "key", "op": "is", "value": "yes"}, "value"),
    ({"all": [{"attr": "size", "op": "in", "value": ["small"]}, {"any": "x"}]}, "all.1.any"),
    ({"all": {"attr": "size"}}, "all"),
    ({"both": []}, "condition"),
    ([], "condition"),
    ({"attr": "industry", "op": "in", "value": ["a\x00b"]}, "value"),
])
def test_malformed_conditions_are_refused_saying_where(bad, where):
    with pytest.raises(m.ConditionError) as exc:
        m.normalise(bad)
    assert exc.value.path.endswith(where)


def test_depth_and_size_are_bounded():
    deep = {"attr": "key", "op": "is", "value": True}
    for _ in range(m.MAX_DEPTH + 2):
        deep = {"not": deep}
    with pytest.raises(m.ConditionError):
        m.normalise(deep)
    with pytest.raises(m.ConditionError):
        m.normalise({"all": [{"attr": "key", "op": "is", "value": True}] * (m.MAX_LEAVES + 1)})


@settings(max_examples=200, deadline=None)
@given(firms, trees)
def test_the_compiled_form_agrees_with_the_plain_one(firm, tree):
    cond = m.normalise(tree)
    c = m.Compiled(cond)
    assert c.matches(firm) == m.matches(cond, firm)
    assert c.explain(firm) == m.explain(cond, firm)
    ok, short = c.verdict(firm)
    assert ok == m.matches(cond, firm) and short == m.short_by(cond, firm)
