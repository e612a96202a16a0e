"""yingshang calendar — the official working calendar on the console."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yingshang.core import services, workdays
from yingshang.core.selectors import calendar_status
from yingshang.core.tabular import TableError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=2) from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"not a whole number: {text!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Working calendar: look up working days, import a year's holiday notice, seed, status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("is-workday", help="print true or false for DATE")
        p.add_argument("date")
        p = sub.add_parser("add", help="print the N-th working day after DATE (N < 0: before)")
        p.add_argument("date")
        p.add_argument("n")
        p = sub.add_parser("between", help="print the number of working days in (A, B]")
        p.add_argument("a")
        p.add_argument("b")
        p = sub.add_parser("import", help="import a CSV/XLSX file with columns date, kind, name")
        p.add_argument("file")
        sub.add_parser("seed", help="load the years the chinesecalendar package knows (keeps existing years)")
        sub.add_parser("status", help="print the years covered and what is missing")
        for p in sub.choices.values():
            p.add_argument("--provisional", action="store_true",
                           help="count a year without official data on the weekday rule instead of failing")

    def handle(self, *args, action, provisional=False, **opts):
        try:
            if action == "is-workday":
                self.stdout.write("true" if workdays.is_workday(_date(opts["date"]), provisional=provisional) else "false")
            elif action == "add":
                self.stdout.write(workdays.add_workdays(_date(opts["date"]), _int(opts["n"]),
                                                        provisional=provisional).isoformat())
            elif action == "between":
                self.stdout.write(str(workdays.workdays_between(_date(opts["a"]), _date(opts["b"]),
                                                                provisional=provisional)))
            elif action == "import":
                self._import(Path(opts["file"]))
            elif action == "seed":
                years = services.calendar_seed_from_package()
                self.stdout.write(f"seeded {len(years)} years" + (f": {years[0]}–{years[-1]}" if years else ""))
            elif action == "status":
                st = calendar_status()
                covered = f"{st.covered_years[0]}–{st.covered_years[-1]}" if st.covered_years else "none"
                self.stdout.write(f"covered: {covered}; {st.current_year}: "
                                  f"{'ok' if st.current_covered else 'MISSING'}; {st.current_year + 1}: "
                                  f"{'ok' if st.next_covered else 'missing (import the notice when published)'}")
        except workdays.CalendarError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _import(self, path: Path):
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            report = services.calendar_import(actor=None, data=path.read_bytes(), filename=path.name)
        except TableError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not report.ok:
            for err in report.errors:
                self.stderr.write(str(err))
            raise CommandError(f"{len(report.errors)} bad rows in {path.name}; nothing was imported", returncode=2)
        self.stdout.write(f"imported {report.created} days from {path.name}")
