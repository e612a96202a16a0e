"""The draw against the reference implementation, the published record, and every exclusion rule."""

import copy
import json

import pytest
from consistent_sampler import sampler
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.inspections import draw


def test_the_reference_vector():
    assert [i for i, _t in draw.sample(range(100), "41", 10)] == ["73", "51", "17", "58", "38", "42", "39", "20",
                                                                "11", "67"]


@pytest.mark.parametrize("seed, ids, take", [
    ("41", [f"ENT:{i:018d}" for i in range(200)], 25),
    ("12345678901234567890", [f"INS:{i}" for i in range(50)], 50),
    ("20211018/ENT:91220101MA0Y3B2B4E", ["INS:A", "INS:B", "INS:C", "INS:中文"], 4),
    ("seed with spaces & 中文", [str(i) for i in range(1000)], 30),
])
def test_the_same_order_and_tickets_as_consistent_sampler(seed, ids, take):
    expected = list(sampler(ids, seed=seed, take=take, output="ticket", digits=200))
    got = draw.sample(ids, seed, take)
    assert [i for i, _t in got] == [t.id for t in expected]
    assert [t for _i, t in got] == [t.ticket_number for t in expected]


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=40, unique=True), st.text(max_size=30))
@settings(max_examples=100, deadline=None)
def test_order_matches_the_reference_for_any_ids_and_seed(ids, seed):
    assert draw.order(ids, seed) == list(sampler(ids, seed=seed, output="id"))


def test_duplicate_ids_are_refused():
    with pytest.raises(draw.DrawError):
        draw.order(["a", "b", "a"], "1")


def firm(n, grade="B", **kw):
    return {"id": f"ENT:{n:018d}", "grade": grade, "recent": False, "last": [], **kw}


def inspector(n, dept="market", **kw):
    return {"id": f"INS:{dept}-{n:04d}", "department": dept, "relations": [], **kw}


def pools(n_firms=200, depts=("market", "fire"), per_dept=6):
    firms = sorted((firm(i, "ABCD"[i % 4]) for i in range(n_firms)), key=lambda f: f["id"])
    inspectors = sorted((inspector(i, d) for d in depts for i in range(per_dept)), key=lambda i: i["id"])
    return firms, inspectors


RULES = draw.Rules(strata={"A": {"ratio": "0.02"}, "B": {"ratio": "0.05"}, "C": {"ratio": "0.10"},
                           "D": {"ratio": "0.30"}}, departments=["market", "fire"], min_inspectors=2, cap=0)


def test_strata_counts_are_rounded_up_and_fixed_counts_apply():
    firms, inspectors = pools()
    res = draw.draw(seed="7", firms=firms, inspectors=inspectors, rules=RULES)
    assert {g: s["count"] for g, s in res.strata.items()} == {"A": 1, "B": 3, "C": 5, "D": 15}
    assert [f["grade"] for f in res.firms] == ["A"] + ["B"] * 3 + ["C"] * 5 + ["D"] * 15
    fixed = draw.Rules(strata={**RULES.strata, "D": {"count": 4}}, departments=["market"])
    assert draw.draw(seed="7", firms=firms, inspectors=inspectors, rules=fixed).strata["D"]["count"] == 4


def test_every_firm_gets_two_inspectors_one_from_each_department():
    firms, inspectors = pools()
    res = draw.draw(seed="7", firms=firms, inspectors=inspectors, rules=RULES)
    assert not res.unmet
    for a in res.assignments:
        assert len(a["inspectors"]) == 2
        assert {i.split(":")[1].split("-")[0] for i in a["inspectors"]} == {"market", "fire"}


def test_recently_inspected_firms_are_left_alone():
    firms, inspectors = pools()
    quiet = {f["id"] for f in firms if f["grade"] == "D"}
    firms = [dict(f, recent=f["id"] in quiet) for f in firms]
    res = draw.draw(seed="7", firms=firms, inspectors=inspectors, rules=RULES)
    assert res.strata["D"] == {"size": 50, "eligible": 0, "count": 0}
    assert not {f["id"] for f in res.firms} & quiet


def test_relations_last_visits_and_caps_pass_inspectors_over_with_their_rule():
    firms, inspectors = pools(n_firms=40, depts=("market",), per_dept=4)
    rules = draw.Rules(strata={g: {"ratio": "1"} for g in "ABCD"}, departments=["market"], min_inspectors=2, cap=0)
    plain = draw.draw(seed="9", firms=firms, inspectors=inspectors, rules=rules)
    target = plain.assignments[0]
    first, second = target["inspectors"]
    # The first-ranked inspector declares a relation; the second visited the firm last time.
    inspectors = [dict(i, relations=[target["firm"]]) if i["id"] == first else i for i in inspectors]
    firms = [dict(f, last=[second]) if f["id"] == target["firm"] else f for f in firms]
    res = draw.draw(seed="9", firms=firms, inspectors=inspectors, rules=rules)
    got = next(a for a in res.assignments if a["firm"] == target["firm"])
    assert got["skipped"][:2] == [{"inspector": first, "rule": "relation"}, {"inspector": second, "rule": "last_visit"}]
    assert first not in got["inspectors"] and second not in got["inspectors"]
    capped = draw.draw(seed="9", firms=firms, inspectors=inspectors,
                       rules=draw.Rules(strata=rules.strata, departments=["market"], min_inspectors=2, cap=3))
    loads = {}
    for a in capped.assignments:
        for i in a["inspectors"]:
            loads[i] = loads.get(i, 0) + 1
    assert max(loads.values()) <= 3
    assert any(s["rule"] == "cap" for a in capped.assignments + capped.unmet for s in a["skipped"])
    # Four inspectors, cap 3, two per firm: at most six firms can be served; the rest are reported.
    assert 4 <= len(capped.assignments) <= 6 and len(capped.unmet) == len(capped.firms) - len(capped.assignments)
    assert capped.unmet[0]["needed"] == 2


def test_a_missing_department_is_reported_not_filled_with_fewer():
    firms, inspectors = pools(n_firms=20, depts=("market",))
    res = draw.draw(seed="3", firms=firms, inspectors=inspectors,
                    rules=draw.Rules(strata={"B": {"count": 2}}, departments=["market", "fire"]))
    assert not res.assignments and [u["missing_departments"] for u in res.unmet] == [["fire"], ["fire"]]


@given(seed=st.text(max_size=20), n_depts=st.integers(1, 3), per_dept=st.integers(1, 5), min_ins=st.integers(1, 4),
       cap=st.integers(0, 4), relations=st.sets(st.integers(0, 14), max_size=10),
       quiet=st.sets(st.integers(0, 29), max_size=10), last=st.sets(st.integers(0, 29), max_size=15))
@settings(max_examples=80, deadline=None)
def test_the_assignment_rules_always_hold(seed, n_depts, per_dept, min_ins, cap, relations, quiet, last):
    depts = ["market", "fire", "ecology"][:n_depts]
    firms, inspectors = pools(n_firms=30, depts=depts, per_dept=per_dept)
    inspectors = [dict(i, relations=[firms[k]["id"] for k in relations]) if n % 2 else i
                  for n, i in enumerate(inspectors)]
    firms = [dict(f, recent=k in quiet, last=[inspectors[k % len(inspectors)]["id"]] if k in last else [])
             for k, f in enumerate(firms)]
    rules = draw.Rules(strata={g: {"ratio": "0.5"} for g in "ABCD"}, departments=depts, min_inspectors=min_ins, cap=cap)
    res = draw.draw(seed=seed, firms=firms, inspectors=inspectors, rules=rules)
    rel = {i["id"]: set(i["relations"]) for i in inspectors}
    dept = {i["id"]: i["department"] for i in inspectors}
    load = {}
    assert len(res.assignments) + len(res.unmet) == len(res.firms)
    assert not {f["id"] for f in res.firms} & {firms[k]["id"] for k in quiet}  # 无事不扰
    last_of = {f["id"]: set(f["last"]) for f in firms}
    for a in res.assignments:
        assert not set(a["inspectors"]) & last_of[a["firm"]]
        assert len(a["inspectors"]) >= max(min_ins, len(depts)) and len(set(a["inspectors"])) == len(a["inspectors"])
        assert {dept[i] for i in a["inspectors"]} == set(depts)
        assert not any(a["firm"] in rel[i] for i in a["inspectors"])
        for i in a["inspectors"]:
            load[i] = load.get(i, 0) + 1
    assert not cap or all(v <= cap for v in load.values())


def test_a_record_verifies_and_any_changed_byte_is_caught():
    firms, inspectors = pools(n_firms=60)
    record = draw.make_record(seed="4711", firms=firms, inspectors=inspectors, rules=RULES, meta={"plan": "T-1"})
    text = draw.canonical(record)
    assert draw.verify(json.loads(text)) is None
    tampered = copy.deepcopy(record)
    tampered["firms"][0]["id"] = firms[-1]["id"]
    assert draw.verify(tampered).startswith("firms[0]")
    tampered = copy.deepcopy(record)
    tampered["pools"]["firms"][3]["grade"] = "A" if firms[3]["grade"] != "A" else "B"
    assert "pool_hashes.firms" in draw.verify(tampered)
    tampered = copy.deepcopy(record)
    tampered["seed"] = "4712"
    assert draw.verify(tampered) is not None
    # Every single character of the published text matters (a sample of positions across the record).
    for pos in range(0, len(text), max(1, len(text) // 60)):
        ch = text[pos]
        for other in ("0", "1", "x"):
            if other == ch:
                continue
            changed = text[:pos] + other + text[pos + 1:]
            try:
                parsed = json.loads(changed)
            except ValueError:
                break  # not JSON any more: not a record
            if parsed != record:
                assert draw.verify(parsed) is not None, (pos, ch, other)
            break


def test_pools_out_of_order_or_with_duplicates_are_refused():
    firms, inspectors = pools(n_firms=10)
    with pytest.raises(draw.DrawError):
        draw.draw(seed="1", firms=list(reversed(firms)), inspectors=inspectors, rules=RULES)
    with pytest.raises(draw.DrawError):
        draw.draw(seed="1", firms=firms + [firms[-1]], inspectors=inspectors, rules=RULES)


def test_the_console_commands(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("draw", "sample", "--seed", "41", "--take", "10", *[str(i) for i in range(100)])
    assert capsys.readouterr().out.split() == ["73", "51", "17", "58", "38", "42", "39", "20", "11", "67"]
    firms, inspectors = pools(n_firms=20)
    record = draw.make_record(seed="7", firms=firms, inspectors=inspectors, rules=RULES)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    call_command("draw", "verify", str(path))
    assert capsys.readouterr().out.strip() == "OK"
    record["seed"] = "8"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", str(path))
    assert exc.value.code == 1 and capsys.readouterr().out.startswith("MISMATCH")
    with pytest.raises(CommandError) as err:
        call_command("draw", "verify", str(tmp_path / "missing.json"))
    assert err.value.returncode == 2
