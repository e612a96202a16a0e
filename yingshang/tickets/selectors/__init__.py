"""Every non-trivial read of the problem ledger: ``ledger`` (scoping, filters, inboxes, the board, a firm's
summary, exports) and ``statistics`` (rates for any period, the roll-up)."""

from .ledger import *  # noqa: F401,F403
from .ledger import _day_start  # noqa: F401
from .statistics import *  # noqa: F401,F403
