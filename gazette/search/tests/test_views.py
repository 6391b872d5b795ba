import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gazette.search.selectors import search_stories
from gazette.testing import make_photo, make_section

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def text_of(response) -> str:
    without_tags = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def test_results_show_highlighted_headlines_and_links(client, filed):
    article = filed(headline="Volcano erupts", body="<p>Lava reached the road.</p>")
    response = client.get(SEARCH, {"q": "lava"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>Lava</mark> reached the road" in page
    assert article.get_absolute_url() in page
    assert "1 story found" in text_of(response)


def test_the_search_page_opens_with_an_empty_form(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "found" not in text_of(response)


def test_a_query_with_no_match_says_nothing_was_found(client, filed):
    filed(headline="Volcano erupts")
    response = client.get(SEARCH, {"q": "snowfall"})
    assert "Nothing found for “snowfall”" in text_of(response)


HOSTILE_QUERIES = [
    '"volcano',
    'volcano"',
    '""',
    "volcano AND",
    "OR volcano",
    "NOT",
    "NEAR(volcano lava)",
    "volcano*",
    "*",
    "((volcano",
    "volcano))",
    "-volcano",
    "volcano:lava",
    "headline:volcano",
    "^volcano",
    "'; DROP TABLE newsroom_article; --",
    "%_%",
    "\\",
    "!@#$%^&*()",
    "🌋🌋🌋",
    "volcano\x00lava",
    "v" * 10_000,
    "volcano " * 2_000,
]


@pytest.mark.parametrize("typed", HOSTILE_QUERIES)
def test_any_query_gets_a_page_never_an_error(client, filed, typed):
    filed(headline="Volcano erupts", body="<p>Lava reached the road.</p>")
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 200
    text = text_of(response)
    assert "found" in text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "volcano", "page": "999"},
        {"q": "volcano", "page": "last"},
        {"q": "volcano", "page": "-1"},
        {"q": "volcano", "from": "not a date", "to": "2024-02-31"},
        {"q": "volcano", "section": "no-such-section"},
    ],
)
def test_odd_addresses_still_get_a_page(client, filed, params):
    filed(headline="Volcano erupts")
    assert client.get(SEARCH, params).status_code == 200


def test_filters_by_section_and_dates(client, filed):
    sports = make_section(name="Sports", slug="sports")
    filed(headline="Surf contest moved", section=sports)
    filed(
        headline="Surf warning issued",
        published_at=timezone.now() - timedelta(days=30),
    )
    by_section = text_of(client.get(SEARCH, {"q": "surf", "section": "sports"}))
    assert "Surf contest moved" in by_section
    assert "Surf warning issued" not in by_section
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    by_date = text_of(client.get(SEARCH, {"q": "surf", "from": last_week}))
    assert "Surf contest moved" in by_date
    assert "Surf warning issued" not in by_date


def test_results_come_a_page_at_a_time(client, filed, settings):
    settings.GAZETTE_SEARCH_PAGE_SIZE = 2
    for number in range(5):
        filed(
            headline=f"Tide report {number}",
            published_at=timezone.now() - timedelta(hours=number + 1),
        )
    first = client.get(SEARCH, {"q": "tide", "section": ""})
    assert "Page 1 of 3" in text_of(first)
    assert "5 stories found" in text_of(first)
    assert 'href="?q=tide&amp;section=&amp;page=2"' in first.content.decode()
    last = client.get(SEARCH, {"q": "tide", "page": 3})
    assert "Tide report 4" in text_of(last)
    assert text_of(last).count("Tide report") == 1


def test_the_results_page_query_count_does_not_grow_with_the_hits(
    client, filed, django_assert_max_num_queries
):
    filed(headline="Tide report first")
    with CaptureQueriesContext(connection) as one_hit:
        client.get(SEARCH, {"q": "tide"})
    for number in range(6):
        filed(headline=f"Tide report {number}")
    with django_assert_max_num_queries(len(one_hit)):
        response = client.get(SEARCH, {"q": "tide"})
    assert text_of(response).count("Tide report") == 7


def test_a_page_of_hits_takes_four_queries(filed, django_assert_num_queries):
    for number in range(6):
        photo = make_photo(with_image=False, image_url="https://images.example/a.jpg")
        filed(headline=f"Tide report {number}", lead_photo=photo)
    # The count, the page of hits, the stories, their photos' renditions.
    with django_assert_num_queries(4):
        results = search_stories("tide")
        assert results.count() == 6
        assert len(results[0:10]) == 6


def test_the_footer_links_to_search(client, filed):
    response = client.get(reverse("newsroom:home"))
    assert f'href="{SEARCH}"' in response.content.decode()
