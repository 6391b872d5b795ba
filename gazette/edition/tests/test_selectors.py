from datetime import timedelta

import pytest

from gazette.edition.models import Edition, EditionStory
from gazette.edition.selectors import (
    FRONT_PAGE_STORIES,
    edition_days,
    edition_for,
    latest_edition_day,
)
from gazette.edition.tests.conftest import FRIDAY, story
from gazette.newsroom.models import Article
from gazette.testing import make_section

pytestmark = pytest.mark.django_db


def headlines(articles) -> list[str]:
    return [article.headline for article in articles]


def place(edition, article, *, page=1, rank=1):
    return EditionStory.objects.create(
        edition=edition, article=article, page=page, rank=rank
    )


def test_an_uncurated_day_leads_with_top_news_then_each_section(fridays_paper):
    contents = edition_for(FRIDAY)
    assert not contents.is_curated
    # The editors' front rank first, then the newest.
    assert headlines(contents.front) == [
        "Harbor dredging to begin after two-year delay",
        "Council passes rail budget",
        "School farms feed cafeterias",
    ]
    assert [(page.title, headlines(page.articles)) for page in contents.inside] == [
        (
            "Sports",
            ["Canoe clubs gather for regatta", "Rainbow Wahine win in five sets"],
        ),
        ("Business", ["Visitor spending edges up"]),
    ]
    assert "Thursday's story" not in headlines(contents.articles)


def test_an_uncurated_front_page_holds_at_most_six_top_stories(friday):
    for number in range(FRONT_PAGE_STORIES + 2):
        story(f"Top story {number}", hour=6, minute=number)
    contents = edition_for(FRIDAY)
    assert len(contents.front) == FRONT_PAGE_STORIES
    [rest] = contents.inside
    assert rest.title == "Top News"
    assert headlines(rest.articles) == ["Top story 1", "Top story 0"]


def test_a_day_without_top_news_fronts_each_sections_lead(friday):
    sports = make_section(name="Sports", position=2)
    business = make_section(name="Business", position=3)
    story("Game one", section=sports, hour=7)
    story("Game two", section=sports, hour=8)
    story("Markets", section=business)
    contents = edition_for(FRIDAY)
    assert headlines(contents.front) == ["Game two", "Markets"]
    assert [(page.title, headlines(page.articles)) for page in contents.inside] == [
        ("Sports", ["Game one"])
    ]


def test_a_day_is_chosen_by_the_day_in_honolulu(friday):
    # 00:05 on Friday in Honolulu is 10:05 on Friday in UTC; 23:55 on Thursday
    # is 09:55 on Friday in UTC, but Thursday's paper.
    story("Just after midnight", hour=0, minute=5)
    story("Thursday night", day=FRIDAY - timedelta(days=1), hour=23, minute=55)
    assert headlines(edition_for(FRIDAY).articles) == ["Just after midnight"]


def test_a_curated_day_follows_the_editors_pages_and_ranks(fridays_paper):
    edition = Edition.objects.create(date=FRIDAY)
    place(edition, fridays_paper["third"], page=1, rank=1)
    place(edition, fridays_paper["sports"], page=1, rank=2)
    place(edition, fridays_paper["lead"], page=3, rank=2)
    place(edition, fridays_paper["business"], page=3, rank=1)
    place(edition, fridays_paper["thursday"], page=2, rank=1)
    contents = edition_for(FRIDAY)
    assert contents.is_curated
    assert headlines(contents.front) == [
        "School farms feed cafeterias",
        "Rainbow Wahine win in five sets",
    ]
    # Inside pages in page order; on a page, Top News before Business.
    assert [(page.title, headlines(page.articles)) for page in contents.inside] == [
        ("Top News", ["Thursday's story"]),
        (
            "Top News · Business",
            [
                "Harbor dredging to begin after two-year delay",
                "Visitor spending edges up",
            ],
        ),
    ]
    # The day's stories the editors left out are not in the paper.
    assert "Council passes rail budget" not in headlines(contents.articles)


def test_a_curated_day_leaves_out_stories_readers_cannot_see(fridays_paper):
    edition = Edition.objects.create(date=FRIDAY)
    place(edition, fridays_paper["lead"])
    draft = story("Still a draft", status=Article.Status.DRAFT)
    place(edition, draft, rank=2)
    assert headlines(edition_for(FRIDAY).front) == [
        "Harbor dredging to begin after two-year delay"
    ]


def test_an_edition_whose_stories_were_all_unpublished_falls_back(fridays_paper):
    edition = Edition.objects.create(date=FRIDAY)
    place(edition, fridays_paper["lead"])
    Article.objects.filter(pk=fridays_paper["lead"].pk).update(
        status=Article.Status.DRAFT
    )
    contents = edition_for(FRIDAY)
    assert not contents.is_curated
    assert headlines(contents.front)[0] == "Council passes rail budget"


def test_the_archive_lists_days_with_stories_or_a_curated_paper(friday):
    story("Friday", hour=0, minute=5)
    story("Thursday night", day=FRIDAY - timedelta(days=1), hour=23, minute=55)
    story("Tuesday", day=FRIDAY - timedelta(days=3))
    story("Draft", day=FRIDAY - timedelta(days=5), status=Article.Status.DRAFT)
    wednesday = Edition.objects.create(date=FRIDAY - timedelta(days=2))
    place(wednesday, story("Filed Tuesday too", day=FRIDAY - timedelta(days=3)))
    Edition.objects.create(date=FRIDAY - timedelta(days=4))
    assert edition_days() == [
        FRIDAY,
        FRIDAY - timedelta(days=1),
        FRIDAY - timedelta(days=2),
        FRIDAY - timedelta(days=3),
    ]


def test_the_latest_paper_counts_a_curated_day(friday):
    assert latest_edition_day() is None
    story("Tuesday", day=FRIDAY - timedelta(days=3))
    assert latest_edition_day() == FRIDAY - timedelta(days=3)
    thursday = Edition.objects.create(date=FRIDAY - timedelta(days=1))
    place(thursday, Article.objects.get())
    assert latest_edition_day() == FRIDAY - timedelta(days=1)


def test_a_story_scheduled_for_later_today_is_not_in_the_paper_yet(friday):
    story("Noon story", hour=12, status=Article.Status.SCHEDULED)
    assert edition_for(FRIDAY).is_empty
