"""gazette demo: load the demo edition; safe to run again (updates, never doubles)."""

import io
import json
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gazette.newsroom import services
from gazette.newsroom.html import paragraphs_to_html
from gazette.newsroom.models import Section
from gazette.wire import services as wire
from gazette.wire.models import WireFeed
from gazette.wire.parsing import WireStory
from gazette.wire.services import import_file, ingest_wire_item

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "demo"


def demo_photo_bytes(width: int = 1600, height: int = 1067) -> bytes:
    """A drawn stand-in photo: dusk over a roofline, the same every time."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(40 + 170 * share), int(60 + 90 * share), int(110 + 40 * share)),
        )
    rng = random.Random(2024)
    x = 0
    while x < width:
        building_width = rng.randint(60, 180)
        top = rng.randint(int(height * 0.45), int(height * 0.8))
        draw.rectangle([x, top, x + building_width, height], fill=(28, 30, 38))
        for window_y in range(top + 20, height - 20, 36):
            for window_x in range(x + 12, x + building_width - 16, 28):
                if rng.random() < 0.35:
                    draw.rectangle(
                        [window_x, window_y, window_x + 10, window_y + 16],
                        fill=(235, 200, 120),
                    )
        x += building_width + rng.randint(0, 12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Load the demo edition: sections, the reference story on top, sample copy."

    @transaction.atomic
    def handle(self, *args, **options):
        edition = json.loads((DEMO_DIR / "edition.json").read_text())
        for fields in edition["sections"]:
            Section.objects.update_or_create(
                slug=fields["slug"],
                defaults={"name": fields["name"], "position": fields["position"]},
            )
        self.load_seed(edition["seed"])
        names = {section.slug: section.name for section in Section.objects.all()}
        now = timezone.now()
        for story in edition["stories"]:
            result = ingest_wire_item(
                WireStory(
                    headline=story["headline"],
                    subhead=story.get("subhead", ""),
                    section=names[story["section"]],
                    dateline=story.get("dateline", ""),
                    bylines=[story["byline"]] if story.get("byline") else [],
                    body_html=paragraphs_to_html(story["body"]),
                    provider="demo",
                    wire_id=story["slug"],
                    first_published_at=now - timedelta(hours=story["hours_ago"]),
                )
            )
            self.stdout.write(f"{result.outcome}: {result.article.headline}")
        self.load_wire(edition["wire"])
        self.stdout.write(self.style.SUCCESS("The demo edition is loaded."))

    def load_wire(self, wire_samples: dict) -> None:
        """IPTC's sample agency files, published through the import path, and a
        drop folder feed whose files land in the Wire queue."""
        for sample in wire_samples["files"]:
            section = Section.objects.get(slug=sample["section"])
            for result in import_file(DEMO_DIR / sample["file"], section=section):
                self.stdout.write(f"{result.outcome}: {result.article.headline} (wire)")
        inbox = wire_samples["inbox"]
        folder = Path(settings.VAR_DIR) / inbox["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        feed = WireFeed.objects.filter(name=inbox["name"]).first()
        if feed is None:
            feed = WireFeed(
                name=inbox["name"], kind=WireFeed.Kind.FOLDER, location=str(folder)
            )
            wire.save_wire_feed(feed)
        self.stdout.write(f"Wire files dropped into {folder} land in the Wire queue.")

    def load_seed(self, seed: dict) -> None:
        [result] = import_file(DEMO_DIR / seed["file"])
        article = result.article
        article.wire_source = seed["wire_source"]
        article.front_rank = seed["front_rank"]
        services.save_article(article)
        photo = article.lead_photo
        if photo is not None and not photo.image:
            photo.image.save("demo-skyline.jpg", ContentFile(demo_photo_bytes()), False)
            photo.alt_text = "Drawn stand-in for the agency photo: a city at dusk"
            services.save_photo(photo)
        self.stdout.write(f"{result.outcome}: {article.headline} (top story)")
