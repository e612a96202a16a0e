"""yingshang draw — the verifiable random draw on the console.

    yingshang draw sample --seed SEED --take K ID…     the ids in draw order, one a line
    yingshang draw verify RECORD.json                  recompute a published draw record: OK or the first mismatch
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yingshang.inspections import draw


class Command(BaseCommand):
    help = "The verifiable random draw: sample ids with a seed, or verify a published draw record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("sample", help="print IDs in draw order (consistent sampling), one a line")
        s.add_argument("--seed", required=True)
        s.add_argument("--take", type=int, default=None, metavar="K", help="how many (default: all)")
        s.add_argument("ids", nargs="+", metavar="ID")
        v = sub.add_parser("verify", help="recompute a published draw record from itself")
        v.add_argument("record", metavar="RECORD.json", help="the record file (- for standard input)")

    def handle(self, *args, action, **opts):
        if action == "sample":
            if opts["take"] is not None and opts["take"] < 0:
                raise CommandError("--take must be 0 or more", returncode=2)
            if not opts["seed"].strip():
                raise CommandError("--seed is empty: give the seed the witnesses announced", returncode=2)
            try:
                for id_, _ticket in draw.sample(opts["ids"], opts["seed"], opts["take"]):
                    self.stdout.write(id_)
            except draw.DrawError as exc:
                raise CommandError(str(exc), returncode=2) from None
            return
        path = opts["record"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
            record = json.loads(text)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        except ValueError as exc:
            raise CommandError(f"{path} is not JSON: {exc}", returncode=2) from None
        problem = draw.verify(record) if isinstance(record, dict) else "the record is not a JSON object"
        if problem:
            self.stdout.write(f"MISMATCH {problem}")
            sys.exit(1)
        self.stdout.write("OK")
