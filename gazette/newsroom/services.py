"""Every write to the newsroom's data.

A story is born a draft (a reporter's or a wire's). An editor publishes it now or
schedules it for a time; readers see a scheduled story from that time on, with no
job needed to flip it. Unpublishing returns it to draft. Corrections are appended,
dated, and move the story's updated time. Photos get their renditions here. Every
change to a story or its photo queues a rebuild of the print editions it is in.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from gazette.edition.services import rebuild_editions_with, rebuild_editions_with_photo
from gazette.newsroom import renditions
from gazette.newsroom.html import clean_article_html
from gazette.newsroom.models import Article, Correction, Page, Photo, Rendition
from gazette.search.services import index_article

logger = logging.getLogger("gazette.newsroom")

EDITORIAL_FIELDS = ("headline", "subhead", "dateline", "body", "byline", "lead_photo")


def unique_slug(headline: str, *, instance: Article | None = None) -> str:
    """A URL slug from the headline, numbered when another story already has it."""
    base = slugify(headline)[:100].strip("-") or "story"
    others = Article.objects.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    # An exact lookup uses the slug's index; a prefix (LIKE) scan, which SQLite
    # cannot serve from that index, is needed only when the slug is taken.
    if not others.filter(slug=base).exists():
        return base
    taken_slugs = set(
        others.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken_slugs:
        slug = f"{base}-{number}"
        number += 1
    return slug


def can_publish(user) -> bool:
    return user is not None and user.has_perm("newsroom.publish_article")


def can_preview(user, article: Article) -> bool:
    """Editors preview any story; a reporter previews the stories they filed."""
    if not user.has_perm("newsroom.view_article"):
        return False
    return can_publish(user) or article.created_by_id == user.pk


def ensure_can_publish(actor) -> None:
    if actor is not None and not can_publish(actor):
        raise PermissionDenied("Only an editor can publish, schedule or unpublish.")


@transaction.atomic
def save_article(article: Article, *, actor=None) -> Article:
    """File a story or an editor's change to it, cleaning its HTML on the way in.

    A change readers would notice (headline, text, photo) to a live story moves its
    updated time; a reporter's save never changes whether the story is published.
    """
    article.body = clean_article_html(article.body)
    if not article.slug:
        article.slug = unique_slug(article.headline, instance=article)
    previously_published_at = None
    if article.pk:
        stored = Article.objects.select_for_update().get(pk=article.pk)
        previously_published_at = stored.published_at
        if (stored.status, stored.published_at) != (
            article.status,
            article.published_at,
        ):
            ensure_can_publish(actor)
        changed = any(
            getattr(stored, field) != getattr(article, field)
            for field in EDITORIAL_FIELDS
        )
        if changed and stored.is_live:
            article.updated_at = timezone.now()
    else:
        if article.status != Article.Status.DRAFT:
            ensure_can_publish(actor)
        if actor is not None and article.created_by_id is None:
            article.created_by = actor
    if article.status != Article.Status.DRAFT and article.published_at is None:
        article.published_at = timezone.now()
    article.full_clean()
    article.save()
    index_article(article)
    rebuild_editions_with(article, previously_published_at=previously_published_at)
    return article


@transaction.atomic
def publish_article(article: Article, *, actor=None) -> Article:
    """Put a story in front of readers now (keeping its first publication time)."""
    ensure_can_publish(actor)
    now = timezone.now()
    previously_published_at = article.published_at
    article.status = Article.Status.PUBLISHED
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.save(update_fields=["status", "published_at", "modified_at"])
    index_article(article)
    rebuild_editions_with(article, previously_published_at=previously_published_at)
    logger.info("newsroom.article.published article=%s actor=%s", article.pk, actor)
    return article


@transaction.atomic
def schedule_article(article: Article, *, actor=None, at: datetime) -> Article:
    """Hold a story until a time; readers see it from then on."""
    ensure_can_publish(actor)
    if at <= timezone.now():
        raise ValidationError("A scheduled time must be in the future.")
    previously_published_at = article.published_at
    article.status = Article.Status.SCHEDULED
    article.published_at = at
    article.save(update_fields=["status", "published_at", "modified_at"])
    index_article(article)
    rebuild_editions_with(article, previously_published_at=previously_published_at)
    logger.info("newsroom.article.scheduled article=%s at=%s", article.pk, at)
    return article


@transaction.atomic
def unpublish_article(article: Article, *, actor=None) -> Article:
    """Take a story away from readers; it becomes a draft again."""
    ensure_can_publish(actor)
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified_at"])
    index_article(article)
    rebuild_editions_with(article)
    logger.info("newsroom.article.unpublished article=%s actor=%s", article.pk, actor)
    return article


@transaction.atomic
def correct_article(article: Article, *, actor=None, text: str) -> Correction:
    """Append a dated correction to a story and mark the story updated."""
    if actor is not None and not actor.has_perm("newsroom.add_correction"):
        raise PermissionDenied("Only an editor can correct a story.")
    text = text.strip()
    if not text:
        raise ValidationError("A correction needs its text.")
    correction = Correction(article=article, text=text, created_by=actor)
    correction.full_clean()
    correction.save()
    article.updated_at = correction.published_at
    article.save(update_fields=["updated_at", "modified_at"])
    index_article(article)
    rebuild_editions_with(article)
    return correction


@transaction.atomic
def save_photo(photo: Photo, *, actor=None) -> Photo:
    """Store a photo and make its renditions for every screen size."""
    previous = (
        Photo.objects.filter(pk=photo.pk).values_list("image", flat=True).first()
        if photo.pk
        else None
    )
    photo.full_clean()
    photo.save()
    if photo.image.name != previous or (photo.image and not photo.renditions.exists()):
        make_renditions(photo)
    if previous is not None:
        rebuild_editions_with_photo(photo)
    return photo


def make_renditions(photo: Photo) -> list[Rendition]:
    """Replace a photo's renditions with fresh ones made from its original."""
    for old in photo.renditions.all():
        old.file.delete(save=False)
        old.delete()
    if not photo.image:
        return []
    stem = slugify(photo.alt_text or photo.caption or "photo")[:40] or "photo"
    photo.image.open("rb")
    try:
        rendered = renditions.render(photo.image.file, stem=stem)
    finally:
        photo.image.close()
    created = []
    for image in rendered:
        rendition = Rendition(
            photo=photo, width=image.width, height=image.height, format=image.format
        )
        rendition.file.save(image.name, ContentFile(image.content), save=False)
        rendition.save()
        created.append(rendition)
    return created


@transaction.atomic
def revise_page(page: Page, *, actor=None, is_minor_fix: bool = False) -> Page:
    """Publish a new version of a standing page (terms, guidelines, help).

    A minor fix (a typo, a broken link) keeps the version number, so readers who
    accepted it are not asked again; a new version of a page that requires
    acceptance stops each reader commenting until they accept it.
    """
    page.body = clean_article_html(page.body)
    if page.pk:
        stored = Page.objects.select_for_update().get(pk=page.pk)
        page.version = stored.version if is_minor_fix else stored.version + 1
    page.updated_at = timezone.now()
    page.full_clean()
    page.save()
    logger.info(
        "newsroom.page.%s page=%s version=%s actor=%s",
        "fixed" if is_minor_fix else "revised",
        page.slug,
        page.version,
        getattr(actor, "pk", None),
    )
    return page
