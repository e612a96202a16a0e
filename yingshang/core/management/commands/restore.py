"""yingshang restore DIR — a backup of ``yingshang backup`` onto an empty database and its files into MEDIA_ROOT.

Every file's checksum is checked before anything is written; the database must be empty (a new database);
PostgreSQL is restored in one transaction (interrupted, it stays empty)."""

from django.core.management.base import BaseCommand, CommandError

from yingshang.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `yingshang backup` onto an empty database."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **opts):
        try:
            backup.restore(directory, say=self.stdout.write, out=self.stdout)
        except backup.BackupError as e:
            raise CommandError(str(e)) from None
