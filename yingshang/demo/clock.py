"""The demo's story clock: the credit, inspection and project worlds are played through the real services
as of the days of their story, so that their events, list entries, draws and publications carry those days
and not the moment the demo was loaded. Only the demo loader uses it, and only while no other thread of the
process serves requests (the clock is the process's); the services read the time as usual."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def moment(day: date | datetime, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment: ``day`` itself when it is a datetime, else ``hour:minute`` of that day (zone time)."""
    if isinstance(day, datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@contextmanager
def story(day: date | datetime, hour: int = 10, minute: int = 0):
    """Run the block as if it were ``day`` (never later than the real now). Each call to the clock inside
    moves a second on, so that events written in one block keep their order."""
    real = timezone.now
    start = min(moment(day, hour, minute), real())
    ticks = iter(range(10**9))

    def now():
        return start + timedelta(seconds=next(ticks))

    timezone.now = now
    try:
        yield start
    finally:
        timezone.now = real
