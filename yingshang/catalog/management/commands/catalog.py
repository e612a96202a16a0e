"""yingshang catalog — the services catalogue on the console.

    yingshang catalog due --accepted 2026-09-30T10:00 --limit 20 --unit workday [--paused 3]
        the end of an application's time limit, as an ISO date-time in +08:00
    yingshang catalog import FILE.xlsx     the catalogue from the template: checked whole, nothing written on an error
    yingshang catalog export FILE.xlsx     every item's current version in the template's columns
"""

from datetime import datetime
from pathlib import Path

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
        i = sub.add_parser("import", help="import the catalogue from the XLSX template")
        i.add_argument("file", metavar="FILE.xlsx")
        e = sub.add_parser("export", help="export the catalogue to the XLSX template")
        e.add_argument("file", metavar="FILE.xlsx")

    def handle(self, *args, action, **opts):
        if action == "import":
            return self._import(opts["file"])
        if action == "export":
            return self._export(opts["file"])
        accepted = _moment(opts["accepted"])
        limit, paused = _count(opts["limit"], "--limit"), _count(opts["paused"], "--paused")
        try:
            end = limits.due(accepted, limit, opts["unit"], workdays.get_calendar(), paused_workdays=paused)
        except (limits.LimitError, workdays.CalendarError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(end.isoformat(timespec="minutes"))


    def _import(self, path):
        from yingshang.catalog import services
        from yingshang.core.tabular import TableError

        try:
            data = Path(path).read_bytes()
            report = services.items_import(actor=None, data=data, filename=path)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        except TableError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} errors: nothing was imported", returncode=1)
        self.stdout.write(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged")

    def _export(self, path):
        from yingshang.catalog import selectors, services
        from yingshang.core.xlsx import write_xlsx

        try:
            with open(path, "wb") as out:
                n = write_xlsx(out, [h for h, _e, _r in services.COLUMNS],
                               services.export_rows(selectors.current_versions()), sheet="政务服务事项")
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"{n} items written to {path}")


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
