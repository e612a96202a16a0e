"""Which firms a policy (or a bank's loan product) fits, and why — conditions as data, no Django.

A condition is JSON a department edits and the platform stores:

    {"attr": "size", "op": "in", "value": ["small", "micro"]}     a leaf over one attribute of the firm
    {"all": [c, …]}   every one holds (an empty list: every firm)
    {"any": [c, …]}   at least one holds
    {"not": c}        it does not hold

A firm is a mapping of the attributes in :data:`ATTRS` (a missing or ``None`` value is *unknown*: a leaf over
it is not met, and the explanation says the value is unknown rather than wrong).

``compile_condition`` turns a tree into one Python function so that one policy runs against a hundred thousand
firms in well under a second; ``explain`` lists every leaf with whether it is met and the firm's value;
``short_by`` names the leaves whose change alone would make the firm qualify ("one condition short").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

# attribute → (kind, the operators it takes). kinds: text (industry names), choice (codes), bool, number.
ATTRS: dict[str, tuple[str, tuple[str, ...]]] = {
    "industry": ("text", ("in", "contains")),
    "size": ("choice", ("in",)),
    "age_years": ("number", ("gte", "lte")),     # whole years since registration
    "bureau": ("choice", ("in",)),               # the service bureau's code (where the firm is)
    "key": ("bool", ("is",)),                    # a key enterprise of the zone
    "credit_grade": ("choice", ("in",)),         # A, B, C, D
    "tax_a": ("bool", ("is",)),                  # 纳税信用 A 级 on record
    "rd_share": ("number", ("gte", "lte")),      # R&D spending ÷ revenue, per cent, latest year
    "headcount": ("number", ("gte", "lte")),     # latest year
    "revenue": ("number", ("gte", "lte")),       # yuan, latest year
}
MAX_DEPTH = 6
MAX_LEAVES = 40


class ConditionError(ValueError):
    """The condition is not well formed; ``path`` says where (e.g. ``all.2.value``)."""

    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Leaf:
    """One leaf of a condition as it applies to one firm."""

    index: int            # its position among the tree's leaves, depth first
    attr: str
    op: str
    value: Any
    met: bool | None      # None: the attribute is not known (a public self-check)
    actual: Any           # the firm's value (None: unknown)
    negated: bool         # under an odd number of ``not``: the policy wants it *not* met


def _number(value, path: str) -> Decimal:
    if isinstance(value, bool):
        raise ConditionError(path, "a number is needed")
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ConditionError(path, "a number is needed") from None
    if not d.is_finite() or abs(d) > Decimal("1e15"):
        raise ConditionError(path, "a number is needed")
    return d


def normalise(cond: Any, path: str = "", depth: int = 0, _count: list | None = None) -> dict:
    """A well-formed copy of ``cond`` (numbers as strings of decimals, lists without duplicates), or
    :class:`ConditionError`."""
    count = _count if _count is not None else [0]
    if depth > MAX_DEPTH:
        raise ConditionError(path or "condition", f"nested more than {MAX_DEPTH} deep")
    if not isinstance(cond, Mapping) or len(cond) == 0:
        raise ConditionError(path or "condition", "a condition is an object")
    keys = set(cond)
    if keys in ({"all"}, {"any"}):
        key = keys.pop()
        parts = cond[key]
        if not isinstance(parts, list):
            raise ConditionError(_join(path, key), "a list of conditions is needed")
        return {key: [normalise(c, _join(path, f"{key}.{i}"), depth + 1, count) for i, c in enumerate(parts)]}
    if keys == {"not"}:
        return {"not": normalise(cond["not"], _join(path, "not"), depth + 1, count)}
    if keys != {"attr", "op", "value"}:
        raise ConditionError(path or "condition", "use all, any, not, or attr/op/value")
    attr, op, value = cond["attr"], cond["op"], cond["value"]
    if attr not in ATTRS:
        raise ConditionError(_join(path, "attr"), f"unknown attribute {attr!r}")
    kind, ops = ATTRS[attr]
    if op not in ops:
        raise ConditionError(_join(path, "op"), f"{attr} takes {', '.join(ops)}")
    count[0] += 1
    if count[0] > MAX_LEAVES:
        raise ConditionError(path or "condition", f"more than {MAX_LEAVES} conditions")
    vpath = _join(path, "value")
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConditionError(vpath, "true or false")
    elif kind == "number":
        value = str(_number(value, vpath))
    else:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConditionError(vpath, "a list of words is needed")
        if any(len(v) > 100 or "\x00" in v for v in value) or len(value) > 200:
            raise ConditionError(vpath, "too long")
        value = list(dict.fromkeys(v.strip() for v in value))
    return {"attr": attr, "op": op, "value": value}


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def _leaf_test(attr: str, op: str, value) -> Callable[[Mapping], bool]:
    kind = ATTRS[attr][0]
    if kind == "number":
        bound = Decimal(str(value))
        if op == "gte":
            return lambda f: (v := f.get(attr)) is not None and v >= bound
        return lambda f: (v := f.get(attr)) is not None and v <= bound
    if kind == "bool":
        return lambda f: (v := f.get(attr)) is not None and bool(v) is value
    if op == "contains":
        words = tuple(value)
        return lambda f: bool(v := f.get(attr)) and any(w in v for w in words)
    allowed = frozenset(value)
    return lambda f: f.get(attr) in allowed


def compile_condition(cond: Mapping, override: dict[int, bool] | None = None) -> Callable[[Mapping], bool]:
    """One function ``firm → bool`` for a normalised condition. ``override`` forces leaves (by index) to a
    truth value (used by :func:`short_by`)."""
    counter = [0]

    def build(c):
        if "all" in c:
            parts = [build(x) for x in c["all"]]
            return lambda f: all(p(f) for p in parts)
        if "any" in c:
            parts = [build(x) for x in c["any"]]
            return lambda f: any(p(f) for p in parts)
        if "not" in c:
            inner = build(c["not"])
            return lambda f: not inner(f)
        i = counter[0]
        counter[0] += 1
        if override and i in override:
            forced = override[i]
            return lambda f: forced
        return _leaf_test(c["attr"], c["op"], c["value"])

    return build(cond)


def leaves(cond: Mapping, negated: bool = False) -> list[tuple[dict, bool]]:
    """The tree's leaves depth first, each with whether it sits under an odd number of ``not``."""
    if "all" in cond or "any" in cond:
        return [leaf for c in cond.get("all", cond.get("any")) for leaf in leaves(c, negated)]
    if "not" in cond:
        return leaves(cond["not"], not negated)
    return [(dict(cond), negated)]


def _shape(cond: Mapping, counter: list) -> tuple:
    """The tree with each leaf replaced by its index (depth first): ("all", […]), ("any", […]), ("not", x), i."""
    if "all" in cond:
        return ("all", tuple(_shape(c, counter) for c in cond["all"]))
    if "any" in cond:
        return ("any", tuple(_shape(c, counter) for c in cond["any"]))
    if "not" in cond:
        return ("not", _shape(cond["not"], counter))
    counter[0] += 1
    return counter[0] - 1


def _ev(node, truths) -> bool:
    if isinstance(node, int):
        return truths[node]
    kind, parts = node
    if kind == "all":
        return all(_ev(p, truths) for p in parts)
    if kind == "any":
        return any(_ev(p, truths) for p in parts)
    return not _ev(parts, truths)


class Compiled:
    """A condition prepared once, asked many times: whether a firm meets it, why, and what it is short of
    (each leaf tested once per firm; the tree then evaluated on the leaves' truths)."""

    __slots__ = ("cond", "leaves", "tests", "shape")

    def __init__(self, cond: Mapping):
        self.cond = cond
        self.leaves = leaves(cond)
        self.tests = [_leaf_test(c["attr"], c["op"], c["value"]) for c, _neg in self.leaves]
        self.shape = _shape(cond, [0])

    def truths(self, firm: Mapping) -> list[bool]:
        return [t(firm) for t in self.tests]

    def matches(self, firm: Mapping) -> bool:
        return _ev(self.shape, self.truths(firm))

    def _leaf(self, i: int, met: bool, firm: Mapping) -> Leaf:
        c, neg = self.leaves[i]
        return Leaf(i, c["attr"], c["op"], c["value"], met, firm.get(c["attr"]), neg)

    def explain(self, firm: Mapping) -> list[Leaf]:
        return [self._leaf(i, met, firm) for i, met in enumerate(self.truths(firm))]

    def verdict(self, firm: Mapping) -> tuple[bool, list[Leaf]]:
        """Whether the firm qualifies; if not, the leaves each of which, changed alone, would make it."""
        truths = self.truths(firm)
        if _ev(self.shape, truths):
            return True, []
        short = []
        for i, met in enumerate(truths):
            truths[i] = not met
            if _ev(self.shape, truths):
                short.append(self._leaf(i, met, firm))
            truths[i] = met
        return False, short


def matches(cond: Mapping, firm: Mapping) -> bool:
    return compile_condition(cond)(firm)


def explain(cond: Mapping, firm: Mapping) -> list[Leaf]:
    """Every leaf of the condition with whether the firm meets it and the firm's value."""
    return [Leaf(i, c["attr"], c["op"], c["value"], _leaf_test(c["attr"], c["op"], c["value"])(firm),
                 firm.get(c["attr"]), neg) for i, (c, neg) in enumerate(leaves(cond))]


def short_by(cond: Mapping, firm: Mapping) -> list[Leaf]:
    """For a firm that does not qualify: the leaves each of which, changed alone, would make it qualify (empty
    when it qualifies, or when more than one change is needed)."""
    if matches(cond, firm):
        return []
    out = []
    for leaf in explain(cond, firm):
        if compile_condition(cond, {leaf.index: not leaf.met})(firm):
            out.append(leaf)
    return out


def filter_firms(cond: Mapping, firms) -> list:
    """The firms (mappings) that meet ``cond``, in their order."""
    test = compile_condition(cond)
    return [f for f in firms if test(f)]


def _ev3(node, truths) -> bool | None:
    """``_ev`` in three values (Kleene): None where the answer turns on an unknown leaf."""
    if isinstance(node, int):
        return truths[node]
    kind, parts = node
    if kind == "not":
        v = _ev3(parts, truths)
        return None if v is None else not v
    values = [_ev3(p, truths) for p in parts]
    if kind == "all":
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def verdict_known(cond: Mapping, firm: Mapping, known) -> tuple[bool | None, list[Leaf]]:
    """Whether a firm qualifies when only the attributes in ``known`` may be read (a public self-check): True,
    False, or None when the answer turns on an attribute not known; and every leaf, ``met`` None where its
    attribute is not known."""
    c = Compiled(cond)
    truths = [t(firm) if leaf["attr"] in known else None for t, (leaf, _neg) in zip(c.tests, c.leaves)]
    out = [Leaf(i, leaf["attr"], leaf["op"], leaf["value"], truths[i],
                firm.get(leaf["attr"]) if leaf["attr"] in known else None, neg)
           for i, (leaf, neg) in enumerate(c.leaves)]
    return _ev3(c.shape, truths), out
