"""yingshang demo — load the demo world (idempotent), or add generated firms for benchmarks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yingshang.core.progress import Progress
from yingshang.demo import tickets_world, world


class Command(BaseCommand):
    help = "Load the demo zone (idempotent: a second run changes nothing). --scale N adds N generated firms."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, metavar="N",
                            help="add N generated enterprises and N generated problems with bulk inserts "
                                 "(for benchmarks)")
        parser.add_argument("--only", choices=["firms", "tickets"], help="with --scale: add only firms or only problems")
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print the demo accounts")

    def handle(self, *args, scale=0, quiet_accounts=False, only=None, **opts):
        if scale < 0:
            raise CommandError("--scale must be 0 or more", returncode=2)
        created = world.load()
        summary = ", ".join(f"{v} {k}" for k, v in created.items())
        self.stdout.write(f"demo world loaded ({summary} created)")
        if scale and only != "tickets":
            with Progress(scale, "generated enterprises", out=self.stdout) as p:
                world.add_scale(scale, progress=p)
        if scale and only != "firms":
            with Progress(scale, "generated problems", out=self.stdout) as p:
                tickets_world.add_scale(scale, progress=p)
        if not quiet_accounts:
            self._print_accounts()

    def _print_accounts(self):
        if settings.DEBUG:
            self.stdout.write(f"\nDemo accounts (password for all: {settings.DEMO_PASSWORD}):")
        else:
            self.stdout.write("\nDemo accounts (DEBUG is off: no demo passwords; set them with "
                              "`yingshang changepassword USER`):")
        accounts = world.demo_accounts()
        widths = [max(_width(a[k]) for a in accounts) for k in ("username", "label")]
        for a in accounts:
            self.stdout.write(f"  {_pad(a['username'], widths[0])}  {_pad(a['label'], widths[1])}  {a['what']}")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters and full-width punctuation take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
