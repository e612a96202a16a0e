"""Record numbers that are never reused, safe under concurrent requests and several servers.

On PostgreSQL each counter is a database sequence (``nextval`` takes no lock that a request would hold
until it commits, so concurrent registrations do not queue behind each other; a rolled-back request
leaves a gap, never a duplicate). Elsewhere it is a row of ``core.Sequence`` locked until commit. A
sequence starts after the row's value, so a database that counted in the table continues from there."""

import re

from django.db import DatabaseError, IntegrityError, connection, transaction

from .models import Sequence


def _sequence_name(key: str) -> str:
    return "ys_seq_" + re.sub(r"[^a-z0-9_]", "_", key.lower())


def _pg_next(key: str, size: int) -> list[int]:
    """One round trip when the sequence exists (``nextval`` of a missing one is NULL, not an error, so
    a sequence whose creating transaction rolled back is simply created again)."""
    name = _sequence_name(key)
    sql = "SELECT nextval(to_regclass(%s)) FROM generate_series(1, %s)"
    with connection.cursor() as cur:
        cur.execute(sql, [name, size])
        values = [r[0] for r in cur.fetchall()]
        if values and values[0] is None:
            start = (Sequence.objects.filter(key=key).values_list("value", flat=True).first() or 0) + 1
            try:
                with transaction.atomic():
                    cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {connection.ops.quote_name(name)} "
                                f"START WITH {int(start)}")
            except DatabaseError:
                pass  # created by another request at the same moment
            cur.execute(sql, [name, size])
            values = [r[0] for r in cur.fetchall()]
    return sorted(values)


def next_value(key: str) -> int:
    """Take the next value of the counter ``key``."""
    if connection.vendor == "postgresql":
        return _pg_next(key, 1)[0]
    with transaction.atomic(savepoint=False):
        seq = Sequence.objects.select_for_update().filter(key=key).first()
        if seq is None:
            try:
                with transaction.atomic():
                    Sequence.objects.create(key=key, value=0)
            except IntegrityError:
                pass  # another request created it first
            seq = Sequence.objects.select_for_update().get(key=key)
        seq.value += 1
        seq.save(update_fields=["value"])
        return seq.value


def next_values(key: str, size: int) -> list[int]:
    """Take ``size`` values of ``key`` at once (ascending; consecutive unless others take values meanwhile)."""
    if connection.vendor == "postgresql":
        return _pg_next(key, size)
    with transaction.atomic():
        first = next_value(key)
        if size > 1:
            Sequence.objects.filter(key=key).update(value=first + size - 1)
        return list(range(first, first + size))
