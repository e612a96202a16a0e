"""How alike two problem titles are, for "similar problems already open" while a firm types a new one.

Chinese is written without spaces, so titles are compared by their overlapping pairs of characters (bigrams) —
"园区道路积水" and "厂区门口道路积水严重" share 道路, 路积 and 积水 — and Latin words by themselves. Pure: no
database, no Django."""

import re

_WORD = re.compile(r"[A-Za-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_STOP = {"问题", "关于", "请求", "申请", "希望", "协调", "解决"}  # pairs that every request shares


def grams(title: str) -> set[str]:
    out = {w.lower() for w in _WORD.findall(title or "") if len(w) > 1}
    for run in _HAN.findall(title or ""):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            out.add(run)
    return out - _STOP


def score(a: str, b: str) -> float:
    """Share of the shorter title's grams found in the other (0 … 1)."""
    ga, gb = grams(a), grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def most_similar(title: str, candidates, *, key=lambda c: c, threshold: float = 0.34, limit: int = 3) -> list:
    """The candidates whose title is at least ``threshold`` alike, best first."""
    scored = [(score(title, key(c)), c) for c in candidates]
    return [c for s, c in sorted((p for p in scored if p[0] >= threshold), key=lambda p: -p[0])][:limit]
