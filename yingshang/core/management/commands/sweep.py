"""yingshang sweep — the periodic work of every capability (run by cron or a systemd timer)."""

import logging

from django.core.management.base import BaseCommand, CommandError

from yingshang.core import hooks, sweeps

log = logging.getLogger("yingshang.sweep")


class Command(BaseCommand):
    help = "Run the periodic sweeps (deadline warnings, supervision, call-backs, …). Idempotent; safe to " \
           "run from several servers at once. --as-jobs asks for each sweep as a background job instead."

    def add_arguments(self, parser):
        parser.add_argument("--as-jobs", action="store_true",
                            help="ask for one job per sweep (run by the workers, retried, failures on /jobs/); "
                                 "only the jobs' own part runs here")
        parser.add_argument("--every", type=int, default=15, metavar="MINUTES",
                            help="with --as-jobs: the timer's period; a sweep is asked for once per period "
                                 "whatever the number of servers (default 15)")

    def handle(self, *args, as_jobs=False, every=15, **opts):
        if as_jobs:
            try:
                asked = sweeps.ask(every=every)
            except ValueError as error:
                raise CommandError(f"--{error}", returncode=2) from None
            for job in asked:
                self.stdout.write(f"{job.payload.get('name')}: job {job.pk} ({job.state}, {job.key})")
        failed = []
        for name, _fn in hooks.sweeps():
            if as_jobs and name not in sweeps.HERE:
                continue
            try:
                result = sweeps.run(name)
            except Exception as error:  # noqa: BLE001 — one sweep failing does not keep the others from running
                log.exception("sweep %s failed", name)
                self.stderr.write(f"{name}: failed: {error}")
                failed.append(name)
                continue
            summary = ", ".join(f"{v} {k}" for k, v in result.items()) if isinstance(result, dict) else result
            self.stdout.write(f"{name}: {summary}")
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
