"""One way to cut a list into pages: the page asked for (a bad number shows the first, one past the end the
last), and the page size a user chose among ``SIZES`` (kept in the address, so a saved view keeps it).

A whole table of a city's size is not counted on every page: ``estimate=True`` lets an unfiltered list of more
than ``ESTIMATE_ABOVE`` rows take its total from PostgreSQL's statistics (kept by autovacuum), and the page says
it is an estimate. Any filter counts exactly — up to ``count_up_to`` where a list may say "more than 10,000"
(a keyword search of a city's ledger: the pages show the newest first, the total is only how wide it was).
Counting even that far costs most of such a page when the matches are many (a bitmap of 600,000 titles): a
list the planner expects to be ``FAR_ABOVE`` times longer than the limit is said to be longer without it."""

from django.core.paginator import Paginator
from django.db import connections

SIZES = (20, 50, 100)
ESTIMATE_ABOVE = 100_000
COUNT_UP_TO = 10_000
FAR_ABOVE = 10


class EstimatedPaginator(Paginator):
    """A paginator whose total is the table's estimated row count (the last page may hold fewer rows)."""

    estimated = True

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property, set


class CountedPaginator(EstimatedPaginator):
    """A paginator of a list already counted (exactly)."""

    estimated = False


class CappedPaginator(EstimatedPaginator):
    """A paginator of a list counted up to a limit and found longer: its pages are those of the first rows."""

    estimated = False
    capped = True


def estimated_count(qs) -> int | None:
    """The estimated size of ``qs`` when it is a whole table on PostgreSQL with more than ESTIMATE_ABOVE rows."""
    query = qs.query
    if connections[qs.db].vendor != "postgresql" or query.where or query.distinct or query.combinator \
            or query.low_mark or query.high_mark is not None:
        return None
    with connections[qs.db].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [qs.model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row and row[0] > ESTIMATE_ABOVE else None


def planned_rows(qs) -> int | None:
    """How many rows PostgreSQL's planner expects ``qs`` to give (its statistics; None elsewhere)."""
    import json

    if connections[qs.db].vendor != "postgresql":
        return None
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _count_up_to(qs, limit: int) -> int:
    """The length of ``qs`` if it is at most ``limit``, else ``limit + 1``."""
    planned = planned_rows(qs)
    if planned is not None and planned > FAR_ABOVE * limit:
        return limit + 1
    return qs.order_by().values("pk")[:limit + 1].count()


def paginate(request, qs, default: int = 50, *, estimate: bool = False, count_up_to: int | None = None):
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isascii() and raw.isdecimal() and int(raw) in SIZES else default
    count = estimated_count(qs) if estimate else None
    if count is not None:
        paginator = EstimatedPaginator(qs, size, count=count)
    elif count_up_to is not None:
        n = _count_up_to(qs, count_up_to)
        paginator = CappedPaginator(qs, size, count=count_up_to) if n > count_up_to else CountedPaginator(qs, size,
                                                                                                            count=n)
    else:
        paginator = Paginator(qs, size)
    page = paginator.get_page(request.GET.get("page"))
    page.size, page.sizes = size, SIZES
    n, last = page.number, page.paginator.num_pages
    window = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
    # (None before a page that follows a gap, so the template writes "…"), page number
    page.window = [(None if i and p - window[i - 1] > 1 else p, p) for i, p in enumerate(window)]
    return page
