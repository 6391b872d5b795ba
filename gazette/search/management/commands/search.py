"""`gazette search rebuild`: store every published story in the search index again."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gazette.newsroom.models import Article
from gazette.search import services


class Command(BaseCommand):
    help = "Look after the full-text search index."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="action", required=True)
        subcommands.add_parser("rebuild", help="Index every published story again.")

    def handle(self, *args, **options):
        total = Article.objects.exclude(status=Article.Status.DRAFT).count()
        with tqdm(
            total=total, unit="story", disable=options["verbosity"] == 0
        ) as progress:
            stored = services.rebuild_index(on_stored=lambda article: progress.update())
        self.stdout.write(f"Search index holds {stored} stories.")
