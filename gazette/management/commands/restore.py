"""gazette restore: replace the database with a backup, once told --yes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gazette import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the configured database with a backup made by "
        "`gazette backup`; says what it will replace and does it only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a file written by `gazette backup`")
        parser.add_argument(
            "--yes", action="store_true", help="replace the database, no questions"
        )

    def handle(self, *args, **options):
        path = Path(options["backup"])
        try:
            problems = backups.check(path)
            if problems:
                raise backups.BackupError(
                    f"{path} cannot be restored: " + "; ".join(problems)
                )
            replaced = (
                f"{backups.database_label()}, which now holds "
                f"{backups.describe(backups.counts())}"
            )
            held = backups.backup_counts(path)
            source = f"the backup {path}" + (
                f" ({backups.describe(held)})" if held is not None else ""
            )
            if not options["yes"]:
                raise CommandError(
                    f"This replaces everything in {replaced}, with {source}. "
                    "Run again with --yes to go ahead."
                )
            self.stdout.write(f"Replacing everything in {replaced}, with {source} ...")
            backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path}: the database now holds "
                f"{backups.describe(backups.counts())}."
            )
        )
