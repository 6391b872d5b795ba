"""Reads that the reader's pages, feeds and the edition share."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    F,
    Max,
    Prefetch,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils import timezone

from gazette.newsroom.models import Article, Page, Rendition, Section

FRONT_ORDER = (
    F("front_rank").asc(nulls_last=True),
    F("published_at").desc(),
    F("pk").desc(),
)


@dataclass(frozen=True)
class FrontBlock:
    section: Section
    articles: list[Article]


def with_reader_relations(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Fetch what a story's teaser or page shows in a fixed number of queries.

    The discussion's thread comes in the same join: its comment count is shown
    beside every teaser without a query per story.
    """
    return articles.select_related("section", "lead_photo", "thread").prefetch_related(
        renditions()
    )


def renditions() -> Prefetch:
    """A story's lead photo's renditions, in the order `srcset` lists them."""
    return Prefetch(
        "lead_photo__renditions",
        queryset=Rendition.objects.order_by("format", "width"),
    )


def live_articles() -> QuerySet[Article]:
    """Every story readers may see now, newest first."""
    return Article.objects.live().order_by("-published_at", "-pk")


def ranked(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Order stories as an editor ranked them, the unranked by recency after them."""
    return articles.order_by(*FRONT_ORDER)


def home_front(*, per_section: int | None = None) -> list[FrontBlock]:
    """The home front: Top News first, then each section's leading stories."""
    per_section = per_section or settings.GAZETTE_FRONT_STORIES_PER_SECTION
    leading = (
        Article.objects.live()
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("section_id")], order_by=FRONT_ORDER
            )
        )
        .filter(place__lte=per_section * 2)
    )
    articles = with_reader_relations(leading).order_by(
        "-section__is_top_news", "section__position", "section__name", "place"
    )
    blocks: dict[int, FrontBlock] = {}
    for article in articles:
        block = blocks.setdefault(
            article.section_id, FrontBlock(section=article.section, articles=[])
        )
        if article.section.is_top_news or len(block.articles) < per_section:
            block.articles.append(article)
    return list(blocks.values())


def section_front(section: Section) -> QuerySet[Article]:
    """A section's stories as its editors ranked them, for paging."""
    return with_reader_relations(ranked(Article.objects.live().filter(section=section)))


def article_for_reader(slug: str) -> Article:
    """The story at this address if readers may see it, else 404.

    Its photo's renditions are read only for a page rendered from it
    (`with_renditions`): a page kept for signed-in readers needs none.
    """
    try:
        return (
            Article.objects.live()
            .select_related("section", "lead_photo", "thread")
            .get(slug=slug)
        )
    except Article.DoesNotExist:
        raise Http404("No such story.") from None


def with_renditions(article: Article) -> Article:
    """The story with its photo's renditions read, as with_reader_relations has."""
    prefetch_related_objects([article], renditions())
    return article


def article_for_preview(pk: int) -> Article:
    """Any story, published or not, as an editor previews it."""
    try:
        return with_reader_relations(Article.objects.all()).get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such story.") from None


def navigation_sections() -> list[Section]:
    """The sections in the masthead's navigation, in their order."""
    return list(Section.objects.order_by("-is_top_news", "position", "name"))


def paper_day(moment: datetime | None = None) -> date:
    """The calendar day in the paper's own time zone."""
    return timezone.localdate(moment or timezone.now())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first and last instants of a day in the paper's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def latest_edition_day() -> date | None:
    """The most recent paper day on which stories were published."""
    newest = live_articles().values_list("published_at", flat=True).first()
    return paper_day(newest) if newest else None


def stories_of_the_day(day: date) -> list[FrontBlock]:
    """A day's published stories, grouped by section and ranked within each."""
    start, end = day_bounds(day)
    articles = with_reader_relations(
        Article.objects.live().filter(published_at__gte=start, published_at__lt=end)
    ).order_by(
        "-section__is_top_news", "section__position", "section__name", *FRONT_ORDER
    )
    blocks: dict[int, FrontBlock] = {}
    for article in articles:
        blocks.setdefault(
            article.section_id, FrontBlock(section=article.section, articles=[])
        ).articles.append(article)
    return list(blocks.values())


def page_for_reader(slug: str) -> Page:
    """A standing page (terms, guidelines, help), else 404."""
    try:
        return Page.objects.get(slug=slug)
    except Page.DoesNotExist:
        raise Http404("No such page.") from None


def feed_stories(section: Section | None = None, *, limit: int) -> list[Article]:
    """The newest stories for a feed, with their lead photos and corrections."""
    articles = live_articles()
    if section is not None:
        articles = articles.filter(section=section)
    return list(with_reader_relations(articles).prefetch_related("corrections")[:limit])


def sitemap_stories() -> QuerySet[Article]:
    """Every story readers may see, for the article sitemap, newest first."""
    return live_articles().only("slug", "published_at", "updated_at")


def latest_story_change() -> datetime | None:
    """When readers last saw a story appear or change, for the sitemap index."""
    return live_articles().aggregate(
        latest=Max(Coalesce("updated_at", "published_at"))
    )["latest"]


def news_sitemap_stories(*, days: int, limit: int = 1000) -> list[Article]:
    """Stories published in the last days, for Google News (which reads two days
    and at most 1,000 addresses a sitemap)."""
    since = timezone.now() - timedelta(days=days)
    return list(
        live_articles()
        .filter(published_at__gte=since)
        .only("slug", "headline", "published_at")[:limit]
    )
