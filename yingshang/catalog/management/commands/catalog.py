"""yingshang catalog — the services catalogue on the console.

    yingshang catalog due --accepted 2026-09-30T10:00 --limit 20 --unit workday [--paused 3]
        the end of an application's time limit, as an ISO date-time in +08:00
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from yingshang.catalog import limits
from yingshang.core import workdays


class Command(BaseCommand):
    help = "The services catalogue: when an application's time limit ends."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("due", help="print when a time limit ends (ISO date-time, +08:00)")
        d.add_argument("--accepted", required=True, metavar="YYYY-MM-DDTHH:MM",
                       help="when the application was accepted (zone time unless an offset is given)")
        d.add_argument("--limit", required=True, metavar="N", help="the limit in days; 0 for an immediate item")
        d.add_argument("--unit", default=limits.WORKDAY, choices=limits.UNITS)
        d.add_argument("--paused", default="0", metavar="P", help="working days spent in special procedures")

    def handle(self, *args, action, **opts):
        accepted = _moment(opts["accepted"])
        limit, paused = _count(opts["limit"], "--limit"), _count(opts["paused"], "--paused")
        try:
            end = limits.due(accepted, limit, opts["unit"], workdays.get_calendar(), paused_workdays=paused)
        except (limits.LimitError, workdays.CalendarError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(end.isoformat(timespec="minutes"))


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--accepted {text!r} is not a date and time such as 2026-09-30T10:00",
                           returncode=2) from None
    return value if value.tzinfo else value.replace(tzinfo=workdays.ZONE)


def _count(text: str, name: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        raise CommandError(f"{name} {text!r} is not a whole number of days (0–9999)", returncode=2)
    return int(text)
