"""Every write to Today's Paper.

An edition is a day's paper. Editors arrange one in the back office by placing
stories on its pages (1 is the front); a day nobody arranged is made of its
published stories. `build_edition` sets the day in type and files its PDF: the
daily task does it at GAZETTE_EDITION_BUILD_HOUR, `gazette edition build` on
demand. Once an edition exists, any change to a story in it (an edit, a
correction, publishing or unpublishing, a new place in the plan) queues a
rebuild GAZETTE_EDITION_REBUILD_DELAY_SECONDS later, one for a burst of changes;
a story scheduled for later that day is rebuilt in once readers can see it.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from gazette.edition import layout, local_files, selectors
from gazette.edition.models import Edition, EditionStory
from gazette.newsroom.models import Article, Photo
from gazette.newsroom.selectors import paper_day
from gazette.newsroom.templatetags.newsroom import masthead_date
from gazette.weather import selectors as weather

logger = logging.getLogger("gazette.edition")

# What `build_edition` reports as it goes; `gazette edition build` shows them.
BUILD_STAGES = (
    "choosing the stories",
    "setting the pages",
    "printing the PDF",
    "filing the PDF",
)


class NothingToPrint(Exception):
    """The day has no paper to print: no stories, or the day has not come."""


def can_arrange(user) -> bool:
    """Whether a staff member may arrange a day's paper (editors may)."""
    return user is not None and user.has_perm("edition.change_edition")


def ensure_can_arrange(actor) -> None:
    """Refuse anyone but an editor; None is the system (tasks, commands)."""
    if actor is not None and not can_arrange(actor):
        raise PermissionDenied("Only an editor can arrange the day's paper.")


# Arranging the paper ---------------------------------------------------------


@transaction.atomic
def save_edition(edition: Edition, *, actor=None) -> Edition:
    """Open a day's paper for editors to arrange, or change its day."""
    ensure_can_arrange(actor)
    edition.full_clean()
    edition.save()
    logger.info(
        "edition.saved date=%s actor=%s", edition.date, getattr(actor, "pk", None)
    )
    request_rebuild(edition)
    return edition


@transaction.atomic
def place_story(placement: EditionStory, *, actor=None) -> EditionStory:
    """Put a story in the day's paper, on a page and at a rank, or move it."""
    ensure_can_arrange(actor)
    placement.full_clean()
    placement.save()
    logger.info(
        "edition.story.placed date=%s article=%s page=%s rank=%s actor=%s",
        placement.edition.date,
        placement.article_id,
        placement.page,
        placement.rank,
        getattr(actor, "pk", None),
    )
    request_rebuild(placement.edition)
    return placement


@transaction.atomic
def remove_story(placement: EditionStory, *, actor=None) -> Edition:
    """Take a story out of the day's paper."""
    ensure_can_arrange(actor)
    edition = placement.edition
    placement.delete()
    logger.info(
        "edition.story.removed date=%s article=%s actor=%s",
        edition.date,
        placement.article_id,
        getattr(actor, "pk", None),
    )
    request_rebuild(edition)
    return edition


@transaction.atomic
def discard_edition(edition: Edition, *, actor=None) -> None:
    """Remove a day's edition and, after the commit, its PDF; a day with stories
    still has its uncurated paper on the web."""
    if actor is not None and not actor.has_perm("edition.delete_edition"):
        raise PermissionDenied("Only an administrator can remove an edition.")
    pdf_name_kept, storage = edition.pdf.name, edition.pdf.storage
    logger.info(
        "edition.discarded date=%s actor=%s", edition.date, getattr(actor, "pk", None)
    )
    edition.delete()
    if pdf_name_kept:
        transaction.on_commit(lambda: storage.delete(pdf_name_kept))


# Rebuilding when stories change ----------------------------------------------


def request_rebuild(edition: Edition, *, not_before: datetime | None = None) -> bool:
    """Queue a fresh PDF of a day's paper a little later, once for a burst of
    changes; a change readers see only later (a story scheduled for this
    afternoon) is rebuilt once they see it. Days to come wait for their own
    daily build."""
    if edition.pk is None or edition.date > paper_day():
        return False
    from gazette.edition import tasks  # tasks call services; import at call time

    now = timezone.now()
    delay = timedelta(seconds=settings.GAZETTE_EDITION_REBUILD_DELAY_SECONDS)
    edition_id = edition.pk
    if not_before is not None and not_before > now:
        later = not_before + delay
        transaction.on_commit(lambda: tasks.queue_rebuild(edition_id, run_after=later))
        return True
    due = now + delay
    # A rebuild waiting to run within the delay takes the change in too; with
    # none waiting (or one lost with a stopped worker) this queues one. A single
    # conditional UPDATE, so of concurrent changes only the first queues.
    claimed = (
        Edition.objects.filter(pk=edition.pk)
        .exclude(rebuild_due_at__gte=now, rebuild_due_at__lte=due)
        .update(rebuild_due_at=due)
    )
    if not claimed:
        return False
    transaction.on_commit(lambda: tasks.queue_rebuild(edition_id, run_after=due))
    return True


def rebuild_editions_with(
    article: Article, *, previously_published_at: datetime | None = None
) -> int:
    """Queue fresh PDFs of the editions a changed story is in, or has just left:
    those it is placed in, and the uncurated paper of the day it was (or is now)
    published. Returns how many rebuilds were queued."""
    days = {
        paper_day(moment)
        for moment in (article.published_at, previously_published_at)
        if moment is not None
    }
    placed_here = EditionStory.objects.filter(edition=OuterRef("pk"), article=article)
    any_placed = EditionStory.objects.filter(edition=OuterRef("pk"))
    editions = Edition.objects.filter(
        Q(Exists(placed_here)) | (Q(date__in=days) & ~Exists(any_placed))
    )
    scheduled = (
        article.status != Article.Status.DRAFT
        and article.published_at is not None
        and article.published_at > timezone.now()
    )
    not_before = article.published_at if scheduled else None
    return sum(request_rebuild(edition, not_before=not_before) for edition in editions)


def rebuild_editions_with_photo(photo: Photo) -> int:
    """Queue fresh PDFs of the editions whose stories lead with this photo."""
    return sum(
        rebuild_editions_with(article)
        for article in Article.objects.filter(lead_photo=photo)
    )


# Building --------------------------------------------------------------------


def weather_for(edition: Edition) -> dict:
    """The weather box for the day's front page: the stored reading if it was
    taken that day, else what the edition printed before (a rebuild of a past
    day keeps its own weather). Read from the cache; never from the service."""
    conditions = weather.current_conditions()
    if conditions is None or paper_day(conditions.observed_at) != edition.date:
        return edition.weather
    return {
        "temperature_celsius": conditions.temperature_celsius,
        "description": conditions.description,
        "observed_at": conditions.observed_at.isoformat(),
        "forecast": [
            {
                "name": period["name"],
                "temperature_celsius": period["temperature_celsius"],
                "description": period["description"],
            }
            for period in weather.upcoming_forecast()[:2]
        ],
    }


def edition_html(contents: selectors.EditionContents, *, weather_box: dict) -> str:
    """The day's paper as the HTML the printer sets: front page, then inside."""
    front = layout.front_page(contents.front)
    jumps = [story for story in front if story.jumps]
    pages = [
        {"page": page, "stories": layout.inside_page(page.articles)}
        for page in contents.inside
    ]
    return render_to_string(
        "edition/print/edition.html",
        {
            "day": contents.day,
            "publication_name": settings.GAZETTE_PUBLICATION_NAME,
            "nameplate_size": layout.nameplate_size(settings.GAZETTE_PUBLICATION_NAME),
            "edition_line": settings.GAZETTE_EDITION_LINE,
            "site_url": settings.GAZETTE_SITE_URL.rstrip("/"),
            "weather": weather_box,
            "lead": front[:1],
            "rail": [story for story in front[1:] if story.size == "rail"],
            "foot": [story for story in front[1:] if story.size == "foot"],
            "jumps": jumps,
            "pages": pages,
            "stylesheet": local_files.static_address("edition/print.css"),
        },
    )


def pdf_name(day: date) -> str:
    """A file name readers never see (they download through the edition's view);
    the random part keeps it unguessable should a web server expose the folder."""
    paper = slugify(settings.GAZETTE_PUBLICATION_NAME) or "edition"
    return f"{paper}-{day.isoformat()}-{secrets.token_hex(8)}.pdf"


def build_edition(
    day: date, *, on_stage: Callable[[str], None] | None = None
) -> Edition:
    """Set the day's paper in type and file its PDF, replacing the last one.

    Raises NothingToPrint for a day to come or a day with no stories, after
    recording why on the edition."""
    report = on_stage or (lambda stage: None)
    if day > paper_day():
        raise NothingToPrint(f"The paper for {masthead_date(day)} is not out yet.")
    edition, _ = Edition.objects.get_or_create(date=day)
    # Changes from here on queue another rebuild.
    Edition.objects.filter(pk=edition.pk).update(rebuild_due_at=None)
    report(BUILD_STAGES[0])
    contents = selectors.edition_for(day)
    if contents.is_empty:
        reason = f"No stories were published on {masthead_date(day)}: nothing to print."
        record_build_failure(edition, reason)
        raise NothingToPrint(reason)
    weather_box = weather_for(edition)
    html = edition_html(contents, weather_box=weather_box)
    report(BUILD_STAGES[1])
    from gazette.edition import typesetting  # WeasyPrint: only builds load it

    try:
        document = typesetting.lay_out(html)
        report(BUILD_STAGES[2])
        pdf = typesetting.print_pdf(document)
    except Exception as error:
        logger.exception("edition.build.failed date=%s", day)
        record_build_failure(edition, f"{type(error).__name__}: {error}")
        raise
    report(BUILD_STAGES[3])
    return file_edition(
        edition, pdf=pdf, page_count=len(document.pages), weather_box=weather_box
    )


@transaction.atomic
def file_edition(
    edition: Edition, *, pdf: bytes, page_count: int, weather_box: dict
) -> Edition:
    """Store a freshly printed PDF as the day's edition; the old file goes after
    the commit."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    previous = edition.pdf.name
    edition.pdf.save(pdf_name(edition.date), ContentFile(pdf), save=False)
    edition.status = Edition.Status.BUILT
    edition.built_at = timezone.now()
    edition.page_count = page_count
    edition.build_error = ""
    edition.weather = weather_box
    edition.save(
        update_fields=[
            "pdf",
            "status",
            "built_at",
            "page_count",
            "build_error",
            "weather",
        ]
    )
    if previous and previous != edition.pdf.name:
        storage = edition.pdf.storage
        transaction.on_commit(lambda: storage.delete(previous))
    logger.info(
        "edition.built date=%s pages=%s file=%s",
        edition.date,
        page_count,
        edition.pdf.name,
    )
    return edition


def record_build_failure(edition: Edition, reason: str) -> Edition:
    """Note why the day's paper could not be built; a PDF built before stays."""
    edition.build_error = reason
    fields = ["build_error"]
    if not edition.pdf:
        edition.status = Edition.Status.FAILED
        fields.append("status")
    edition.save(update_fields=fields)
    return edition


def summarise(edition: Edition) -> str:
    """One line for the command and the task result."""
    return (
        f"{edition}: {edition.page_count} page"
        f"{'' if edition.page_count == 1 else 's'}, built "
        f"{timezone.localtime(edition.built_at):%Y-%m-%d %H:%M %Z}"
    )
