"""Record numbers that are never reused, safe under concurrent requests and several servers."""

from django.db import IntegrityError, transaction

from .models import Sequence


def next_value(key: str) -> int:
    """Take the next value of the counter ``key`` (the row is locked until the caller commits)."""
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


def next_block(key: str, size: int) -> int:
    """Reserve ``size`` consecutive values of ``key``; returns the first."""
    with transaction.atomic():
        first = next_value(key)
        if size > 1:
            Sequence.objects.filter(key=key).update(value=first + size - 1)
        return first
