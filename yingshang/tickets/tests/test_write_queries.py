"""The queries each step of a problem's life costs, pinned (caches warm, as on a running server): a change that
adds a query to every registration or dispatch shows here first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yingshang.tickets import services

STEPS = [
    ("register", lambda w, t: services.ticket_register(actor=w.member, enterprise=w.firm, category=w.category,
                                                       title="供电线路迁改", description="影响施工")),
    ("dispatch", lambda w, t: services.ticket_dispatch(actor=w.dispatcher, ticket=t, lead_department=w.dept)),
    ("accept", lambda w, t: services.ticket_accept(actor=w.handler, ticket=t)),
    ("respond", lambda w, t: services.ticket_respond(actor=w.handler, ticket=t, note="已现场踏勘")),
    ("resolve", lambda w, t: services.ticket_resolve(actor=w.handler, ticket=t, answer="已迁改", outcome="solved")),
    ("confirm", lambda w, t: services.ticket_confirm(actor=w.member, ticket=t, rating="satisfied")),
]
# Pinned: BEGIN/COMMIT included where the step opens its own transaction.
PINNED = {"register": 11, "dispatch": 12, "accept": 6, "respond": 9, "resolve": 10, "confirm": 9}
# PostgreSQL numbers a problem from a database sequence (no counter row to lock and update).
PINNED_POSTGRESQL = {**PINNED, "register": 10}


def life(w, counts=None):
    t = None
    for name, step in STEPS:
        with CaptureQueriesContext(connection) as ctx:
            result = step(w, t)
        t = result if name == "register" else t
        if counts is not None:
            counts[name] = len(ctx)
    return t


@pytest.mark.django_db(transaction=True)
def test_a_problems_whole_life_costs_what_is_pinned(world):
    life(world)  # warm the caches (roles, calendar, preferences) as a running server has them
    counts = {}
    life(world, counts)
    expected = PINNED_POSTGRESQL if connection.vendor == "postgresql" else PINNED
    assert counts == expected, f"{counts} (total {sum(counts.values())})"
