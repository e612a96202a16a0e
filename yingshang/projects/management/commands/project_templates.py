"""yingshang project_templates — create the two shipped approval templates where missing."""

from django.core.management.base import BaseCommand

from yingshang.projects import services


class Command(BaseCommand):
    help = ("Create the shipped approval templates (一般工业项目（四阶段）, 拿地即开工) where missing, and any of the "
            "departments they name that the zone lacks. Idempotent.")

    def handle(self, *args, **opts):
        made = services.templates_ensure_defaults()
        self.stdout.write(f"{made} approval template(s) created" if made else "the approval templates are present")
