"""yingshang cockpit — the zone's figures on the console.

    yingshang cockpit refresh [--full] [--since YYYY-MM-DD]
        bring the roll-up of the figures up to date (the sweep does the last 62 days; --full every day)
    yingshang cockpit figures [--from YYYY-MM-DD --to YYYY-MM-DD | --preset month] [--group ID] [--bureau ID]
        every figure for the period, with the period before and a year earlier (tab-separated)
    yingshang cockpit report --kind monthly|weekly|custom --from YYYY-MM-DD --to YYYY-MM-DD [--group ID] [--bureau ID]
        write a report (DOCX, XLSX, PDF, archived); prints its number and files
    yingshang cockpit scheduled [--today YYYY-MM-DD]
        write the monthly report and the weekly brief that are due and not yet written
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yingshang.core import inputs
from yingshang.dashboard import params, selectors, services


def _fail(exc: ValidationError):
    raise CommandError(" ".join(exc.messages), returncode=2) from None


class Command(BaseCommand):
    help = "The cockpit: refresh the roll-up, print the figures, write reports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser("refresh", help="bring the roll-up of the figures up to date")
        r.add_argument("--full", action="store_true", help="rebuild every day (nightly)")
        r.add_argument("--since", metavar="YYYY-MM-DD", help="rebuild from this day on")
        for name, text in (("figures", "print every figure for a period"), ("report", "write a report")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--from", dest="from_", metavar="YYYY-MM-DD")
            p.add_argument("--to", metavar="YYYY-MM-DD")
            p.add_argument("--preset", choices=["month", "quarter", "year", "last_month", "week"])
            p.add_argument("--group", metavar="ID")
            p.add_argument("--bureau", metavar="ID")
            if name == "report":
                p.add_argument("--kind", default="custom", choices=["monthly", "weekly", "custom"])
        s = sub.add_parser("scheduled", help="write the reports that are due")
        s.add_argument("--today", metavar="YYYY-MM-DD")

    def handle(self, *args, action, **opts):
        try:
            if action == "refresh":
                since = inputs.day(opts["since"], "--since") if opts.get("since") else None
                out = services.rollup_refresh(full=opts["full"], since=since)
                self.stdout.write(f"{out['cells written']} cells written ({out['from']})")
                return
            if action == "scheduled":
                today = inputs.day(opts["today"], "--today") if opts.get("today") else None
                for report in services.reports_on_schedule(today=today):
                    self.stdout.write(f"{report.number}\t{report.title}")
                return
            q = params.parse({k: v for k, v in (("from", opts.get("from_")), ("to", opts.get("to")),
                                                 ("preset", opts.get("preset")), ("group", opts.get("group")),
                                                 ("bureau", opts.get("bureau"))) if v})
            if action == "figures":
                for a in selectors.figure_answers(q.period, q.dims):
                    value = "—" if not a["applies"] or a["value"] is None else a["value"]
                    amount = f" ({a['amount']} {a['amount_unit']})" if a["amount"] is not None else ""
                    self.stdout.write(f"{a['key']}\t{value}{amount}\t{a['unit']}\t{a['previous']}\t{a['year_before']}")
                return
            report = services.report_write(actor=None, kind=opts["kind"], start=q.period.start, end=q.period.end,
                                           group_id=q.dims.group, bureau_id=q.dims.bureau)
            self.stdout.write(f"{report.number}\t{report.title}")
            for f in (report.docx, report.xlsx, report.pdf):
                self.stdout.write(f"  {f.path}")
        except ValidationError as exc:
            _fail(exc)
