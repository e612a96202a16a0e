"""Work that only one server may do at a time (the sweeps' heavy rebuilds)."""

import zlib
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def exclusive(name: str):
    """Run the block in one transaction that only one server holds at a time (a PostgreSQL advisory
    lock, released at commit); yields False when another server holds it. SQLite serialises writers
    by itself."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])
                if not cur.fetchone()[0]:
                    yield False
                    return
        yield True
