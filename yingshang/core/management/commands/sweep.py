"""yingshang sweep — the periodic work of every capability (run by cron or a systemd timer)."""

import time

from django.core.management.base import BaseCommand

from yingshang.core import hooks, metrics


class Command(BaseCommand):
    help = "Run the periodic sweeps (deadline warnings, supervision, call-backs, …). Idempotent; safe to " \
           "run from several servers at once."

    def handle(self, *args, **opts):
        for name, fn in hooks.sweeps():
            start = time.perf_counter()
            result = fn()
            metrics.sweep_timed(name, time.perf_counter() - start)
            summary = ", ".join(f"{v} {k}" for k, v in result.items()) if isinstance(result, dict) else result
            self.stdout.write(f"{name}: {summary}")
