from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from gazette.newsroom.models import Article
from gazette.newsroom.services import correct_article
from gazette.testing import make_article, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, address: str):
    response = client.get(address)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    return ElementTree.fromstring(response.content)


def locations(root) -> list[str]:
    return [element.text for element in root.iter(f"{SITEMAP}loc")]


def test_the_index_lists_the_article_and_section_sitemaps(client):
    make_article()
    assert locations(xml(client, "/sitemap.xml")) == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-sections.xml",
    ]


def test_the_article_sitemap_lists_every_live_story(client):
    old = make_article(published_at=timezone.now() - timedelta(days=400))
    new = make_article()
    make_article(status="draft")
    assert locations(xml(client, "/sitemap-articles.xml")) == [
        f"http://testserver{new.get_absolute_url()}",
        f"http://testserver{old.get_absolute_url()}",
    ]


def test_the_section_sitemap_lists_the_fronts(client):
    sports = make_section(name="Sports", slug="sports")
    assert f"http://testserver{sports.get_absolute_url()}" in locations(
        xml(client, "/sitemap-sections.xml")
    )


def test_the_news_sitemap_describes_stories_as_google_news_asks(client):
    article = make_article(headline="Harbor plan & budget")
    [url] = xml(client, "/sitemap-news.xml").iter(f"{SITEMAP}url")
    assert url.findtext(f"{SITEMAP}loc") == (
        f"http://testserver{article.get_absolute_url()}"
    )
    news = url.find(f"{NEWS}news")
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "Honolulu Star-Advertiser"
    assert publication.findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Harbor plan & budget"
    published = news.findtext(f"{NEWS}publication_date")
    assert published == timezone.localtime(article.published_at).isoformat()


@pytest.mark.parametrize(
    ("age", "is_listed"),
    [(timedelta(hours=47), True), (timedelta(hours=49), False)],
)
def test_the_news_sitemap_holds_only_the_last_two_days(client, age, is_listed):
    make_article(headline="The story", published_at=timezone.now() - age)
    titles = [t.text for t in xml(client, "/sitemap-news.xml").iter(f"{NEWS}title")]
    assert (titles == ["The story"]) is is_listed


def test_the_news_sitemap_stops_at_a_thousand_stories(client):
    now = timezone.now()
    section = make_section()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {number}",
            slug=f"story-{number}",
            section=section,
            body="<p>Text.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=number + 1),
        )
        for number in range(1001)
    )
    urls = list(xml(client, "/sitemap-news.xml").iter(f"{SITEMAP}url"))
    assert len(urls) == 1000
    assert urls[0].findtext(f"{SITEMAP}loc").endswith("/story/story-0/")


def test_robots_txt_points_crawlers_to_the_sitemaps(client):
    response = client.get(reverse("newsroom:robots"))
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /newsroom/" in lines


def test_the_index_gives_the_newest_change_to_any_story(client, editor):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    make_article(published_at=timezone.now() - timedelta(days=2))
    correct_article(article, actor=editor, text="A name was misspelled.")
    article.refresh_from_db()
    lastmod = (
        xml(client, "/sitemap.xml")
        .find(f"{SITEMAP}sitemap")
        .findtext(f"{SITEMAP}lastmod")
    )
    assert lastmod == timezone.localtime(article.updated_at).isoformat()
