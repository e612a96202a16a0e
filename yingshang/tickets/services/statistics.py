"""The statistics roll-up (derived data): day and month cells kept by the sweep — rebuilt whole once a night, moved
by the changed problems' own counts in between."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Ticket
from ..selectors import COUNTERS, STATUS_COLUMNS, rollup_source

COUNTS = [*COUNTERS, *STATUS_COLUMNS.values()]
KEYS = ["lead_department_id", "top_id", "bureau_id"]


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


def statistics_refresh(*, now: datetime | None = None, full: bool = False) -> dict:
    """Bring the statistics roll-up (derived data) up to date; the sweep runs it. The first run, ``full``, and
    the first run after FULL_EVERY rebuild it whole: each problem's own counts from the ledger in one statement,
    the day cells summed from them in another, the month cells from the day cells in a third. Every other run
    takes the problems with new events since the last run: their old counts are taken from their cells, their
    counts now added (a problem sent to another department leaves its old cell), and the months of the cells
    changed summed again. A second server running it at the same moment skips."""
    from django.db import connection
    from django.db.models import Max, Q, Sum

    from yingshang.core import locks

    from ..models import StatCell, StatDayCell, StatSnapshot, StatTicket, TicketEvent

    now = now or timezone.now()
    qn = connection.ops.quote_name

    def insert(model, columns: list[str], qs, sources: list[str]) -> int:
        sql, params = qs.query.sql_with_params()
        picks = [f"COALESCE(s.{qn(c)}, 0)" if c in COUNTS else f"s.{qn(c)}" for c in sources]
        with connection.cursor() as cursor:
            # In order of the period: a run of days is then a run of pages, not cells scattered over the table.
            cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                           f"SELECT {', '.join(picks)} FROM ({sql}) s ORDER BY s.{qn(sources[0])}", params)
            return cursor.rowcount

    def summed(qs, period: str):
        return qs.values(period, *KEYS).annotate(**{f"s_{c}": Sum(c) for c in COUNTS}).order_by()

    def months_again(months: set[date]) -> int:
        in_months, month_days = Q(), Q()
        for a, b in _day_runs(sorted(months)):
            in_months |= Q(month__gte=a, month__lte=b)
        for m in months:
            month_days |= Q(day__gte=m, day__lt=(m + timedelta(days=32)).replace(day=1))
        StatCell.objects.filter(in_months).delete()
        days = StatDayCell.objects.filter(month_days).annotate(s_month=TruncMonth("day"))
        return insert(StatCell, ["month", *KEYS, *COUNTS], summed(days, "s_month"),
                      ["s_month", *KEYS, *(f"s_{c}" for c in COUNTS)])

    with locks.exclusive("tickets.statistics") as mine:
        if not mine:
            return {"skipped": "another server is rebuilding"}
        last = StatSnapshot.objects.order_by("-pk").first()
        high = TicketEvent.objects.aggregate(m=Max("id"))["m"] or 0
        whole = full or last is None or last.full_at is None or now - last.full_at >= FULL_EVERY
        if whole:
            for model in (StatTicket, StatDayCell, StatCell):
                model.objects.all().delete()
            insert(StatTicket, ["ticket_id", "day", *KEYS, *COUNTS], rollup_source(by_ticket=True),
                   ["s_id", "s_day", "s_lead", "s_top", "s_bureau", *COUNTS])
            days = insert(StatDayCell, ["day", *KEYS, *COUNTS], summed(StatTicket.objects.all(), "day"),
                          ["day", *KEYS, *(f"s_{c}" for c in COUNTS)])
            cells = insert(StatCell, ["month", *KEYS, *COUNTS], summed(StatDayCell.objects.annotate(
                s_month=TruncMonth("day")), "s_month"), ["s_month", *KEYS, *(f"s_{c}" for c in COUNTS)])
            result = {"cells": cells, "day_cells": days}
        else:
            touched = sorted(set(TicketEvent.objects.filter(pk__gt=last.events_before)
                                 .values_list("ticket_id", flat=True)))
            result = _apply_changes(touched)
            months = result.pop("months")
            result["cells"] = months_again(months) if months else 0
        StatSnapshot.objects.all().delete()
        StatSnapshot.objects.create(taken_at=now, tickets=Ticket.objects.count(), events_upto=high,
                                    events_before=last.events_upto if last else high,
                                    full_at=now if whole else last.full_at)
    if whole and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The rows just replaced are dead: reclaim their pages (the next rebuild fills them in order) and
        # their index entries, and tell the planner how big the tables now are.
        with connection.cursor() as cursor:
            for model in (StatTicket, StatDayCell, StatCell):
                cursor.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")
    return result


def _apply_changes(ticket_ids: list[int], chunk: int = 2000) -> dict:
    """Move the problems ``ticket_ids`` from the counts they had in the day cells to the counts they have now:
    the differences summed by cell, each cell changed rewritten once (a cell left empty goes), the problems'
    own rows replaced. Returns the days of registration, the day cells written and the months they are in."""
    from django.db.models import Q

    from yingshang.core import bulk

    from ..models import StatDayCell, StatTicket

    deltas: dict[tuple, list[int]] = {}
    days: set[date] = set()

    def add(key, row, sign):
        acc = deltas.setdefault(key, [0] * len(COUNTS))
        for i, c in enumerate(COUNTS):
            acc[i] += sign * (row[c] or 0)

    for i in range(0, len(ticket_ids), chunk):
        ids = ticket_ids[i:i + chunk]
        for row in StatTicket.objects.filter(ticket_id__in=ids).values("day", *KEYS, *COUNTS):
            add((row["day"], row["lead_department_id"], row["top_id"], row["bureau_id"]), row, -1)
        now = list(rollup_source(by_ticket=True).filter(pk__in=ids))
        for row in now:
            days.add(row["s_day"])
            add((row["s_day"], row["s_lead"], row["s_top"], row["s_bureau"]), row, +1)
        StatTicket.objects.filter(ticket_id__in=ids).delete()
        bulk.insert_many([StatTicket(ticket_id=r["s_id"], day=r["s_day"], lead_department_id=r["s_lead"],
                                     top_id=r["s_top"], bureau_id=r["s_bureau"], **{c: r[c] or 0 for c in COUNTS})
                          for r in now])
    changed = {k: d for k, d in deltas.items() if any(d)}
    written = 0
    keys = list(changed)
    for i in range(0, len(keys), 300):
        part = keys[i:i + 300]
        match = Q()
        for day, lead, top, bureau in part:
            match |= Q(day=day, lead_department_id=lead, top_id=top, bureau_id=bureau)
        cells = {(c.day, c.lead_department_id, c.top_id, c.bureau_id): c for c in StatDayCell.objects.filter(match)}
        rows = []
        for key in part:
            cell = cells.get(key)
            values = [(getattr(cell, c) if cell else 0) + d for c, d in zip(COUNTS, changed[key])]
            if values[COUNTS.index("total")] > 0:
                rows.append(StatDayCell(day=key[0], lead_department_id=key[1], top_id=key[2], bureau_id=key[3],
                                        **dict(zip(COUNTS, values))))
        StatDayCell.objects.filter(pk__in=[c.pk for c in cells.values()]).delete()
        bulk.insert_many(rows)
        written += len(part)
    return {"days": len(days), "day_cells": written, "months": {k[0].replace(day=1) for k in changed}}
