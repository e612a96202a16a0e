import pytest
from django.db import connection, transaction

from yingshang.core import numbering

pytestmark = pytest.mark.django_db


def test_values_are_taken_in_order_and_never_twice():
    a = numbering.next_value("test.numbers")
    b = numbering.next_value("test.numbers")
    block = numbering.next_values("test.numbers", 5)
    assert b == a + 1 and block == list(range(b + 1, b + 6))
    assert numbering.next_value("test.other") < numbering.next_value("test.other")


def test_a_rolled_back_first_value_does_not_break_the_counter():
    with pytest.raises(RuntimeError), transaction.atomic():
        first = numbering.next_value("test.rollback")
        raise RuntimeError
    # On PostgreSQL the sequence created by the rolled-back transaction is gone: it is created again.
    again = numbering.next_value("test.rollback")
    assert again >= 1 and (connection.vendor != "sqlite" or again == first)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_database_sequence_continues_after_the_table_counter():
    from yingshang.core.models import Sequence

    Sequence.objects.create(key="test.continue", value=41)
    assert numbering.next_value("test.continue") == 42
