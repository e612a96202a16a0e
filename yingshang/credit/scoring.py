"""Credit scoring: a firm's score and risk class (A–D) at a date, from its records and a rule set.

Pure Python, no Django: the services feed it plain values and store what it returns.

- Each record kind is positive (守信) or negative (失信); a rule gives, per kind and severity, the
  score effect (never against the kind's sign), how many days the record counts from its decision
  date, an optional hard cap on the class (e.g. 严重违法失信名单 → D whatever the score), the list it
  puts the firm on (red or black), and after how many days it may be repaired.
- A record counts on a date when it is active or under objection, was decided on or before that date,
  and neither its rule's period nor its publicity period has ended. Expired, repaired and revoked
  records never count.
- Score = base + the effects of the counting records, kept within [0, 2 × base]. The class is the
  threshold class of the score, made worse by any hard cap. A firm with no records has the base score,
  which the thresholds must put in class B.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

GRADES = ("A", "B", "C", "D")  # from low risk to high risk
POSITIVE, NEGATIVE = "positive", "negative"
KIND_SIGN = {
    "license": POSITIVE,            # 行政许可
    "tax_a": POSITIVE,              # 纳税信用A级
    "contract": POSITIVE,           # 守合同重信用
    "honour": POSITIVE,             # 表彰奖励
    "penalty": NEGATIVE,            # 行政处罚
    "inspection": NEGATIVE,         # 抽查检查结果（发现问题）
    "abnormal": NEGATIVE,           # 经营异常名录
    "serious_dishonest": NEGATIVE,  # 严重违法失信名单
    "judgment_defaulter": NEGATIVE,  # 失信被执行人
}
SEVERITIES = ("minor", "general", "serious")
COUNTING_STATUSES = frozenset({"active", "objection"})
RED, BLACK = "red", "black"


class RuleError(ValueError):
    """A rule or rule set that breaks the invariants above."""


def worse(a: str, b: str | None) -> str:
    """The higher-risk of two classes (``b`` may be None)."""
    if b is None:
        return a
    return a if GRADES.index(a) >= GRADES.index(b) else b


@dataclass(frozen=True)
class Rule:
    kind: str
    severity: str = ""  # "" applies to every severity of the kind without a rule of its own
    delta: int = 0
    counts_days: int = 365  # 0: as long as the record is public
    cap: str | None = None  # the best class a firm with this record may have
    list: str = ""  # "", "red" or "black"
    repair_after_days: int = 0

    def __post_init__(self):
        sign = KIND_SIGN.get(self.kind)
        if sign is None:
            raise RuleError(f"unknown record kind: {self.kind}")
        if self.severity not in ("",) + SEVERITIES:
            raise RuleError(f"unknown severity: {self.severity}")
        if sign == NEGATIVE and self.delta > 0:
            raise RuleError(f"{self.kind}: a negative record cannot raise the score")
        if sign == POSITIVE and self.delta < 0:
            raise RuleError(f"{self.kind}: a positive record cannot lower the score")
        if self.cap is not None and (self.cap not in GRADES or sign == POSITIVE):
            raise RuleError(f"{self.kind}: a class cap belongs to negative records only")
        if self.list not in ("", RED, BLACK) or (self.list == RED and sign == NEGATIVE) or \
                (self.list == BLACK and sign == POSITIVE):
            raise RuleError(f"{self.kind}: red lists come from positive records, black lists from negative ones")
        if self.counts_days < 0 or self.repair_after_days < 0:
            raise RuleError(f"{self.kind}: periods are whole days ≥ 0")


@dataclass(frozen=True)
class RuleSet:
    version: int
    base: int = 100
    a_min: int = 110
    b_min: int = 90
    c_min: int = 70
    rules: Mapping[tuple[str, str], Rule] = field(default_factory=dict)

    def __post_init__(self):
        if not (self.a_min > self.base >= self.b_min > self.c_min >= 0):
            raise RuleError("thresholds must satisfy A > base ≥ B > C ≥ 0 (a firm without records is B)")

    @classmethod
    def of(cls, version: int, rules: Iterable[Rule], **thresholds) -> RuleSet:
        table = {}
        for r in rules:
            if (r.kind, r.severity) in table:
                raise RuleError(f"two rules for {r.kind} / {r.severity or '*'}")
            table[(r.kind, r.severity)] = r
        return cls(version=version, rules=table, **thresholds)

    @cached_property
    def _lookup(self) -> dict[tuple[str, str], Rule]:
        """Every (kind, severity) resolved once: the severity's own rule, else the kind's general one."""
        table = {}
        for kind in KIND_SIGN:
            for severity in ("",) + SEVERITIES:
                rule = self.rules.get((kind, severity)) or self.rules.get((kind, ""))
                if rule is not None:
                    table[(kind, severity)] = rule
        return table

    def rule_for(self, kind: str, severity: str) -> Rule | None:
        return self._lookup.get((kind, severity))

    def grade_for_score(self, score: int) -> str:
        if score >= self.a_min:
            return "A"
        if score >= self.b_min:
            return "B"
        if score >= self.c_min:
            return "C"
        return "D"


class Record(NamedTuple):
    id: int
    kind: str
    severity: str
    decided_on: date
    status: str = "active"
    public_to: date | None = None


class Effect(NamedTuple):
    record_id: int
    kind: str
    severity: str
    delta: int
    cap: str | None
    list: str
    until: date | None


@dataclass(frozen=True)
class Result:
    version: int
    on: date
    score: int
    grade: str
    score_grade: str  # the class the score alone gives
    effects: tuple[Effect, ...]
    red: tuple[int, ...]  # ids of the records that put the firm on the red list
    black: tuple[int, ...]

    def explanation(self) -> list[dict]:
        return [{"record": e.record_id, "kind": e.kind, "severity": e.severity, "delta": e.delta,
                 "cap": e.cap, "list": e.list, "until": e.until.isoformat() if e.until else None}
                for e in self.effects]


def counts_until(record: Record, rule: Rule) -> date | None:
    """The last day a record counts (None: while it stays public without an end)."""
    end = record.decided_on + timedelta(days=rule.counts_days - 1) if rule.counts_days else None
    if record.public_to is not None and (end is None or record.public_to < end):
        end = record.public_to
    return end


def counts(record: Record, rule: Rule | None, on: date) -> bool:
    if rule is None or record.status not in COUNTING_STATUSES or record.decided_on > on:
        return False
    end = counts_until(record, rule)
    return end is None or on <= end


def evaluate(records: Iterable[Record], ruleset: RuleSet, on: date) -> Result:
    score = ruleset.base
    cap = None
    effects = []
    red, black = [], []
    lookup = ruleset._lookup
    for rec in sorted(records, key=lambda r: (r.decided_on, r.id)):
        rule = lookup.get((rec.kind, rec.severity))
        if rule is None or rec.status not in COUNTING_STATUSES or rec.decided_on > on:
            continue
        until = counts_until(rec, rule)
        if until is not None and on > until:
            continue
        score += rule.delta
        cap = worse(rule.cap, cap) if rule.cap else cap
        effects.append(Effect(rec.id, rec.kind, rec.severity, rule.delta, rule.cap, rule.list, until))
        if rule.list == RED:
            red.append(rec.id)
        elif rule.list == BLACK:
            black.append(rec.id)
    score = max(0, min(2 * ruleset.base, score))
    score_grade = ruleset.grade_for_score(score)
    grade = worse(score_grade, cap)
    # The red list rewards the trustworthy: never a firm on the black list or in class C or D.
    if black or grade in ("C", "D"):
        red = []
    return Result(ruleset.version, on, score, grade, score_grade, tuple(effects), tuple(red), tuple(black))
