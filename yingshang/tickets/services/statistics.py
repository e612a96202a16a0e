"""The statistics roll-up (derived data): day and month cells rebuilt from the ledger by the sweep."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..models import Ticket


def statistics_refresh(*, now: datetime | None = None) -> dict:
    """Rebuild the statistics roll-up (the sweep runs it; derived data, replaced whole): the day cells from
    the ledger in one statement, the month cells summed from them in another. A second server running it at
    the same moment skips."""
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from yingshang.core import locks

    from ..models import StatCell, StatDayCell, StatSnapshot
    from ..selectors import COUNTERS, STATUS_COLUMNS, rollup_source

    now = now or timezone.now()
    counts = [*COUNTERS, *STATUS_COLUMNS.values()]
    keys = ["lead_department_id", "top_id", "bureau_id"]
    qn = connection.ops.quote_name

    def insert(model, period: str, sql: str, params, sources: list[str]) -> int:
        columns = [period, *keys, *counts]
        picks = [f"COALESCE(s.{qn(c)}, 0)" if c in counts else f"s.{qn(c)}" for c in sources]
        with connection.cursor() as cursor:
            # In order of the period: a run of days is then a run of pages, not cells scattered over the table.
            cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                           f"SELECT {', '.join(picks)} FROM ({sql}) s ORDER BY s.{qn(sources[0])}", params)
            return cursor.rowcount

    with locks.exclusive("tickets.statistics") as mine:
        if not mine:
            return {"skipped": "another server is rebuilding"}
        StatDayCell.objects.all().delete()
        StatCell.objects.all().delete()
        StatSnapshot.objects.all().delete()
        sql, params = rollup_source().query.sql_with_params()
        days = insert(StatDayCell, "day", sql, params, ["s_day", "s_lead", "s_top", "s_bureau", *counts])
        by_month = (StatDayCell.objects.annotate(s_month=TruncMonth("day")).values("s_month", *keys)
                    .annotate(**{f"s_{c}": Sum(c) for c in counts}).order_by())
        sql, params = by_month.query.sql_with_params()
        cells = insert(StatCell, "month", sql, params, ["s_month", *keys, *(f"s_{c}" for c in counts)])
        StatSnapshot.objects.create(taken_at=now, tickets=Ticket.objects.count())
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The rows just replaced are dead: reclaim their pages (the next rebuild fills them in order) and
        # their index entries, and tell the planner how big the tables now are.
        with connection.cursor() as cursor:
            for model in (StatDayCell, StatCell):
                cursor.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")
    return {"cells": cells, "day_cells": days}
