"""The ticket's state machine as data (no Django): which action moves which states to which.

Services check an action against this table before anything else; pages and the API ask it which
actions exist for a ticket, then the permission rules say which of them the user may take."""

REGISTERED = "registered"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
SUSPENDED = "suspended"
RESOLVED = "resolved"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
MERGED = "merged"

OPEN = frozenset({REGISTERED, DISPATCHED, IN_PROGRESS, SUSPENDED})

# action → (states it may start from, state it leads to; None = unchanged)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "dispatch": (frozenset({REGISTERED}), DISPATCHED),
    "redispatch": (frozenset({DISPATCHED, IN_PROGRESS}), DISPATCHED),
    "accept": (frozenset({DISPATCHED}), IN_PROGRESS),
    "return": (frozenset({DISPATCHED}), REGISTERED),
    "respond": (frozenset({IN_PROGRESS}), None),
    "suspend": (frozenset({IN_PROGRESS}), SUSPENDED),
    "resume": (frozenset({SUSPENDED}), IN_PROGRESS),
    "request_extension": (frozenset({IN_PROGRESS, SUSPENDED}), None),
    "decide_extension": (frozenset({IN_PROGRESS, SUSPENDED}), None),
    "resolve": (frozenset({IN_PROGRESS}), RESOLVED),
    "confirm": (frozenset({RESOLVED}), CLOSED),          # or back to IN_PROGRESS when 不满意
    "callback": (frozenset({RESOLVED}), CLOSED),         # the steward records the firm's answer
    "withdraw": (frozenset({REGISTERED, DISPATCHED, IN_PROGRESS, SUSPENDED}), WITHDRAWN),
    "merge": (frozenset({REGISTERED, DISPATCHED, IN_PROGRESS, SUSPENDED}), MERGED),
    "take_charge": (OPEN | {RESOLVED}, None),
    "instruct": (OPEN | {RESOLVED}, None),
    "supervise": (OPEN | {RESOLVED}, None),
}


class IllegalTransition(Exception):
    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(f"{action} is not possible when the ticket is {status}")


def check(action: str, status: str) -> str | None:
    """The state ``action`` leads to from ``status``; raises :class:`IllegalTransition` if not allowed."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalTransition(action, status)
    return target


def possible(status: str) -> list[str]:
    return [action for action, (sources, _t) in TRANSITIONS.items() if status in sources]


def next_due_field(status: str, *, responded: bool) -> str | None:
    """Which deadline matters in ``status``: the one the ledger sorts by and the sweep watches."""
    if status == DISPATCHED:
        return "accept_due"
    if status == IN_PROGRESS:
        return "resolve_due" if responded else "respond_due"
    if status == RESOLVED:
        return "confirm_due"
    return None
