from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from gazette.newsroom.models import Article, Section
from gazette.newsroom.selectors import (
    article_for_reader,
    home_front,
    latest_edition_day,
    live_articles,
    navigation_sections,
    section_front,
    stories_of_the_day,
)
from gazette.testing import make_article, make_section

pytestmark = pytest.mark.django_db


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def headlines(articles) -> list[str]:
    return [article.headline for article in articles]


def test_readers_see_published_and_due_stories_newest_first():
    make_article(headline="Older", published_at=hours_ago(5))
    make_article(headline="Newer", published_at=hours_ago(1))
    make_article(headline="Draft", status=Article.Status.DRAFT)
    make_article(
        headline="Due", status=Article.Status.SCHEDULED, published_at=hours_ago(2)
    )
    make_article(
        headline="Tomorrow",
        status=Article.Status.SCHEDULED,
        published_at=hours_ago(-24),
    )
    assert headlines(live_articles()) == ["Newer", "Due", "Older"]


def test_article_for_reader_hides_drafts_and_future_stories():
    live = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    future = make_article(status=Article.Status.SCHEDULED, published_at=hours_ago(-1))
    assert article_for_reader(live.slug) == live
    for hidden in (draft, future):
        with pytest.raises(Http404):
            article_for_reader(hidden.slug)


def test_section_front_puts_ranked_stories_first_then_the_newest():
    section = make_section()
    make_article(section=section, headline="Old", published_at=hours_ago(9))
    make_article(section=section, headline="New", published_at=hours_ago(1))
    make_article(
        section=section, headline="Second", front_rank=2, published_at=hours_ago(8)
    )
    make_article(
        section=section, headline="Lead", front_rank=1, published_at=hours_ago(7)
    )
    make_article(headline="Elsewhere")
    assert headlines(section_front(section)) == ["Lead", "Second", "New", "Old"]


def test_home_front_leads_with_top_news_then_sections_in_order():
    sports = make_section(name="Sports", position=2)
    business = make_section(name="Business", position=1)
    make_section(name="Empty", position=0)
    make_article(section=sports, headline="Game")
    make_article(section=business, headline="Market")
    make_article(headline="Summit")
    Section.objects.filter(is_top_news=True).update(position=50)
    blocks = home_front()
    assert [block.section.name for block in blocks] == [
        "Top News",
        "Business",
        "Sports",
    ]
    assert [headlines(block.articles) for block in blocks] == [
        ["Summit"],
        ["Market"],
        ["Game"],
    ]


def test_home_front_shows_a_few_stories_per_section_and_more_top_news():
    section = make_section()
    for hour in range(5):
        make_article(
            section=section, headline=f"Local {hour}", published_at=hours_ago(hour)
        )
        make_article(headline=f"Top {hour}", published_at=hours_ago(hour))
    top, local = home_front(per_section=2)
    assert headlines(top.articles) == ["Top 0", "Top 1", "Top 2", "Top 3"]
    assert headlines(local.articles) == ["Local 0", "Local 1"]


def test_home_front_follows_the_editors_ranking():
    make_article(headline="Newest", published_at=hours_ago(1))
    make_article(headline="Chosen", front_rank=1, published_at=hours_ago(30))
    [top] = home_front()
    assert headlines(top.articles) == ["Chosen", "Newest"]


def test_home_front_leaves_out_drafts_and_future_stories():
    make_article(headline="Live")
    make_article(headline="Draft", status=Article.Status.DRAFT)
    make_article(
        headline="Later", status=Article.Status.SCHEDULED, published_at=hours_ago(-2)
    )
    [top] = home_front()
    assert headlines(top.articles) == ["Live"]


def test_a_days_stories_are_chosen_by_the_day_in_honolulu():
    # 23:30 on Dec. 13 in Honolulu is 09:30 on Dec. 14 in UTC.
    make_article(
        headline="Late", published_at=datetime(2024, 12, 14, 9, 30, tzinfo=UTC)
    )
    make_article(
        headline="Early", published_at=datetime(2024, 12, 13, 10, 5, tzinfo=UTC)
    )
    make_article(
        headline="Next", published_at=datetime(2024, 12, 14, 10, 30, tzinfo=UTC)
    )
    make_article(
        headline="Before", published_at=datetime(2024, 12, 13, 9, 0, tzinfo=UTC)
    )
    [top] = stories_of_the_day(date(2024, 12, 13))
    assert headlines(top.articles) == ["Late", "Early"]


def test_a_days_stories_are_grouped_by_section():
    sports = make_section(name="Sports")
    moment = datetime(2024, 12, 13, 20, 0, tzinfo=UTC)
    make_article(section=sports, headline="Game", published_at=moment)
    make_article(headline="Summit", published_at=moment)
    blocks = stories_of_the_day(date(2024, 12, 13))
    assert [(block.section.name, headlines(block.articles)) for block in blocks] == [
        ("Top News", ["Summit"]),
        ("Sports", ["Game"]),
    ]


def test_latest_edition_day_is_the_last_day_with_live_stories():
    assert latest_edition_day() is None
    make_article(published_at=datetime(2024, 12, 14, 9, 30, tzinfo=UTC))
    make_article(status=Article.Status.DRAFT)
    assert latest_edition_day() == date(2024, 12, 13)


def test_navigation_lists_top_news_first_then_by_position():
    make_section(name="Sports", position=2)
    make_section(name="Business", position=1)
    Section.objects.filter(is_top_news=True).update(position=99)
    assert [section.name for section in navigation_sections()] == [
        "Top News",
        "Business",
        "Sports",
    ]
