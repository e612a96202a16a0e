"""Inserting many rows at once: PostgreSQL's COPY where available (an order of magnitude faster than a
multi-row INSERT for wide rows such as JSON explanations), ``bulk_create`` elsewhere."""

import datetime
import decimal

from django.db import DEFAULT_DB_ALIAS, connections

# Values the driver takes as they are (a field's own preparation would give them back unchanged); anything else —
# a dict for a JSON field, a naive time, an enumeration member — goes through the field.
_AS_IS = {str, int, bool, float, type(None), datetime.date, decimal.Decimal}


def _as_is(v) -> bool:
    return type(v) in _AS_IS or (type(v) is datetime.datetime and v.tzinfo is not None)


def insert_many(objs: list, *, batch_size: int = 5000, ids: bool = False) -> int:
    """Insert unsaved model instances of one model. Returns the count. With ``ids``, each instance gets its
    primary key (taken from the table's sequence beforehand on PostgreSQL, read back elsewhere)."""
    if not objs:
        return 0
    model = type(objs[0])
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return len(objs)
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    if ids and pk.auto_created:
        with conn.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, pk.column, len(objs)])
            for obj, (value,) in zip(objs, cursor.fetchall()):
                obj.pk = value
        fields = [pk, *fields]
    # Values as the database takes them: fields set on save (auto_now_add) ask pre_save, the rest are read.
    getters = [(f.get_db_prep_save, (lambda o, f=f: f.pre_save(o, True)) if getattr(f, "auto_now_add", False)
                or getattr(f, "auto_now", False) else (lambda o, a=f.attname: getattr(o, a))) for f in fields]
    qn = conn.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    with conn.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([v if _as_is(v) else prep(v, conn) for prep, get in getters for v in (get(obj),)])
    return len(objs)
