"""One way to cut a list into pages: the page asked for (a bad number shows the first, one past the end the
last), and the page size a user chose among ``SIZES`` (kept in the address, so a saved view keeps it).

A whole table of a city's size is not counted on every page: ``estimate=True`` lets an unfiltered list of more
than ``ESTIMATE_ABOVE`` rows take its total from PostgreSQL's statistics (kept by autovacuum), and the page says
it is an estimate. Any filter counts exactly."""

from django.core.paginator import Paginator
from django.db import connections

SIZES = (20, 50, 100)
ESTIMATE_ABOVE = 100_000


class EstimatedPaginator(Paginator):
    """A paginator whose total is the table's estimated row count (the last page may hold fewer rows)."""

    estimated = True

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property, set


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


def paginate(request, qs, default: int = 50, *, estimate: bool = False):
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isascii() and raw.isdecimal() and int(raw) in SIZES else default
    count = estimated_count(qs) if estimate else None
    paginator = Paginator(qs, size) if count is None else EstimatedPaginator(qs, size, count=count)
    page = paginator.get_page(request.GET.get("page"))
    page.size, page.sizes = size, SIZES
    n, last = page.number, page.paginator.num_pages
    window = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
    # (None before a page that follows a gap, so the template writes "…"), page number
    page.window = [(None if i and p - window[i - 1] > 1 else p, p) for i, p in enumerate(window)]
    return page
