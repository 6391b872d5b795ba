"""gazette backup: a consistent copy of the database, taken while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gazette import backups


class Command(BaseCommand):
    help = (
        "Back the database up while the site runs (SQLite's online backup, or "
        "pg_dump on PostgreSQL) and check the copy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the file to write (default: var/backups/gazette-YYYYmmdd-HHMMSS "
            "with .sqlite3 or .dump); never an existing one",
        )

    def handle(self, *args, **options):
        try:
            target = Path(options["output"]) if options["output"] else None
            target = target or backups.default_path()
            self.stdout.write(f"Backing up {backups.database_label()} to {target} ...")
            backup = backups.back_up(target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {backup.path} ({backup.size:,} bytes); "
                "the copy passed its integrity check."
            )
        )
