"""Appending to a domain's event table, and telling the people the event type names.

Every event row is written here: its type must be in its app's action table (``core.actions``), so every
dotted name in the database is one a reader can grep for, with a label, an audience and a policy of whom
to tell."""

from __future__ import annotations

from django.utils import timezone

from . import actions


_listeners: list[tuple[str, object]] = []


def listen(prefix: str, fn) -> None:
    """Call ``fn(row, obj)`` for every event recorded whose type begins with ``prefix``, inside the transaction
    that writes it (a higher app following a lower one's records: the hotline bridge and the ledger)."""
    if (prefix, fn) not in _listeners:
        _listeners.append((prefix, fn))


def build(name: str, *, actor=None, frm: str = "", to: str | None = None, note: str = "", internal_note: str = "",
          data: dict | None = None, at=None, **fields):
    """An unsaved event row of type ``name`` (for bulk inserts; nobody is told)."""
    etype = actions.event_type(name)
    model = actions.DOMAINS[name.split(".", 1)[0]].model_for(name)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return model(action=name, actor=actor, from_status=frm or "", to_status=frm if to is None else to,
                 note=(note or "")[:5000], internal_note=(internal_note or "")[:5000], data=data or {},
                 public=etype.audience == actions.FIRM, at=at or timezone.now(), **fields)


def record(name: str, obj=None, *, actor=None, tell: bool = True, extra_recipients=(), context: dict | None = None,
           **kwargs):
    """Append one event of type ``name`` about ``obj`` and tell its audiences (the notification rows are
    part of the caller's transaction; other channels are sent after it commits)."""
    row = build(name, actor=actor, **kwargs)
    row.save(force_insert=True)
    for prefix, fn in _listeners:
        if name.startswith(prefix):
            fn(row, obj)
    if tell:
        from . import notifications

        domain = actions.DOMAINS[name.split(".", 1)[0]]
        notifications.announce(domain, obj, actions.event_type(name), actor=actor, event=row,
                               extra_recipients=extra_recipients, context=context)
    return row
