import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gazette.newsroom.models import Article
from gazette.newsroom.services import (
    correct_article,
    schedule_article,
    unpublish_article,
)
from gazette.testing import (
    image_upload,
    make_article,
    make_photo,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db

CREDIT = "ARTYOM GEODAKYAN, SPUTNIK, KREMLIN POOL PHOTO VIA ASSOCIATED PRESS"
CAPTION = "Russian President Vladimir Putin greets North Korean Foreign Minister."


def text_of(response) -> str:
    """The page as a reader reads it: tags dropped, entities decoded, spaces joined."""
    without_tags = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def small_photo(**changes):
    """A photo small enough that its renditions are quick to make."""
    return make_photo(with_image=False, image=image_upload(500, 300), **changes)


def moscow_story(**changes) -> Article:
    fields = {
        "headline": "Russia hosts North Korea’s top diplomat for talks on ties",
        "dateline": "MOSCOW",
        "body": "<p>Russian President Vladimir Putin hosted talks.</p><p>More.</p>",
        "lead_photo": small_photo(credit=CREDIT, caption=CAPTION),
    }
    fields.update(changes)
    return make_article(**fields)


def test_article_page_reads_like_the_printed_page(client):
    article = moscow_story(wire_source="Associated Press")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    today = timezone.localdate()
    assert f"{today:%A}, {today:%B} {today.day}, {today.year}" in text
    assert "Honolulu Star-Advertiser" in text
    assert "Today’s Paper" in text
    assert "Top News" in text
    assert "Russia hosts North Korea’s top diplomat for talks on ties" in text
    assert CREDIT in text
    assert CAPTION in text
    assert "MOSCOW >> Russian President Vladimir Putin hosted talks." in text
    page = response.content.decode()
    assert '<p class="story__wire">Associated Press</p>' in page


def test_article_page_sets_the_dateline_apart(client):
    article = moscow_story()
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<p><span class="dateline">MOSCOW &gt;&gt;</span> Russian President' in page


def test_masthead_links_to_todays_paper(client):
    page = client.get(moscow_story().get_absolute_url()).content.decode()
    assert '<a class="masthead__paper" href="/todays-paper/">Today’s Paper</a>' in page


def test_masthead_shows_no_temperature_placeholder(client):
    text = text_of(client.get(moscow_story().get_absolute_url()))
    assert "°" not in text
    assert "{{" not in text
    assert "{%" not in text


def test_article_page_without_wire_source_credits_no_agency(client):
    article = moscow_story(lead_photo=None)
    response = client.get(article.get_absolute_url())
    assert "Associated Press" not in text_of(response)
    assert 'class="story__wire"' not in response.content.decode()


def test_article_page_carries_the_comment_policy_and_its_links(client):
    response = client.get(moscow_story().get_absolute_url())
    text = text_of(response)
    assert (
        "By participating in online discussions you acknowledge that you have agreed "
        "to the Terms of Service." in text
    )
    assert "comments must be civil and in good taste, with no personal attacks" in text
    assert "Having trouble with comments? Learn more here." in text
    page = response.content.decode()
    policy = page[page.index('class="comment-policy"') :]
    for link in ("/about/terms/", "/about/guidelines/", "/about/help/"):
        assert f'href="{link}"' in policy


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/about/terms/", "Terms of Service"),
        ("/about/guidelines/", "Community guidelines"),
        ("/about/help/", "Help with comments"),
    ],
)
def test_comment_policy_pages_are_there(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_missing_story_is_a_plain_not_found_page(client):
    response = client.get("/story/no-such-story/")
    assert response.status_code == 404
    text = text_of(response)
    assert "We can’t find that page" in text
    assert "Honolulu Star-Advertiser" in text
    assert "Traceback" not in text
    assert "Http404" not in text
    assert "No such story" not in text


def test_missing_section_is_not_found(client):
    assert client.get("/section/no-such-section/").status_code == 404


def test_draft_unpublished_and_scheduled_stories_are_not_found(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    unpublished = make_article()
    unpublish_article(unpublished, actor=editor)
    later = make_article(status=Article.Status.DRAFT)
    schedule_article(later, actor=editor, at=timezone.now() + timedelta(hours=1))
    for article in (draft, unpublished, later):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_updated_story_shows_both_times(client, editor):
    article = moscow_story(published_at=timezone.now() - timedelta(hours=3))
    correct_article(article, actor=editor, text="An earlier version misspelled Choe.")
    text = text_of(client.get(article.get_absolute_url()))
    assert re.search(r"Published \w+\.? \d+, \d{4}, .+ HST Updated ", text)


def test_section_front_lists_its_stories(client):
    section = make_section(name="Sports")
    make_article(section=section, headline="Rainbow Warriors win")
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "Rainbow Warriors win" in text_of(response)


@pytest.mark.parametrize(
    ("page_number", "shown"),
    [(1, ["Story 5", "Story 4"]), (2, ["Story 3", "Story 2"]), (3, ["Story 1"])],
)
def test_section_front_pages_through_its_stories(client, settings, page_number, shown):
    settings.GAZETTE_SECTION_PAGE_SIZE = 2
    section = make_section(name="Sports")
    for number in range(1, 6):
        make_article(
            section=section,
            headline=f"Story {number}",
            published_at=timezone.now() - timedelta(hours=10 - number),
        )
    response = client.get(section.get_absolute_url(), {"page": page_number})
    assert response.status_code == 200
    text = text_of(response)
    assert [
        f"Story {number}" for number in range(5, 0, -1) if f"Story {number}" in text
    ] == shown
    assert f"Page {page_number} of 3" in text


def test_section_front_past_its_last_page_is_not_found(client, settings):
    settings.GAZETTE_SECTION_PAGE_SIZE = 2
    section = make_section()
    make_article(section=section)
    assert client.get(section.get_absolute_url(), {"page": 2}).status_code == 404


def test_home_front_leads_with_top_news(client):
    sports = make_section(name="Sports")
    make_article(section=sports, headline="Rainbow Warriors win")
    make_article(headline="Summit ends")
    text = text_of(client.get("/"))
    assert text.index("Summit ends") < text.index("Rainbow Warriors win")


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_newsroom_previews_a_draft_with_a_banner(request, client, reporter, role):
    article = make_article(
        status=Article.Status.DRAFT, headline="Harbor deal near", created_by=reporter
    )
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Preview: this story is draft and readers cannot see it." in text
    assert "Harbor deal near" in text
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_reporter_cannot_preview_another_reporters_draft(client, reporter):
    article = make_article(
        status=Article.Status.DRAFT,
        headline="Harbor deal near",
        created_by=make_staff("Reporter"),
    )
    client.force_login(reporter)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code in (403, 404)
    assert "Harbor deal near" not in response.content.decode()


def test_anonymous_reader_cannot_preview_a_draft(client):
    article = make_article(status=Article.Status.DRAFT, headline="Harbor deal near")
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/newsroom/login/")
    assert "Harbor deal near" not in response.content.decode()


def test_preview_of_a_scheduled_story_names_its_time(client, editor):
    article = make_article(status=Article.Status.DRAFT)
    schedule_article(article, actor=editor, at=timezone.now() + timedelta(days=2))
    client.force_login(editor)
    text = text_of(client.get(f"/preview/{article.pk}/"))
    assert re.search(r"Preview: this story is scheduled for .+ HST and readers", text)


def test_preview_of_a_live_story_sends_the_editor_to_the_story(client, editor):
    article = make_article()
    client.force_login(editor)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_article_page_query_count(client, django_assert_num_queries):
    article = moscow_story()
    with django_assert_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_home_front_query_count(client, django_assert_num_queries):
    moscow_story()
    make_article(section=make_section(), lead_photo=small_photo())
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200


def test_section_front_query_count(client, django_assert_num_queries):
    section = make_section()
    for _ in range(3):
        make_article(section=section, lead_photo=small_photo())
    with django_assert_num_queries(5):
        response = client.get(section.get_absolute_url())
    assert response.status_code == 200


def fill_front(sections: int) -> None:
    for _ in range(sections):
        section = make_section()
        for _ in range(3):
            make_article(section=section, lead_photo=small_photo())


def home_front_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_front_query_count_does_not_grow_with_sections(client):
    moscow_story()
    fill_front(sections=1)
    with_two_sections = home_front_queries(client)
    fill_front(sections=4)
    with_six_sections = home_front_queries(client)
    page = client.get("/").content.decode()
    assert len(re.findall(r'<section class="front-block', page)) == 6
    assert with_six_sections == with_two_sections
