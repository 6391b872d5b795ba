import json
import re
from datetime import datetime

import pytest

from gazette.newsroom.services import correct_article
from gazette.newsroom.structured_data import byline_names, json_ld_script
from gazette.testing import image_upload, make_article, make_photo

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)
# Google's article structured data: the properties it recommends (it requires
# none), plus the dateline the issue asks for.
GOOGLE_RECOMMENDED = {"headline", "image", "datePublished", "dateModified", "author"}


def json_ld(client, article) -> dict:
    page = client.get(article.get_absolute_url()).content.decode()
    [block] = JSON_LD.findall(page)
    return json.loads(block)


def story(**changes):
    fields = {
        "headline": "Russia hosts North Korea’s top diplomat",
        "subhead": "Talks on ties",
        "dateline": "MOSCOW",
        "byline": "By Jane Doe and John Roe",
        "lead_photo": make_photo(with_image=False, image=image_upload(500, 300)),
    }
    fields.update(changes)
    return make_article(**fields)


def test_every_story_carries_a_news_article_with_googles_properties(client):
    article = story()
    data = json_ld(client, article)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data.keys() >= GOOGLE_RECOMMENDED
    assert data["headline"] == article.headline
    assert data["image"][0].startswith("http://testserver/media/renditions/")
    assert datetime.fromisoformat(data["datePublished"]) == article.published_at
    assert datetime.fromisoformat(data["dateModified"]) == article.published_at
    assert [author["name"] for author in data["author"]] == ["Jane Doe", "John Roe"]
    assert data["publisher"]["name"] == "Honolulu Star-Advertiser"
    assert data["dateline"] == "MOSCOW"
    assert data["locationCreated"] == {"@type": "Place", "name": "MOSCOW"}
    assert data["mainEntityOfPage"]["@id"] == (
        f"http://testserver{article.get_absolute_url()}"
    )


@pytest.mark.parametrize(
    ("byline", "wire_source", "author"),
    [
        ("", "Associated Press", {"@type": "Organization", "name": "Associated Press"}),
        (
            "",
            "",
            {"@type": "NewsMediaOrganization", "name": "Honolulu Star-Advertiser"},
        ),
    ],
)
def test_a_story_without_a_byline_credits_the_agency_or_the_paper(
    client, byline, wire_source, author
):
    data = json_ld(client, story(byline=byline, wire_source=wire_source))
    assert {key: data["author"][0][key] for key in ("@type", "name")} == author


def test_a_correction_moves_date_modified(client, editor):
    article = story()
    correct_article(article, actor=editor, text="Misspelled a name.")
    data = json_ld(client, article)
    article.refresh_from_db()
    assert datetime.fromisoformat(data["dateModified"]) == article.updated_at
    assert data["dateModified"] > data["datePublished"]


def test_headline_text_cannot_end_the_script_block(client):
    article = story(headline="</script><script>alert(1)</script> & <!--")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(client, article)["headline"] == article.headline


def test_json_ld_escapes_markup_characters():
    script = json_ld_script({"headline": "</script>&"})
    assert script == (
        '<script type="application/ld+json">'
        '{"headline": "\\u003c/script\\u003e\\u0026"}</script>'
    )


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("by Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Ann Lee, Jo Ng and Sam Poe", ["Ann Lee", "Jo Ng", "Sam Poe"]),
        ("", []),
    ],
)
def test_bylines_name_each_author(byline, names):
    assert byline_names(byline) == names


def test_the_page_has_canonical_open_graph_and_twitter_tags(client):
    article = story()
    page = client.get(article.get_absolute_url()).content.decode()
    address = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:title" content="{article.headline}">' in page
    assert '<meta property="og:description" content="Talks on ties">' in page
    assert '<meta property="og:image" content="http://testserver/media/' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta name="twitter:image" content="http://testserver/media/' in page


def test_a_story_without_a_photo_gets_a_summary_card(client):
    page = client.get(story(lead_photo=None).get_absolute_url()).content.decode()
    assert '<meta name="twitter:card" content="summary">' in page
    assert "og:image" not in page
    assert '"image"' not in JSON_LD.search(page).group(1)


def test_a_preview_is_not_described_to_search_engines(client, editor):
    article = story(status="draft")
    client.force_login(editor)
    page = client.get(f"/preview/{article.pk}/").content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert "application/ld+json" not in page
    assert 'rel="canonical"' not in page


def test_an_agency_photo_is_the_image(client):
    photo = make_photo(with_image=False, image_url="https://images.example/ap.jpg")
    data = json_ld(client, story(lead_photo=photo))
    assert data["image"] == ["https://images.example/ap.jpg"]
