"""gazette import PATH...: file captured pages and agency copy as stories."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gazette.wire.parsing import ParseError
from gazette.wire.services import import_file

OUTCOMES = ("imported", "updated", "skipped", "failed")


def files_under(paths: list[str]) -> list[Path]:
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Import article pages and wire files; a repeat updates, never duplicates."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a file or a folder"
        )

    def handle(self, *args, **options):
        files = files_under(options["paths"])
        counts: Counter[str] = Counter()
        progress = tqdm(files, unit="file", disable=len(files) < 2, file=self.stderr)
        for path in progress:
            try:
                results = import_file(path)
            except FileNotFoundError:
                counts["failed"] += 1
                self.stderr.write(f"{path}: no such file")
            except (ParseError, OSError) as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: {error}")
            else:
                for result in results:
                    counts[result.outcome] += 1
                    if len(files) == 1:
                        self.stdout.write(
                            f"{result.outcome}: {result.article.headline} "
                            f"({result.article.get_absolute_url()})"
                        )
        summary = ", ".join(f"{key} {counts[key]}" for key in OUTCOMES)
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) could not be imported")
