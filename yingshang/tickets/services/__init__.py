"""Every write to the problem ledger, one business action per function (``<entity>_<action>``): each
locks the ticket, checks who may act and then the state (``actions.py``), validates, writes, and appends
its event — which tells the people the action table names (bell rows in the same transaction, other
channels after it commits). ``actor=None`` is the platform itself (the sweep, routing by category).

- ``registration`` — 挂号, withdrawal, merging;
- ``handling`` — dispatch and re-dispatch, accept, return, replies, suspension, extensions, the answer,
  confirmation and call-back;
- ``supervision`` — 包保, 批示, 督办, the sweep, recomputed deadlines;
- ``statistics`` — the roll-up; ``reference`` — the default categories."""

from ._common import (ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, may, on_limits,  # noqa: F401
                      validate_attachments)
from .handling import (callback_record, extension_decide, extension_request, ticket_accept,  # noqa: F401
                       ticket_confirm, ticket_dispatch, ticket_redispatch, ticket_resolve, ticket_respond,
                       ticket_resume, ticket_return, ticket_sender_reject, ticket_suspend,
                       tickets_dispatch_bulk)
from .reference import categories_ensure_defaults  # noqa: F401
from .registration import (on_project_ref, ticket_merge, ticket_publish, ticket_register,  # noqa: F401
                           ticket_unpublish, ticket_withdraw)
from .statistics import statistics_refresh  # noqa: F401
from .supervision import (ESCALATE_WORKDAYS, dues_recompute_provisional, ticket_instruct,  # noqa: F401
                          ticket_supervise, ticket_take_charge, ticket_urge, tickets_sweep)


def available_actions(user, t):
    """The actions ``user`` may take on ``t`` now (names), from the action table."""
    from ..actions import tickets

    return [a.name for a in tickets.available(user, t)]
