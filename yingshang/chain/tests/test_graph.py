"""The pure computations: who depends on a firm downstream, cycles in the segment tree, coverage."""

from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.chain import graph

edges = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=120)


def _customers(pairs):
    out = {}
    for s, c in pairs:
        if s != c:
            out.setdefault(s, []).append(c)
    return out


def _reachable(customers, start):
    seen, todo = set(), [start]
    while todo:
        for c in customers.get(todo.pop(), ()):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen - {start}


@settings(max_examples=300, deadline=None)
@given(edges, st.integers(0, 30))
def test_every_reported_dependant_is_reachable_downstream_and_every_reachable_one_is_reported(pairs, start):
    customers = _customers(pairs)
    found = graph.downstream(customers, start, limit_depth=100)
    assert set(found) == _reachable(customers, start)
    for firm, (depth, via) in found.items():
        path = graph.path_to(found, start, firm)
        assert path[0] == start and path[-1] == firm and len(path) == depth + 1
        assert all(b in customers.get(a, ()) for a, b in zip(path, path[1:]))  # each step is a supply relation


@settings(max_examples=300, deadline=None)
@given(edges, st.integers(0, 30))
def test_nothing_only_upstream_is_reported(pairs, start):
    customers = _customers(pairs)
    found = graph.downstream(customers, start, limit_depth=100)
    suppliers = {}
    for s, cs in customers.items():
        for c in cs:
            suppliers.setdefault(c, []).append(s)
    upstream = _reachable(suppliers, start)
    downstream = _reachable(customers, start)
    assert not (set(found) & (upstream - downstream))
    assert start not in found


def test_depth_is_the_shortest_supply_path_and_a_limit_stops_the_walk():
    customers = {1: [2, 3], 2: [4], 3: [4], 4: [5], 5: [1]}
    found = graph.downstream(customers, 1)
    assert {k: v[0] for k, v in found.items()} == {2: 1, 3: 1, 4: 2, 5: 3}
    assert set(graph.downstream(customers, 1, limit_depth=2)) == {2, 3, 4}


def test_a_segment_cannot_go_under_itself_or_its_descendants():
    parents = {1: None, 2: 1, 3: 2, 4: None}
    assert graph.would_cycle(parents, 1, 3) and graph.would_cycle(parents, 2, 2)
    assert not graph.would_cycle(parents, 3, 4) and not graph.would_cycle(parents, 2, None)


def test_coverage():
    assert graph.coverage([]) == graph.GAP
    assert graph.coverage(["small", "micro", ""]) == graph.WEAK
    assert graph.coverage(["small", "medium"]) == graph.STRONG
