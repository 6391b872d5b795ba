"""The one path by which imported copy becomes a story in the newsroom.

Every importer yields WireStory values; `ingest_wire_item` creates the story, or
updates the one already filed from the same provider and id. Nothing is ever
duplicated, and a failure leaves nothing half-stored.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from gazette.newsroom import services as newsroom
from gazette.newsroom.html import clean_article_html
from gazette.newsroom.models import Article, Photo, Section
from gazette.wire import parsing
from gazette.wire.parsing import ParseError, WireStory

logger = logging.getLogger("gazette.wire")


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class IngestResult:
    article: Article
    outcome: Outcome


def section_named(name: str) -> Section:
    """The section a story asks for, made if the newsroom has none by that name."""
    if not name:
        top = Section.objects.filter(is_top_news=True).first()
        if top:
            return top
        name = "Top News"
    slug = slugify(name)[:80] or "news"
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        section = Section.objects.create(name=name[:80], slug=slug)
    return section


def story_fields(story: WireStory) -> dict:
    """The article's fields as the copy gives them."""
    fields = {
        "headline": story.headline.strip()[:300],
        "subhead": story.subhead.strip()[:500],
        "dateline": story.dateline.strip()[:120],
        "body": clean_article_html(story.body_html),
    }
    # Copy that names no byline or agency leaves the newsroom's own credit alone.
    if story.bylines:
        fields["byline"] = " and ".join(story.bylines)[:300]
    if story.wire_source:
        fields["wire_source"] = story.wire_source[:120]
    return fields


def attach_photo(article: Article, story: WireStory) -> None:
    """Give the story its lead photo's credit and caption, kept once."""
    if not story.photos:
        return
    wire_photo = story.photos[0]
    photo = article.lead_photo or Photo()
    photo.credit = wire_photo.credit[:300]
    photo.caption = wire_photo.caption
    photo.alt_text = (wire_photo.alt_text or wire_photo.caption)[:300]
    if wire_photo.image_bytes:
        name = slugify(article.headline)[:40] or "photo"
        photo.image.save(f"{name}.jpg", ContentFile(wire_photo.image_bytes), save=False)
    newsroom.save_photo(photo)
    article.lead_photo = photo


@transaction.atomic
def ingest_wire_item(
    story: WireStory, *, actor=None, publish: bool = True
) -> IngestResult:
    """File a story from the wire, or update the one filed from the same item."""
    if not story.headline.strip():
        raise ParseError("the story has no headline")
    if not clean_article_html(story.body_html):
        raise ParseError("the story has no text")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("lead_photo")
        .filter(source=story.provider, source_id=story.wire_id)
        .first()
    )
    fields = story_fields(story)
    if article is not None:
        if story.version and story.version <= article.source_version:
            return IngestResult(article, Outcome.SKIPPED)
        unchanged = all(
            getattr(article, name) == value for name, value in fields.items()
        )
        photo = story.photos[0] if story.photos else None
        if unchanged and (
            photo is None
            or (
                article.lead_photo
                and (article.lead_photo.credit, article.lead_photo.caption)
                == (photo.credit, photo.caption)
                and not photo.image_bytes
            )
        ):
            return IngestResult(article, Outcome.SKIPPED)
        outcome = Outcome.UPDATED
    else:
        article = Article(
            source=story.provider,
            source_id=story.wire_id,
            section=section_named(story.section),
            status=Article.Status.DRAFT,
        )
        outcome = Outcome.IMPORTED
    for name, value in fields.items():
        setattr(article, name, value)
    article.source_version = story.version
    attach_photo(article, story)
    if outcome is Outcome.IMPORTED and publish:
        article.status = Article.Status.PUBLISHED
        article.published_at = story.first_published_at or timezone.now()
    newsroom.save_article(article)
    if story.updated_at and outcome is Outcome.UPDATED:
        Article.objects.filter(pk=article.pk).update(updated_at=story.updated_at)
    logger.info(
        "wire.item.%s provider=%s id=%s article=%s",
        outcome,
        story.provider,
        story.wire_id,
        article.pk,
    )
    return IngestResult(article, outcome)


def read_import_file(path: Path) -> bytes:
    """The bytes of a file to import, refusing what is too large to be a story."""
    limit = settings.GAZETTE_IMPORT_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ParseError(f"the file is {size:,} bytes; the limit is {limit:,}")
    return path.read_bytes()


def import_file(path: Path, *, actor=None) -> list[IngestResult]:
    """Read a file in whichever format it is written and file every story in it."""
    data = read_import_file(path)
    stories = parsing.parse(data, filename=path.name)
    with transaction.atomic():
        return [ingest_wire_item(story, actor=actor) for story in stories]
