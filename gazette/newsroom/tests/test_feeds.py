from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from gazette.newsroom.services import correct_article
from gazette.testing import image_upload, make_article, make_photo, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
CREDIT = "JANE DOE / STAFF"


def feed(client, name: str, **kwargs):
    response = client.get(reverse(f"newsroom:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def photographed(**changes):
    photo = make_photo(with_image=False, image=image_upload(500, 300), credit=CREDIT)
    return make_article(lead_photo=photo, **changes)


def test_rss_lists_stories_with_their_lead_photo_and_its_credit(client):
    article = photographed(
        headline="Harbor plan passes",
        subhead="A vote after months",
        byline="By Jo Ng and Al Poe",
    )
    [item] = feed(client, "feed_rss").iter("item")
    assert item.findtext("title") == "Harbor plan passes"
    assert item.findtext("link").endswith(article.get_absolute_url())
    assert "A vote after months" in item.findtext("description")
    assert item.findtext("pubDate")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Jo Ng, Al Poe"
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url").startswith("http://testserver/media/")
    assert int(enclosure.get("length")) > 0
    content = item.find(f"{MEDIA}content")
    assert content.get("url") == enclosure.get("url")
    assert content.findtext(f"{MEDIA}credit") == CREDIT
    assert content.findtext(f"{MEDIA}description") == "Boats in the harbor at dawn."


def test_atom_carries_the_same_story_and_photo(client):
    photographed(headline="Harbor plan passes")
    root = feed(client, "feed_atom")
    [entry] = root.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Harbor plan passes"
    links = {link.get("rel"): link for link in entry.iter(f"{ATOM}link")}
    assert links["enclosure"].get("type") == "image/jpeg"
    assert entry.find(f"{MEDIA}content").findtext(f"{MEDIA}credit") == CREDIT


def test_section_feeds_hold_only_that_sections_stories(client):
    sports = make_section(name="Sports", slug="sports")
    make_article(headline="Surf contest moved", section=sports)
    make_article(headline="Council meets")
    rss = feed(client, "section_feed_rss", slug="sports")
    assert [item.findtext("title") for item in rss.iter("item")] == [
        "Surf contest moved"
    ]
    assert rss.find("channel").findtext("title").startswith("Sports")
    atom = feed(client, "section_feed_atom", slug="sports")
    assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == [
        "Surf contest moved"
    ]


def test_an_unknown_sections_feed_is_not_found(client):
    assert client.get("/feeds/no-such-section/rss/").status_code == 404


def test_drafts_and_future_stories_stay_out_of_the_feed(client):
    make_article(headline="Draft", status="draft")
    make_article(
        headline="Later",
        status="scheduled",
        published_at=timezone.now() + timedelta(hours=2),
    )
    make_article(headline="Out now")
    titles = [item.findtext("title") for item in feed(client, "feed_rss").iter("item")]
    assert titles == ["Out now"]


def test_a_correction_shows_in_the_entry_and_moves_its_updated_date(client, editor):
    article = make_article(headline="Harbor plan passes")
    before = feed(client, "feed_atom").find(f"{ATOM}entry").findtext(f"{ATOM}updated")
    correct_article(article, actor=editor, text="The vote was 6-3, not 5-4.")
    [entry] = feed(client, "feed_atom").iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") > before
    assert "The vote was 6-3, not 5-4." in entry.findtext(f"{ATOM}summary")
    [item] = feed(client, "feed_rss").iter("item")
    assert "Correction" in item.findtext("description")


def test_feed_text_is_escaped_as_xml(client):
    make_article(headline="Fish & chips <b>cheap</b>", subhead="5 < 6")
    [item] = feed(client, "feed_rss").iter("item")
    assert item.findtext("title") == "Fish & chips <b>cheap</b>"
    assert "5 &lt; 6" in item.findtext("description")


def test_the_feed_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    for number in range(5):
        photographed(headline=f"Story {number}")
    # Stories, their photos' renditions, their corrections.
    with django_assert_num_queries(3):
        client.get(reverse("newsroom:feed_rss"))


def test_the_front_page_points_feed_readers_to_the_feeds(client):
    page = client.get(reverse("newsroom:home")).content.decode()
    assert 'type="application/rss+xml"' in page
    assert reverse("newsroom:feed_atom") in page
