"""Filing one wire story: create it, update it from a newer version, or skip it."""

import hashlib
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from gazette.newsroom import services as newsroom
from gazette.newsroom.html import clean_article_html
from gazette.newsroom.models import Article, Photo, Section
from gazette.wire.models import WireFeed, WireVersion
from gazette.wire.parsing import ParseError, WireStory

logger = logging.getLogger("gazette.wire")

BYLINE_PREFIX = re.compile(r"^(by|von|par|por|av|di|door)\s+", re.IGNORECASE)
# XML 1.0 has no room for these: one in a headline made Django refuse to write
# the RSS and Atom feeds (a 500 for every reader of them) and broke the news
# sitemap. Agency copy never means them (ninjs can carry them as \u escapes).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
OUTCOMES = ("imported", "updated", "skipped", "failed")


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class IngestResult:
    article: Article | None
    outcome: Outcome
    message: str = ""


def summarise(counts: Counter) -> str:
    """ "imported 3, updated 1, skipped 0, failed 0" """
    return ", ".join(f"{outcome} {counts[outcome]}" for outcome in OUTCOMES)


def plain(text: str) -> str:
    """A line of wire text as a field keeps it: control characters dropped."""
    return CONTROL_CHARACTERS.sub("", text).strip()


def section_named(name: str) -> Section:
    """The section a story asks for, made if the newsroom has none by that name."""
    name = plain(name)
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


def byline_of(bylines: list[str]) -> str:
    """The byline as the page sets it: "By Jane Doe and John Roe"."""
    if len(bylines) == 1 and BYLINE_PREFIX.match(bylines[0]):
        return bylines[0]
    return "By " + " and ".join(BYLINE_PREFIX.sub("", name) for name in bylines)


def story_fields(story: WireStory) -> dict:
    """The article's fields as the copy gives them."""
    fields = {
        "headline": plain(story.headline)[:300],
        "subhead": plain(story.subhead)[:500],
        "dateline": plain(story.dateline)[:120],
        "body": clean_article_html(story.body_html),
    }
    # Copy that names no byline or agency leaves the newsroom's own credit alone.
    if story.bylines:
        fields["byline"] = plain(byline_of(story.bylines))[:300]
    if story.wire_source:
        fields["wire_source"] = plain(story.wire_source)[:120]
    return fields


def is_web_address(url: str) -> bool:
    return urlsplit(url).scheme.lower() in {"http", "https"}


def attach_photo(article: Article, story: WireStory) -> None:
    """Give the story its lead photo's credit, caption and image, kept once."""
    if not story.photos:
        return
    wire_photo = story.photos[0]
    photo = article.lead_photo or Photo()
    photo.credit = plain(wire_photo.credit)[:300]
    photo.caption = plain(wire_photo.caption)
    photo.alt_text = plain(wire_photo.alt_text or wire_photo.caption)[:300]
    photo.image_url = (
        wire_photo.image_url[:1000] if is_web_address(wire_photo.image_url) else ""
    )
    if wire_photo.image_bytes and not same_image(photo, wire_photo.image_bytes):
        extension = IMAGE_EXTENSIONS.get(image_format(wire_photo.image_bytes), "jpg")
        name = slugify(article.headline)[:40] or "photo"
        photo.image.save(
            f"{name}.{extension}", ContentFile(wire_photo.image_bytes), save=False
        )
    newsroom.save_photo(photo)
    article.lead_photo = photo


def same_image(photo: Photo, data: bytes) -> bool:
    if not photo.image:
        return False
    try:
        with photo.image.open("rb") as stored:
            return (
                hashlib.sha256(stored.read()).digest() == hashlib.sha256(data).digest()
            )
    except OSError:
        return False


def image_format(data: bytes) -> str:
    """Pillow's name for an image's format, or "" when the bytes are no image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format or ""
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return ""


def is_newer(
    story: WireStory, article: Article, last: WireVersion | None
) -> bool | None:
    """Whether the copy is a newer version than the one filed: by the agency's
    version numbers when both have one, else by the agency's times; None when
    neither tells (then a change in the content decides)."""
    if story.version and article.source_version:
        return story.version > article.source_version
    if story.updated_at and last is not None and last.version_created_at:
        return story.updated_at > last.version_created_at
    return None


def comparable(content: dict) -> dict:
    """The content that makes a version: its words and photos, not the times a
    feed or page happens to give (an unversioned copy fetched again may differ)."""
    return {
        name: value
        for name, value in content.items()
        if name not in {"first_published_at", "updated_at"}
    }


def is_unchanged(
    story: WireStory, article: Article, last: WireVersion | None, fields: dict
) -> bool:
    if last is not None:
        return comparable(last.content) == comparable(story.as_json())
    # Stories filed before the wire kept a history: compare with the story itself.
    photo = story.photos[0] if story.photos else None
    return all(getattr(article, name) == value for name, value in fields.items()) and (
        photo is None
        or (
            article.lead_photo is not None
            and (article.lead_photo.credit, article.lead_photo.caption)
            == (plain(photo.credit), plain(photo.caption))
            and not photo.image_bytes
        )
    )


def ingest_wire_item(
    story: WireStory,
    *,
    actor=None,
    publish: bool = True,
    section: Section | None = None,
    feed: WireFeed | None = None,
    origin: str = "",
) -> IngestResult:
    """File a story from the wire, or update the one filed from the same item.

    A new story is published (at the agency's time, or its embargo's end) when
    `publish` is true, else it waits in the Wire queue as a draft. `section`
    overrides the section the copy names.
    """
    try:
        return _ingest(
            story,
            actor=actor,
            publish=publish,
            section=section,
            feed=feed,
            origin=origin,
        )
    except IntegrityError:
        # Another worker filed the same item a moment ago: this copy updates it.
        return _ingest(
            story,
            actor=actor,
            publish=publish,
            section=section,
            feed=feed,
            origin=origin,
        )


@transaction.atomic
def _ingest(
    story: WireStory,
    *,
    actor,
    publish: bool,
    section: Section | None,
    feed: WireFeed | None,
    origin: str,
) -> IngestResult:
    if not story.wire_id.strip():
        raise ParseError("the story has no wire id")
    if not plain(story.headline):
        raise ParseError("the story has no headline")
    if not clean_article_html(story.body_html):
        raise ParseError("the story has no text")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("lead_photo")
        .filter(source=story.provider, source_id=story.wire_id)
        # Spelled out so that the database uses the partial unique index.
        .exclude(source_id="")
        .first()
    )
    fields = story_fields(story)
    wire_section = section or section_named(story.section)
    if article is not None:
        last = article.wire_versions.order_by("-received_at", "-pk").first()
        newer = is_newer(story, article, last)
        if newer is False or (
            newer is None and is_unchanged(story, article, last, fields)
        ):
            return IngestResult(article, Outcome.SKIPPED)
        # What an editor changed differs from what the wire last sent: keep it.
        if last is not None:
            if article.headline != last.headline:
                del fields["headline"]
            if article.subhead != last.subhead:
                del fields["subhead"]
            if article.section_id == last.section_id:
                article.section = wire_section
        outcome = Outcome.UPDATED
    else:
        article = Article(
            source=story.provider,
            source_id=story.wire_id,
            section=wire_section,
            status=Article.Status.DRAFT,
        )
        outcome = Outcome.IMPORTED
    for name, value in fields.items():
        setattr(article, name, value)
    article.source_version = story.version
    attach_photo(article, story)
    if outcome is Outcome.IMPORTED and publish:
        embargo = story.embargoed_until
        if embargo and embargo > timezone.now():
            article.status = Article.Status.SCHEDULED
            article.published_at = embargo
        else:
            article.status = Article.Status.PUBLISHED
            article.published_at = story.first_published_at or timezone.now()
    try:
        newsroom.save_article(article)
    except ValidationError as error:
        raise ParseError(f"the story does not fit the newsroom: {error}") from None
    if story.updated_at and outcome is Outcome.UPDATED:
        Article.objects.filter(pk=article.pk).update(updated_at=story.updated_at)
    record_version(
        article, story, section=wire_section, feed=feed, origin=origin, fields=fields
    )
    logger.info(
        "wire.item.%s provider=%s id=%s version=%s article=%s",
        outcome,
        story.provider,
        story.wire_id,
        story.version,
        article.pk,
    )
    return IngestResult(article, outcome)


def record_version(
    article: Article,
    story: WireStory,
    *,
    section: Section,
    feed: WireFeed | None,
    origin: str,
    fields: dict,
) -> WireVersion:
    """Keep the version received in the story's wire history."""
    return WireVersion.objects.create(
        article=article,
        provider=story.provider,
        wire_id=story.wire_id,
        version=story.version,
        version_created_at=story.updated_at,
        headline=plain(story.headline)[:300],
        subhead=plain(story.subhead)[:500],
        section=section,
        content=story.as_json(),
        origin=origin[:1000],
        feed=feed,
    )
