"""Two people acting on one ticket at the same moment: one wins, the other is told (409), nothing is
half-written."""

import threading

import pytest
from django.db import connection, connections

from yingshang.core.actions import IllegalTransition
from yingshang.tickets import services
from yingshang.tickets.models import Ticket, TicketEvent

# Row locks are PostgreSQL's. The embedded SQLite runs every write transaction IMMEDIATE (one writer at a
# time), but its in-memory test database locks whole tables without waiting, so threads cannot be tested there.
pytestmark = pytest.mark.skipif(connection.vendor == "sqlite", reason="concurrency is tested on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_handlers_accepting_at_once(world):
    t = world.ticket("dispatched")
    barrier = threading.Barrier(2)
    results = []

    def accept(user):
        try:
            barrier.wait()
            services.ticket_accept(actor=user, ticket=t.pk)
            results.append("ok")
        except IllegalTransition:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (world.handler, world.head)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(results) == ["conflict", "ok"]
    assert TicketEvent.objects.filter(ticket_id=t.pk, action="tickets.ticket.accepted").count() == 1
    assert Ticket.objects.get(pk=t.pk).status == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(world):
    barrier = threading.Barrier(4)
    numbers = []

    def register():
        try:
            barrier.wait()
            numbers.append(services.ticket_register(actor=world.member, enterprise=world.firm,
                                                    category=world.category, title="并发", description="d").number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(numbers) == 4 and len(set(numbers)) == 4


@pytest.mark.django_db(transaction=True)
def test_a_whole_rebuild_of_the_statistics_reclaims_the_replaced_rows(world):
    from yingshang.tickets.models import StatDayCell

    def last_vacuum():
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
                           [StatDayCell._meta.db_table])
            return cursor.fetchone()[0]

    world.ticket("closed")
    services.statistics_refresh()
    first, before = set(StatDayCell.objects.values_list("pk", flat=True)), last_vacuum()
    assert services.statistics_refresh() == {"days": 0, "day_cells": 0, "cells": 0}  # nothing new: nothing written
    result = services.statistics_refresh(full=True)  # rebuilt whole, outside a transaction: the old cells vacuumed
    assert result["day_cells"] == StatDayCell.objects.count() == len(first) == 1
    assert set(StatDayCell.objects.values_list("pk", flat=True)).isdisjoint(first)
    assert last_vacuum() is not None and (before is None or last_vacuum() > before)
