"""The chain's pure computations, no Django: a segment tree's cycles, how well a segment is covered by local
firms, and who depends on a firm downstream (breadth first, each dependant once, with the way it is reached)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

GAP, WEAK, STRONG = "gap", "weak", "strong"  # 缺链, 弱链, 强链
STRONG_SIZES = frozenset({"large", "medium"})


def would_cycle(parents: Mapping[int, int | None], node: int, new_parent: int | None) -> bool:
    """Would putting ``node`` under ``new_parent`` make the tree a cycle (``parents``: segment → its parent)?"""
    seen = set()
    cur = new_parent
    while cur is not None:
        if cur == node or cur in seen:
            return True
        seen.add(cur)
        cur = parents.get(cur)
    return False


def subtree(children: Mapping[int | None, Iterable[int]], root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(children.get(n, ()))
    return out


def coverage(sizes: Iterable[str]) -> str:
    """A segment with no local firm is a gap (缺链); with only small or micro firms (or firms of unknown size)
    it is weak (弱链); with a large or medium firm it is covered (强链)."""
    sizes = list(sizes)
    if not sizes:
        return GAP
    return STRONG if any(s in STRONG_SIZES for s in sizes) else WEAK


def downstream(customers: Mapping[int, Iterable[int]], start: int, *, limit_depth: int = 12) -> dict[int, tuple]:
    """Every firm that depends on ``start`` through supply (``customers``: supplier → the firms it supplies):
    dependant → (depth, the firm it is reached through). ``start`` itself is not reported; a cycle in the supply
    graph does not loop; nothing further than ``limit_depth`` steps is followed."""
    found: dict[int, tuple] = {}
    queue = deque([(start, 0)])
    while queue:
        firm, depth = queue.popleft()
        if depth >= limit_depth:
            continue
        for c in customers.get(firm, ()):
            if c == start or c in found:
                continue
            found[c] = (depth + 1, firm)
            queue.append((c, depth + 1))
    return found


def path_to(found: Mapping[int, tuple], start: int, firm: int) -> list[int]:
    """The supply path start → … → firm, from ``downstream``'s answer."""
    path = [firm]
    while path[-1] != start:
        path.append(found[path[-1]][1])
    return path[::-1]
