"""The factor balance, no Django: per area of the zone and factor, month by month, the capacity available by then
(what suppliers have delivered or will deliver from that month on, summed) against what projects need by then
(each project's need from the month it needs it), and the shortfall where need exceeds capacity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Flow:
    area: str
    factor: str
    month: date   # the first day of the month it starts counting
    amount: Decimal


def month_of(d: date) -> date:
    return d.replace(day=1)


def months_from(start: date, n: int) -> list[date]:
    out, y, m = [], start.year, start.month
    for _i in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def compute(needs: Iterable[Flow], supplies: Iterable[Flow], months: list[date]) -> dict[tuple[str, str], list[dict]]:
    """(area, factor) → one row per month of ``months``: need, capacity, balance (capacity − need, cumulative up
    to that month, everything before the first month included) and short (a shortfall that month)."""
    need, cap = defaultdict(list), defaultdict(list)
    for f in needs:
        need[(f.area, f.factor)].append(f)
    for f in supplies:
        cap[(f.area, f.factor)].append(f)
    out = {}
    for key in sorted(set(need) | set(cap)):
        rows = []
        for m in months:
            n = sum((f.amount for f in need[key] if f.month <= m), Decimal(0))
            c = sum((f.amount for f in cap[key] if f.month <= m), Decimal(0))
            rows.append({"month": m, "need": n, "capacity": c, "balance": c - n, "short": n > c})
        out[key] = rows
    return out


def first_shortfall(rows: list[dict]) -> date | None:
    return next((r["month"] for r in rows if r["short"]), None)
