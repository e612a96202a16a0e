"""The verifiable random draw (双随机): which firms are inspected and by whom, computed from what is
published — the frozen pools, the rules and the seed — so anyone can recompute it and get the same firms
and the same inspectors.

Pure Python, no Django. The sampler is Rivest's consistent sampling without replacement, exactly as the
``consistent_sampler`` package computes it: each id's ticket is the SHA-256 of the seed's SHA-256 hex
digest followed by the id, written as a decimal fraction with the digits of the 256-bit number in reverse
order (``"0." + reversed 64-digit decimal``); the smallest tickets are drawn first (ties: the smaller id).

A draw:
1. Firms, per credit-class stratum: count = ⌈ratio × eligible firms⌉ (or a fixed count), eligible being
   the firms not inspected on the plan's items within the quiet period (无事不扰); drawn with ``seed``
   over ids ``ENT:<credit code>``. Draw order: strata A, B, C, D, each in ticket order.
2. Inspectors, for each drawn firm in draw order: the inspectors of the participating departments are
   ranked with seed ``<seed>/ENT:<credit code>`` over ids ``INS:<certificate number>`` and taken in that
   order until the firm has at least ``min_inspectors`` and one from each participating department;
   passed over, with the rule that removes them, are inspectors with a declared relation to the firm
   (``relation``), the inspector who visited the firm last time on these items (``last_visit``), those
   already at their cap of firms in this draw (``cap``), and those whose department is already
   represented when the remaining places are needed for unrepresented departments (``department``).
   A firm whose requirement cannot be met is reported in ``unmet``, never given fewer inspectors.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ALGORITHM = "yingshang.draw"
VERSION = 1
GRADES = ("A", "B", "C", "D")
RULES = ("relation", "last_visit", "cap", "department")


class DrawError(ValueError):
    """Inputs that cannot be drawn from (bad ratios, duplicate ids, a pool that changed)."""


# --- the sampler -----------------------------------------------------------------------------------

def sha256_hex(text: str) -> str:
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()


def ticket(seed_hash: str, id_: str) -> str:
    """The ticket of ``id_`` under a seed whose SHA-256 hex digest is ``seed_hash``."""
    x = int(sha256_hex(seed_hash + str(id_)), 16)
    return "0." + f"{x:064d}"[::-1]


_REV5: list[int] = []
_REV4: list[int] = []


def _reversal_tables():
    if not _REV5:
        _REV5.extend(int(f"{v:05d}"[::-1]) for v in range(100_000))
        _REV4.extend(int(f"{v:04d}"[::-1]) for v in range(10_000))
    return _REV5, _REV4


def _fast_keys(seed_hash: str, ids: Sequence[str], encoded: Sequence[bytes] | None = None) -> list[int]:
    """The first nine ticket digits of each id, as a number: the ticket's order at a fraction of its
    cost. The ticket's first nine digits are the hash's nine low-order decimal digits, reversed (looked
    up in two small tables). The SHA-256 state after the 64-character seed hash — exactly one block — is
    computed once; ``encoded`` (the ids as UTF-8) may be given when the same ids are ranked many times."""
    rev5, rev4 = _reversal_tables()
    copy = hashlib.sha256(seed_hash.encode("ascii")).copy
    from_bytes = int.from_bytes

    def low(e: bytes) -> int:
        h = copy()
        h.update(e)
        return from_bytes(h.digest(), "big") % 1_000_000_000

    lows = map(low, encoded if encoded is not None else [i.encode("utf-8") for i in ids])
    return [rev5[x % 100_000] * 10_000 + rev4[x // 100_000] for x in lows]


def _settle(seed_hash: str, keys: list[tuple[int, str]]) -> list[str]:
    """Ids from sorted keys; equal leading digits (rare) are settled by the full tickets."""
    out, i, n = [], 0, len(keys)
    while i < n:
        j = i + 1
        while j < n and keys[j][0] == keys[i][0]:
            j += 1
        if j - i == 1:
            out.append(keys[i][1])
        else:
            out += sorted((k[1] for k in keys[i:j]), key=lambda x: (ticket(seed_hash, x), x))
        i = j
    return out


def order(ids: Iterable[str], seed: str) -> list[str]:
    """All ``ids`` in draw order (smallest ticket first)."""
    ids = [str(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise DrawError("duplicate ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})[:5]))
    seed_hash = sha256_hex(seed)
    return _settle(seed_hash, sorted(zip(_fast_keys(seed_hash, ids), ids)))


def leading(ids: Sequence[str], seed: str, k: int, encoded: Sequence[bytes] | None = None) -> list[str]:
    """The first ``k`` of ``ids`` in draw order (ids known to be distinct). The nine-digit keys are packed
    with each id's position into one integer, so a plain sort of integers orders them; keys tied with the
    last one taken are kept, so ties settle exactly."""
    seed_hash = sha256_hex(seed)
    n = len(ids)
    packed = sorted(key * n + pos for pos, key in enumerate(_fast_keys(seed_hash, ids, encoded)))
    j = min(k, n)
    while 0 < j < n and packed[j] // n == packed[j - 1] // n:
        j += 1
    return _settle(seed_hash, [(p // n, ids[p % n]) for p in packed[:j]])[:k]


def sample(ids: Iterable[str], seed: str, take: int | None = None) -> list[tuple[str, str]]:
    """The first ``take`` ids in draw order, each with its ticket."""
    drawn = order(ids, seed)
    drawn = drawn if take is None else drawn[:max(0, take)]
    seed_hash = sha256_hex(seed)
    return [(i, ticket(seed_hash, i)) for i in drawn]


# --- the draw ------------------------------------------------------------------------------------

def canonical(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def pool_hash(pool: list[dict]) -> str:
    return sha256_hex(canonical(pool))


@dataclass
class Rules:
    strata: dict[str, dict]  # {"A": {"ratio": "0.02"} or {"count": 5}, ...}
    departments: list[str]  # participating departments (codes)
    min_inspectors: int = 2
    cap: int = 0  # firms per inspector in this draw (0: no cap)

    def as_dict(self) -> dict:
        return {"strata": self.strata, "departments": sorted(self.departments),
                "min_inspectors": self.min_inspectors, "cap": self.cap}

    @classmethod
    def from_dict(cls, d: dict) -> Rules:
        return cls(strata=d["strata"], departments=list(d["departments"]), min_inspectors=int(d["min_inspectors"]),
                   cap=int(d.get("cap", 0)))

    def count_for(self, grade: str, eligible: int) -> int:
        spec = self.strata.get(grade) or {}
        if "count" in spec:
            return min(eligible, int(spec["count"]))
        ratio = Decimal(str(spec.get("ratio", "0")))
        if not (0 <= ratio <= 1):
            raise DrawError(f"stratum {grade}: the ratio must be between 0 and 1")
        return min(eligible, math.ceil(ratio * eligible))


@dataclass
class Result:
    strata: dict[str, dict] = field(default_factory=dict)
    firms: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    unmet: list[dict] = field(default_factory=list)


def check_pools(firms: list[dict], inspectors: list[dict]) -> None:
    for name, pool in (("firm", firms), ("inspector", inspectors)):
        ids = [p["id"] for p in pool]
        if ids != sorted(ids):
            raise DrawError(f"the {name} pool is not in canonical order")
        if len(set(ids)) != len(ids):
            raise DrawError(f"the {name} pool holds an id twice")
    for f in firms:
        if f.get("grade") not in GRADES:
            raise DrawError(f"{f['id']}: credit class must be one of A, B, C, D")


def draw(*, seed: str, firms: list[dict], inspectors: list[dict], rules: Rules) -> Result:
    """``firms``: [{"id": "ENT:…", "grade": "B", "recent": false, "last": ["INS:…"]}] sorted by id;
    ``inspectors``: [{"id": "INS:…", "department": "market", "relations": ["ENT:…"]}] sorted by id."""
    check_pools(firms, inspectors)
    res = Result()
    drawn = []
    for grade in GRADES:
        members = [f for f in firms if f["grade"] == grade]
        eligible = [f["id"] for f in members if not f.get("recent")]
        count = rules.count_for(grade, len(eligible))
        res.strata[grade] = {"size": len(members), "eligible": len(eligible), "count": count}
        if count:
            for fid, tk in sample(eligible, seed, count):
                drawn.append(fid)
                res.firms.append({"id": fid, "grade": grade, "ticket": tk})
    by_firm = {f["id"]: f for f in firms}
    depts = set(rules.departments)
    pool = [i for i in inspectors if i["department"] in depts]
    relations = {i["id"]: set(i.get("relations") or ()) for i in pool}
    dept_of = {i["id"]: i["department"] for i in pool}
    load: dict[str, int] = {}
    need = max(rules.min_inspectors, len(depts))
    ids = list(dept_of)
    heads = _rank_heads(ids, [f"{seed}/{fid}" for fid in drawn], need + PREFIX_SLACK)
    for fid, head in zip(drawn, heads):
        last = set(by_firm[fid].get("last") or ())
        taken, skipped, covered = [], [], set()
        for ins in _ranking(ids, f"{seed}/{fid}", head):
            if len(taken) >= need and covered >= depts:
                break
            rule = None
            if fid in relations[ins]:
                rule = "relation"
            elif ins in last:
                rule = "last_visit"
            elif rules.cap and load.get(ins, 0) >= rules.cap:
                rule = "cap"
            elif dept_of[ins] in covered and need - len(taken) <= len(depts - covered):
                rule = "department"
            if rule:
                skipped.append({"inspector": ins, "rule": rule})
                continue
            taken.append(ins)
            covered.add(dept_of[ins])
        met = len(taken) >= need and covered >= depts
        if met:
            for ins in taken:
                load[ins] = load.get(ins, 0) + 1
            res.assignments.append({"firm": fid, "inspectors": taken, "skipped": skipped})
        else:
            res.unmet.append({"firm": fid, "found": taken, "missing_departments": sorted(depts - covered),
                              "needed": need, "skipped": skipped})
    return res


SAMPLER = ("consistent sampling without replacement (Rivest, consistent_sampler): ticket = '0.' + reversed "
           "64-digit decimal of SHA-256(SHA-256-hex(seed) + id); smallest first")


def record_hash(record: dict) -> str:
    """The SHA-256 of the record's canonical JSON without this hash: any changed byte shows."""
    return sha256_hex(canonical({k: v for k, v in record.items() if k != "record_hash"}))


PREFIX_SLACK = 30  # inspectors ranked beyond the requirement before ranking all of them
PARALLEL_ABOVE = 300_000  # tickets: above this the rankings are computed by two processes


def _ranking(ids: list[str], seed: str, head: list[str]):
    """The inspectors in ranking order: the precomputed head, then (rarely needed) the rest."""
    yield from head
    if len(head) < len(ids):
        yield from order(ids, seed)[len(head):]


def _heads_of(args) -> list[list[str]]:
    ids, seeds, k = args
    encoded = [i.encode("utf-8") for i in ids]
    return [leading(ids, s, k, encoded) for s in seeds]


def _rank_heads(ids: list[str], seeds: list[str], k: int) -> list[list[str]]:
    """The first ``k`` ranked inspectors for each seed (one per drawn firm). Each firm's ranking depends on
    its own seed only, so large draws share the work between processes; the result is the same."""
    if len(ids) * len(seeds) <= PARALLEL_ABOVE:
        return _heads_of((ids, seeds, k))
    import multiprocessing
    import os

    workers = min(4, os.cpu_count() or 1)
    if workers < 2:
        return _heads_of((ids, seeds, k))
    step = -(-len(seeds) // workers)
    parts = [(ids, seeds[i:i + step], k) for i in range(0, len(seeds), step)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [head for part in pool.map(_heads_of, parts) for head in part]


def make_record(*, seed: str, firms: list[dict], inspectors: list[dict], rules: Rules, meta: dict | None = None,
                result: Result | None = None) -> dict:
    """The published record: everything needed to recompute the draw, and the draw itself."""
    result = result or draw(seed=seed, firms=firms, inspectors=inspectors, rules=rules)
    record = {
        "algorithm": ALGORITHM, "version": VERSION, "sampler": SAMPLER, "seed": seed, "meta": meta or {},
        "pools": {"firms": firms, "inspectors": inspectors},
        "pool_hashes": {"firms": pool_hash(firms), "inspectors": pool_hash(inspectors)},
        "rules": rules.as_dict(),
        "strata": result.strata, "firms": result.firms, "assignments": result.assignments, "unmet": result.unmet,
    }
    record["record_hash"] = record_hash(record)
    return record


def verify(record: dict) -> str | None:
    """Recompute a published record from itself. None when everything matches, else the first mismatch."""
    try:
        if record.get("algorithm") != ALGORITHM or record.get("version") != VERSION:
            return f"unknown algorithm {record.get('algorithm')!r} version {record.get('version')!r}"
        firms, inspectors = record["pools"]["firms"], record["pools"]["inspectors"]
        for name, pool in (("firms", firms), ("inspectors", inspectors)):
            if pool_hash(pool) != record["pool_hashes"][name]:
                return f"pool_hashes.{name}: the {name} pool does not match its published hash"
        result = draw(seed=record["seed"], firms=firms, inspectors=inspectors,
                      rules=Rules.from_dict(record["rules"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"the record cannot be read: {exc}"
    for key in ("strata", "firms", "assignments", "unmet"):
        got, published = getattr(result, key), record.get(key)
        if got != published:
            if isinstance(got, list) and isinstance(published, list):
                for i, (a, b) in enumerate(zip(got, published)):
                    if a != b:
                        return f"{key}[{i}]: recomputed {canonical(a)} but published {canonical(b)}"
                return f"{key}: recomputed {len(got)} entries but published {len(published)}"
            return f"{key}: recomputed {canonical(got)} but published {canonical(published)}"
    if record.get("sampler") != SAMPLER:
        return "sampler: the description of the sampler was changed"
    if record.get("record_hash") != record_hash(record):
        return "record_hash: the record was changed after it was published (meta or hash)"
    return None
