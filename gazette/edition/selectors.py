"""Reads for Today's Paper: a day's edition on the web and in print, the archive."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from gazette.edition.models import Edition, EditionStory
from gazette.newsroom import selectors as newsroom
from gazette.newsroom.models import Article, Section

# An uncurated day's front page: the leading Top News stories, at most this many.
FRONT_PAGE_STORIES = 6


@dataclass(frozen=True)
class EditionPage:
    """An inside page as planned: its title (the sections on it) and stories."""

    title: str
    articles: list[Article]
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class EditionContents:
    """What a day's paper holds: the front page's stories (lead first) and the
    inside pages, from the editors' plan or, failing one, from the day's stories."""

    day: date
    edition: Edition | None
    is_curated: bool
    front: list[Article]
    inside: list[EditionPage]

    @property
    def articles(self) -> list[Article]:
        return [*self.front, *(a for page in self.inside for a in page.articles)]

    @property
    def is_empty(self) -> bool:
        return not self.front and not self.inside


def with_story_relations(placements: QuerySet[EditionStory]) -> QuerySet[EditionStory]:
    """Placements with their stories and what a teaser or the PDF shows of them."""
    return placements.select_related(
        "article__section", "article__lead_photo", "article__thread"
    ).prefetch_related("article__lead_photo__renditions")


def placed_stories(day: date) -> list[EditionStory]:
    """The stories editors placed in the day's edition that readers may see now,
    by page, then (inside) by section, then by rank."""
    live = Article.objects.live().filter(pk=OuterRef("article_id"))
    placements = with_story_relations(
        EditionStory.objects.filter(edition__date=day).filter(Exists(live))
    )
    return list(
        placements.order_by(
            "page",
            "-article__section__is_top_news",
            "article__section__position",
            "article__section__name",
            "rank",
            "pk",
        )
    )


def curated_contents(
    day: date, edition: Edition | None, placements: list[EditionStory]
) -> EditionContents:
    """The editors' plan: page 1 by rank is the front; each later page in turn."""
    front = sorted((p for p in placements if p.page == 1), key=lambda p: p.rank)
    pages: dict[int, list[Article]] = {}
    for placement in placements:
        if placement.page > 1:
            pages.setdefault(placement.page, []).append(placement.article)
    inside = []
    for articles in pages.values():
        sections = list({a.section_id: a.section for a in articles}.values())
        inside.append(
            EditionPage(
                title=" · ".join(section.name for section in sections),
                articles=articles,
                sections=sections,
            )
        )
    return EditionContents(
        day=day,
        edition=edition,
        is_curated=True,
        front=[placement.article for placement in front],
        inside=inside,
    )


def day_contents(day: date, edition: Edition | None) -> EditionContents:
    """An uncurated day: its published stories by section and rank, the leading
    Top News stories (else each section's lead) on the front page."""
    blocks = newsroom.stories_of_the_day(day)
    if not blocks:
        return EditionContents(day, edition, is_curated=False, front=[], inside=[])
    if blocks[0].section.is_top_news:
        front = blocks[0].articles[:FRONT_PAGE_STORIES]
    else:
        front = [block.articles[0] for block in blocks][:FRONT_PAGE_STORIES]
    on_front = {article.pk for article in front}
    inside = []
    for block in blocks:
        rest = [article for article in block.articles if article.pk not in on_front]
        if rest:
            inside.append(
                EditionPage(
                    title=block.section.name, articles=rest, sections=[block.section]
                )
            )
    return EditionContents(day, edition, is_curated=False, front=front, inside=inside)


def edition_for(day: date) -> EditionContents:
    """The day's paper: what editors placed in it, or else the day's stories."""
    edition = Edition.objects.filter(date=day).first()
    placements = placed_stories(day)
    if placements:
        return curated_contents(day, edition, placements)
    return day_contents(day, edition)


def edition_for_reader(day: date) -> EditionContents:
    """A day's paper a reader asked for by date: 404 for days to come and for
    days with nothing in them."""
    if day > newsroom.paper_day():
        raise Http404("That day's paper is not out yet.")
    contents = edition_for(day)
    if contents.is_empty:
        raise Http404("There is no paper for that day.")
    return contents


def latest_curated_day(until: date) -> date | None:
    """The latest day up to `until` whose edition holds a story readers may see."""
    live = Article.objects.live().filter(edition_stories__edition=OuterRef("pk"))
    return (
        Edition.objects.filter(date__lte=until)
        .filter(Exists(live))
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def latest_edition_day() -> date | None:
    """The most recent day with a paper: stories published, or placed by editors."""
    days = [
        day
        for day in (
            newsroom.latest_edition_day(),
            latest_curated_day(newsroom.paper_day()),
        )
        if day is not None
    ]
    return max(days, default=None)


def edition_days() -> list[date]:
    """Every day with a paper, newest first, for the archive."""
    zone = timezone.get_current_timezone()
    published = set(
        Article.objects.live()
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    live = Article.objects.live().filter(edition_stories__edition=OuterRef("pk"))
    curated = set(
        Edition.objects.filter(date__lte=newsroom.paper_day())
        .filter(Exists(live))
        .values_list("date", flat=True)
    )
    return sorted(published | curated, reverse=True)


@dataclass(frozen=True)
class ArchiveEntry:
    """A day in the archive, with its edition when its PDF can be downloaded."""

    day: date
    edition: Edition | None


def archive_entries(days: list[date]) -> list[ArchiveEntry]:
    """These days for the archive page, each with its built edition if any."""
    built = {}
    if days:
        built = {
            edition.date: edition
            for edition in Edition.objects.filter(
                date__in=days, status=Edition.Status.BUILT
            ).exclude(pdf="")
        }
    return [ArchiveEntry(day=day, edition=built.get(day)) for day in days]


def edition_with_pdf(day: date) -> Edition:
    """The day's edition if its PDF is built, else 404."""
    edition = (
        Edition.objects.filter(date=day, status=Edition.Status.BUILT)
        .exclude(pdf="")
        .first()
    )
    if edition is None:
        raise Http404("That day's print edition has not been built.")
    return edition
