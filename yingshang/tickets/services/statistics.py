"""The statistics roll-up (derived data): day and month cells rebuilt from the ledger by the sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from ..models import Ticket


FULL_EVERY = timedelta(hours=20)  # once a night, the whole roll-up (a firm moved to another bureau has no event)


def _day_runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[list[date]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return [(a, b) for a, b in runs]


def _local_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def statistics_refresh(*, now: datetime | None = None, full: bool = False) -> dict:
    """Bring the statistics roll-up (derived data) up to date; the sweep runs it. The first run, ``full``, and
    the first run after FULL_EVERY rebuild it whole: the day cells from the ledger in one statement, the month
    cells summed from them in another. Every other run rewrites only the days of registration of the problems
    with new events since the last run, and their months. A second server running it at the same moment skips."""
    from django.db import connection
    from django.db.models import Max, Q, Sum
    from django.db.models.functions import TruncDate, TruncMonth

    from yingshang.core import locks

    from ..models import StatCell, StatDayCell, StatSnapshot, TicketEvent
    from ..selectors import COUNTERS, STATUS_COLUMNS, rollup_source

    now = now or timezone.now()
    counts = [*COUNTERS, *STATUS_COLUMNS.values()]
    keys = ["lead_department_id", "top_id", "bureau_id"]
    qn = connection.ops.quote_name

    def insert(model, period: str, qs, sources: list[str]) -> int:
        sql, params = qs.query.sql_with_params()
        columns = [period, *keys, *counts]
        picks = [f"COALESCE(s.{qn(c)}, 0)" if c in counts else f"s.{qn(c)}" for c in sources]
        with connection.cursor() as cursor:
            # In order of the period: a run of days is then a run of pages, not cells scattered over the table.
            cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                           f"SELECT {', '.join(picks)} FROM ({sql}) s ORDER BY s.{qn(sources[0])}", params)
            return cursor.rowcount

    def months_from_days(day_filter: Q):
        return (StatDayCell.objects.filter(day_filter).annotate(s_month=TruncMonth("day")).values("s_month", *keys)
                .annotate(**{f"s_{c}": Sum(c) for c in counts}).order_by())

    day_sources = ["s_day", "s_lead", "s_top", "s_bureau", *counts]
    month_sources = ["s_month", *keys, *(f"s_{c}" for c in counts)]
    with locks.exclusive("tickets.statistics") as mine:
        if not mine:
            return {"skipped": "another server is rebuilding"}
        last = StatSnapshot.objects.order_by("-pk").first()
        high = TicketEvent.objects.aggregate(m=Max("id"))["m"] or 0
        whole = full or last is None or last.full_at is None or now - last.full_at >= FULL_EVERY
        if whole:
            StatDayCell.objects.all().delete()
            StatCell.objects.all().delete()
            days = insert(StatDayCell, "day", rollup_source(), day_sources)
            cells = insert(StatCell, "month", months_from_days(Q()), month_sources)
            result = {"cells": cells, "day_cells": days}
        else:
            touched = sorted(Ticket.objects.filter(pk__in=TicketEvent.objects.filter(pk__gt=last.events_before)
                                                   .values("ticket_id"))
                             .annotate(s=TruncDate("created_at")).order_by().values_list("s", flat=True).distinct())
            days = cells = 0
            if touched:
                in_days, in_months = Q(), Q()
                for a, b in _day_runs(touched):
                    in_days |= Q(day__gte=a, day__lte=b)
                for a, b in _day_runs(sorted({d.replace(day=1) for d in touched})):
                    in_months |= Q(month__gte=a, month__lte=b)
                StatDayCell.objects.filter(in_days).delete()
                created = Q()
                for a, b in _day_runs(touched):
                    created |= Q(created_at__gte=_local_start(a), created_at__lt=_local_start(b + timedelta(days=1)))
                days = insert(StatDayCell, "day", rollup_source().filter(created), day_sources)
                StatCell.objects.filter(in_months).delete()
                month_days = Q()
                for m in {d.replace(day=1) for d in touched}:
                    end = (m + timedelta(days=32)).replace(day=1)
                    month_days |= Q(day__gte=m, day__lt=end)
                cells = insert(StatCell, "month", months_from_days(month_days), month_sources)
            result = {"days": len(touched), "day_cells": days, "cells": cells}
        StatSnapshot.objects.all().delete()
        StatSnapshot.objects.create(taken_at=now, tickets=Ticket.objects.count(), events_upto=high,
                                    events_before=last.events_upto if last else high,
                                    full_at=now if whole else last.full_at)
    if (whole or result["day_cells"] > 10_000) and connection.vendor == "postgresql" \
            and not connection.in_atomic_block:
        # The rows just replaced are dead: reclaim their pages (the next rebuild fills them in order) and
        # their index entries, and tell the planner how big the tables now are.
        with connection.cursor() as cursor:
            for model in (StatDayCell, StatCell):
                cursor.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")
    return result
