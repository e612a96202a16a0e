"""yingshang backup DIR — the database and the uploaded files, with a manifest of sizes and checksums.

DIR must not exist; the backup is written into DIR.partial and renamed when whole (an interrupted backup
leaves nothing that looks complete). Restore it with ``yingshang restore DIR`` onto an empty database."""

from django.core.management.base import BaseCommand, CommandError

from yingshang.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory (with a manifest and checksums)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **opts):
        try:
            backup.backup(directory, say=self.stdout.write, out=self.stdout)
        except backup.BackupError as e:
            raise CommandError(str(e)) from None
