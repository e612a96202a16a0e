"""Reads of the dashboard: the home pages (``home``) and the cockpit's figures, rankings and indicators
(``cockpit``)."""

from .cockpit import *  # noqa: F401,F403
from .home import *  # noqa: F401,F403
