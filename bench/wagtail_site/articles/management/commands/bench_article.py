"""Make the story Gazette's setup exported (story.json) a Wagtail article page.

The site's home page gets a section page for each of Gazette's sections, in the
menu; the story goes under its section with its lead photo as a Wagtail image,
whose renditions are made here, by rendering the page once, as a first reader's
request would. Prints the page's path.
"""

import json
from datetime import datetime
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.test import Client
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Site

from articles.models import ArticlePage, SectionPage


class Command(BaseCommand):
    help = "Make the exported story a Wagtail article page."

    def add_arguments(self, parser):
        parser.add_argument("story_json")

    def handle(self, *args, **options):
        story = json.loads(Path(options["story_json"]).read_text())
        home = Site.objects.get(is_default_site=True).root_page
        sections = {}
        for name in story["sections"]:
            section = SectionPage(title=name, slug=slugify(name), show_in_menus=True)
            home.add_child(instance=section)
            sections[name] = section
        photo = story["photo"]
        with open(photo["path"], "rb") as handle:
            image = Image.objects.create(
                title=photo["alt_text"],
                file=ImageFile(handle, name=Path(photo["path"]).name),
            )
        dateline = ""
        if story["dateline"]:
            dateline = (
                f'<span class="dateline">{escape(story["dateline"])} '
                f"{escape(story['dateline_separator'])}</span> "
            )
        body = story["body"].replace("<p>", f"<p>{dateline}", 1)
        article = ArticlePage(
            title=story["headline"],
            slug=story["slug"],
            subhead=story["subhead"],
            dateline=story["dateline"],
            byline=story["byline"],
            published_at=datetime.fromisoformat(story["published_at"]),
            body=body,
            photo=image,
            photo_credit=photo["credit"],
            photo_caption=photo["caption"],
        )
        sections[story["section"]].add_child(instance=article)
        path = article.get_url()
        answer = Client(HTTP_HOST="127.0.0.1").get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
        self.stdout.write(f"{path} {len(answer.content)}")
