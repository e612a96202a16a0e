"""yingshang schedule FILE.json — backward scheduling of approval steps on the official working calendar."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from yingshang.core import workdays
from yingshang.projects import scheduling


class Command(BaseCommand):
    help = ("Schedule steps on the working calendar: reads {\"start\", \"target\", \"steps\": [{\"id\", "
            "\"duration\", \"after\"}]} and prints early/late dates, slack and the critical path as JSON.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.json", help="the steps (- for standard input)")

    def handle(self, *args, file, **opts):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            data = json.loads(text)
            if not isinstance(data, dict):
                raise scheduling.ScheduleError("the file must hold a JSON object")
            start, target, steps = scheduling.parse(data)
            result = scheduling.schedule(steps, start, target, workdays.get_calendar())
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from None
        except ValueError as exc:  # JSON, schedule and calendar errors
            raise CommandError(str(exc).splitlines()[0], returncode=2) from None
        except DatabaseError as exc:  # the working calendar lives in the database
            raise CommandError(f"the working calendar cannot be read ({str(exc).splitlines()[0]}): run "
                               f"`yingshang migrate` first", returncode=2) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
