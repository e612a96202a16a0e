"""yingshang integrator — the outside systems that file problems (Open311 integrators, the 12345 hotline).

    yingshang integrator list
    yingshang integrator add NAME --by ADMIN [--kind open311|hotline] [--contact "…"] [--callback URL]
        registers it and prints its API key once (only a hash is kept); a hotline's signing secret too
    yingshang integrator rekey NAME --by ADMIN      a new key; the old one stops working at once
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yingshang.interop import services
from yingshang.interop.models import Integrator


class Command(BaseCommand):
    help = "The outside systems that file problems: list, register, issue a new key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every integrator, its kind and the start of its key")
        a = sub.add_parser("add", help="register an integrator and print its API key")
        a.add_argument("name")
        a.add_argument("--by", required=True, metavar="ADMIN", help="the administrator's username")
        a.add_argument("--kind", default=Integrator.Kind.OPEN311, choices=Integrator.Kind.values)
        a.add_argument("--contact", default="")
        a.add_argument("--callback", default="", metavar="URL", help="a hotline's callback address")
        r = sub.add_parser("rekey", help="issue a new API key")
        r.add_argument("name")
        r.add_argument("--by", required=True, metavar="ADMIN", help="the administrator's username")

    def handle(self, *args, action, **opts):
        if action == "list":
            for i in Integrator.objects.all():
                state = "active" if i.active else "inactive"
                self.stdout.write(f"{i.name}\t{i.kind}\t{i.key_prefix}…\t{state}")
            return
        actor = get_user_model().objects.filter(username=opts["by"]).first()
        if actor is None:
            raise CommandError(f"No user {opts['by']!r}.")
        try:
            if action == "add":
                integrator, key = services.integrator_register(actor=actor, name=opts["name"], kind=opts["kind"],
                                                               contact=opts["contact"],
                                                               callback_url=opts["callback"])
            else:
                integrator = Integrator.objects.filter(name=opts["name"]).first()
                if integrator is None:
                    raise CommandError(f"No integrator {opts['name']!r}.")
                key = services.integrator_rekey(actor=actor, integrator=integrator)
        except PermissionDenied as e:
            raise CommandError(str(e)) from None
        except ValidationError as e:
            raise CommandError("; ".join(e.messages)) from None
        self.stdout.write(f"{integrator.name}: api_key {key}")
        if integrator.secret and action == "add":
            self.stdout.write(f"{integrator.name}: signing secret {integrator.secret}")
        self.stdout.write("Keep it now: only its hash is stored.")
