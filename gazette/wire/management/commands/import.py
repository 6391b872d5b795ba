"""gazette import PATH|DIRECTORY|URL...: file captured pages and agency copy."""

import re
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gazette.newsroom.models import Section
from gazette.wire.parsing import ParseError
from gazette.wire.services import import_file, import_url, is_wire_file, summarise

ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def files_under(paths: list[str]) -> list[Path | str]:
    """Every file named or inside a named folder, and every address, in order."""
    found: list[Path | str] = []
    for name in paths:
        if ADDRESS.match(name):
            found.append(name)
            continue
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and is_wire_file(p))
            )
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = (
        "Import wire copy (ninjs, NewsML-G2, RSS/Atom), HTML article pages and "
        "captured text pages from files, folders or http(s) addresses; a repeat "
        "updates or skips, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a file, a folder or a URL"
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="file new stories as drafts in the Wire queue instead of publishing",
        )
        parser.add_argument(
            "--section",
            metavar="SLUG",
            help="file the stories in this section, whatever the copy names",
        )

    def handle(self, *args, **options):
        section = None
        if options["section"]:
            section = Section.objects.filter(slug=options["section"]).first()
            if section is None:
                raise CommandError(f"no section with the slug {options['section']!r}")
        files = files_under(options["paths"])
        counts: Counter[str] = Counter()
        progress = tqdm(files, unit="file", disable=len(files) < 2, file=self.stderr)
        for path in progress:
            try:
                if isinstance(path, str):
                    results = import_url(
                        path, publish=not options["draft"], section=section
                    )
                else:
                    results = import_file(
                        path, publish=not options["draft"], section=section
                    )
            except FileNotFoundError:
                counts["failed"] += 1
                self.stderr.write(f"{path}: no such file")
            except (ParseError, OSError) as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: {error}")
            else:
                for result in results:
                    counts[result.outcome] += 1
                    if result.article is None:
                        self.stderr.write(f"{path}: {result.message}")
                    elif len(files) == 1:
                        self.stdout.write(
                            f"{result.outcome}: {result.article.headline} "
                            f"({result.article.get_absolute_url()})"
                        )
        self.stdout.write(summarise(counts))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) could not be imported")
