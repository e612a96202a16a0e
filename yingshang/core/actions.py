"""The vocabulary of business actions, one table per domain (``<app>/actions.py``).

An :class:`Action` is something a person does to a record: its name (the URL segment and the API action),
the service that performs it, the fields it needs (each saying who will read it), who may take it, the
states it starts from and leads to, and the event it writes. An :class:`EventType` is what the record's
history says afterwards — its dotted name (``tickets.ticket.dispatched``), its label, who may see it (the
firm, or officials only) and who is told, of which kind, with which message. Events the platform writes
by itself (a sweep's warning, an expiry) are event types without an action.

Pages, the API, the timelines, the notification policy and the permission-matrix tests all loop over
these tables; adding an action is one entry here and one service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import rules

# Who may read an event or a note.
FIRM = "firm"      # the firm's own staff and everyone who may see the record
STAFF = "staff"    # officials only: never on the firm's pages, notifications or API answers

# Kinds of notification (a user chooses per kind how to be told, see ``core.notifications``).
WORK = "work"              # something waits for you to do
UPDATE = "update"          # progress on something you follow
ESCALATION = "escalation"  # late, escalated, supervised


class IllegalTransition(Exception):
    """The record's state does not allow the action (HTTP 409)."""

    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(f"{action} is not possible when the record is {status}")


@dataclass(frozen=True)
class Field:
    """One input of an action. ``kind``: text (a paragraph), line (one line), choice, yesno, int, date,
    department, departments, record (another record, by id), file, files. ``audience`` says who will read what is written here (FIRM or STAFF);
    every free-text field has one, and its label says so."""

    name: str
    kind: str
    label: Any
    required: bool = True
    audience: str | None = None
    choices: Any = None          # a TextChoices class or a list of pairs
    max_length: int = 2000
    min_value: int | None = None
    max_value: int | None = None
    queryset: Callable | None = None   # for department(s): a callable returning the queryset to choose from
    slug_field: str = "code"           # how the API names a department
    help_text: Any = ""

    def choice_list(self):
        c = self.choices
        return list(c.choices) if hasattr(c, "choices") else list(c or [])


@dataclass(frozen=True)
class EventType:
    name: str                      # dotted: <app>.<entity>.<past participle>
    label: Any                     # what the timeline says
    audience: str = FIRM           # who may see the event (its note follows the note field's audience)
    tell: tuple[str, ...] = ()     # audiences told, resolved by the domain (``Domain.audiences``)
    kind: str = UPDATE
    message: Any = ""              # the notification's title, formatted with the domain's context


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    service: str                   # dotted path of the service function, resolved when first called
    who: Any                       # a ``rules`` predicate (user, obj): may this user take it on this record?
    event: str = ""                # the event type it writes (more than one when ``events`` is given)
    fields: tuple[Field, ...] = ()
    sources: frozenset | None = None   # states it may start from (None: any)
    target: str | None = None          # state it leads to (None: unchanged)
    when: Callable | None = None       # further condition on the record (a pending extension …)
    style: str = "primary"
    subject: str = ""                  # the service's keyword for the record (default: the domain's)
    events: tuple[str, ...] = ()       # every event type it may write, when more than ``event``

    def possible_in(self, status) -> bool:
        return self.sources is None or status in self.sources

    def check(self, status) -> str | None:
        """The state the action leads to from ``status``; raises :class:`IllegalTransition` if not allowed."""
        if not self.possible_in(status):
            raise IllegalTransition(self.name, status)
        return self.target

    def allowed(self, user, obj=None) -> bool:
        return bool(rules.has_perm(self.perm, user, obj)) if user is not None else True

    @property
    def perm(self) -> str:
        return f"{self.domain}.{self.name}"

    @property
    def domain(self) -> str:
        return self._domain  # set by Domain.action

    def resolve(self) -> Callable:
        from django.utils.module_loading import import_string

        return import_string(self.service)

    def data_from(self, cleaned: dict) -> dict:
        """The service's keyword arguments from cleaned form or serializer data (declared fields only)."""
        out = {}
        for f in self.fields:
            if f.name in cleaned:
                value = cleaned[f.name]
                if f.kind == "departments" and value is None:
                    value = []
                out[f.name] = value
        return out

    def perform(self, actor, obj, cleaned: dict):
        subject = self.subject or DOMAINS[self.domain].subject
        return self.resolve()(actor=actor, **{subject: obj}, **self.data_from(cleaned))


@dataclass
class Domain:
    """The table of one app: its actions, its event types, who its audiences are, how to link its records."""

    name: str                      # the app label: tickets, credit, inspections, projects …
    subject: str                   # the service keyword for its main record: ticket, record, plan …
    audiences: dict[str, Callable] = field(default_factory=dict)  # name → (obj, event) → user ids
    link: Callable | None = None   # obj → URL
    context: Callable | None = None  # obj → dict for messages
    group_key: Callable | None = None  # obj → the key notifications of one record are grouped under
    actions: dict[str, Action] = field(default_factory=dict)
    event_types: dict[str, EventType] = field(default_factory=dict)
    event_model: Any = None        # the table its events are appended to …
    event_models: dict[str, Any] = field(default_factory=dict)  # … or one per entity (the name's second part)

    def model_for(self, event_name: str):
        return self.event_models.get(event_name.split(".")[1], self.event_model)

    def action(self, action: Action) -> Action:
        object.__setattr__(action, "_domain", self.name)
        if action.name in self.actions:
            raise ValueError(f"duplicate action {self.name}.{action.name}")
        self.actions[action.name] = action
        if not rules.perm_exists(action.perm):
            rules.add_perm(action.perm, action.who)
        return action

    def event(self, etype: EventType) -> EventType:
        if not etype.name.startswith(self.name + "."):
            raise ValueError(f"event {etype.name} does not belong to {self.name}")
        if etype.name in EVENT_TYPES:
            raise ValueError(f"duplicate event type {etype.name}")
        self.event_types[etype.name] = etype
        EVENT_TYPES[etype.name] = etype
        return etype

    def __getitem__(self, name: str) -> Action:
        return self.actions[name]

    def __iter__(self):
        return iter(self.actions.values())

    def possible(self, status) -> list[Action]:
        return [a for a in self.actions.values() if a.possible_in(status)]

    def available(self, user, obj, *, status_field: str = "status") -> list[Action]:
        """The actions ``user`` may take on ``obj`` now: its state, the action's further condition, the rules."""
        status = getattr(obj, status_field, None)
        return [a for a in self.possible(status)
                if (a.when is None or a.when(obj, user)) and a.allowed(user, obj)]

    def check(self, name: str, status) -> str | None:
        return self.actions[name].check(status)

    def begin(self, actor, name: str, obj) -> str | None:
        """Who may act, then whether the state allows it (the record is locked by the caller); returns the
        state the action leads to. ``actor=None`` is the platform itself."""
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        action = self.actions[name]
        if actor is not None and not action.allowed(actor, obj):
            raise PermissionDenied(_("You may not do this."))
        return action.check(getattr(obj, "status", None))


DOMAINS: dict[str, Domain] = {}
EVENT_TYPES: dict[str, EventType] = {}


def domain(name: str, **kwargs) -> Domain:
    if name not in DOMAINS:
        DOMAINS[name] = Domain(name=name, **kwargs)
    return DOMAINS[name]


def event_type(name: str) -> EventType:
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise LookupError(f"unknown event type {name}: add it to its app's actions.py") from None


def event_label(name: str):
    etype = EVENT_TYPES.get(name)
    return etype.label if etype else name
