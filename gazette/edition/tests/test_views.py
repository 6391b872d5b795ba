import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.edition.models import Edition, EditionStory
from gazette.edition.services import build_edition
from gazette.edition.tests.conftest import FRIDAY, small_photo, story
from gazette.testing import make_section

pytestmark = pytest.mark.django_db

THURSDAY = FRIDAY - timedelta(days=1)


def text_of(response) -> str:
    """The page's main part as a reader reads it (no masthead or navigation): tags
    dropped, entities decoded, spaces joined."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    without_tags = re.sub(r"<[^>]+>", "", main)
    return " ".join(html.unescape(without_tags).split())


def test_todays_paper_shows_todays_stories_by_section(client, fridays_paper):
    response = client.get("/todays-paper/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Today’s Paper Friday, December 13, 2024" in text
    assert text.index("Front page") < text.index("Harbor dredging to begin")
    assert text.index("Harbor dredging to begin") < text.index("Sports")
    assert text.index("Sports") < text.index("Rainbow Wahine win in five sets")
    assert text.index("Rainbow Wahine") < text.index("Business")
    assert "Thursday's story" not in text
    assert "latest day’s paper" not in text


def test_todays_paper_shows_the_latest_day_before_anything_is_out_today(client, friday):
    story("Thursday's story", day=THURSDAY)
    text = text_of(client.get("/todays-paper/"))
    assert "Today’s Paper Thursday, December 12, 2024" in text
    assert (
        "Nothing has been published yet today; this is the latest day’s paper." in text
    )
    assert "Thursday's story" in text


def test_todays_paper_on_a_new_site_says_nothing_is_out(client, friday):
    response = client.get("/todays-paper/")
    assert response.status_code == 200
    assert "No stories have been published yet." in text_of(response)


def test_a_past_days_paper_has_its_own_address(client, fridays_paper):
    response = client.get("/todays-paper/2024-12-12/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Past edition Thursday, December 12, 2024" in text
    assert "No print edition was made of this day." in text
    assert "Thursday's story" in text
    assert "Harbor dredging" not in text


def test_todays_date_shows_todays_paper(client, fridays_paper):
    text = text_of(client.get("/todays-paper/2024-12-13/"))
    assert "Today’s Paper Friday, December 13, 2024" in text
    assert "Harbor dredging" in text


@pytest.mark.parametrize(
    "path",
    [
        "/todays-paper/2024-13-45/",
        "/todays-paper/2024-02-30/",
        "/todays-paper/2024-1-5/",
        "/todays-paper/yesterday/",
        "/todays-paper/2024-12-14/",  # tomorrow
        "/todays-paper/2024-12-10/",  # a day with no stories
        "/todays-paper/2024-13-45/pdf/",
        "/todays-paper/2024-12-14/pdf/",
    ],
)
def test_no_paper_for_a_malformed_future_or_empty_day(client, fridays_paper, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We can’t find that page" in text_of(response)


def test_a_curated_paper_shows_the_editors_pages(client, fridays_paper):
    edition = Edition.objects.create(date=FRIDAY)
    for article, page, rank in [
        (fridays_paper["sports"], 1, 1),
        (fridays_paper["business"], 1, 2),
        (fridays_paper["third"], 2, 1),
    ]:
        EditionStory.objects.create(edition=edition, article=article, page=page,
                                    rank=rank)  # fmt: skip
    text = text_of(client.get("/todays-paper/"))
    front = text.index("Front page")
    assert front < text.index("Rainbow Wahine") < text.index("Visitor spending")
    assert text.index("Visitor spending") < text.index("School farms feed")
    assert "Harbor dredging" not in text


def test_the_paper_offers_its_pdf_once_built(client, fridays_paper):
    page = client.get("/todays-paper/").content.decode()
    assert "/todays-paper/2024-12-13/pdf/" not in page
    assert "The print edition of this day is being prepared." in page
    edition = build_edition(FRIDAY)
    text = text_of(client.get("/todays-paper/"))
    assert f"Download the print edition (PDF, {edition.page_count} pages)" in text
    page = client.get("/todays-paper/").content.decode()
    assert 'href="/todays-paper/2024-12-13/pdf/" download' in page


def test_the_pdf_downloads_as_the_days_paper(
    client, fridays_paper, django_assert_num_queries
):
    assert client.get("/todays-paper/2024-12-13/pdf/").status_code == 404
    build_edition(FRIDAY)
    with django_assert_num_queries(1):
        response = client.get("/todays-paper/2024-12-13/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="honolulu-star-advertiser-2024-12-13.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "path",
    [
        "/todays-paper/",
        "/todays-paper/2024-12-12/",
        "/todays-paper/archive/",
        "/todays-paper/2024-12-13/pdf/",
    ],
)
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_paper_can_be_kept_for_signed_in_readers(
    client, settings, fridays_paper, reader, path, signed_in
):
    if path.endswith("/pdf/"):
        build_edition(FRIDAY)
    settings.GAZETTE_EDITION_SIGNED_IN_ONLY = True
    if signed_in:
        client.force_login(reader)
    response = client.get(path)
    if signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/account/sign-in/?next={path}"


def test_by_default_anyone_reads_the_paper(client, settings, fridays_paper):
    build_edition(FRIDAY)
    assert client.get("/todays-paper/").status_code == 200
    assert client.get("/todays-paper/2024-12-13/pdf/").status_code == 200


@pytest.mark.parametrize("signed_in_only", [True, False])
def test_edition_pdfs_are_never_served_from_media(
    client, settings, fridays_paper, signed_in_only
):
    settings.GAZETTE_EDITION_SIGNED_IN_ONLY = signed_in_only
    edition = build_edition(FRIDAY)
    photo = small_photo()
    assert client.get(f"/media/{photo.image.name}").status_code == 200
    for path in [
        f"/media/editions/{edition.pdf.name}",
        f"/media/photos/../editions/{edition.pdf.name}",
        f"/media/./editions/{edition.pdf.name}",
        f"/media//editions/{edition.pdf.name}",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"%PDF" not in response.content


def test_the_archive_lists_every_days_paper_by_month(client, friday):
    story("Friday's story", hour=6)
    story("Thursday's story", day=THURSDAY)
    story("November story", day=FRIDAY - timedelta(days=20))
    build_edition(FRIDAY)
    response = client.get("/todays-paper/archive/")
    assert response.status_code == 200
    text = text_of(response)
    assert re.search(
        r"December 2024 Friday, December 13 PDF of Friday, December 13, 2024 "
        r"Thursday, December 12 November 2024 Saturday, November 23",
        text,
    )
    page = response.content.decode()
    assert 'href="/todays-paper/2024-12-12/"' in page
    assert 'href="/todays-paper/2024-12-13/pdf/" download' in page
    assert 'href="/todays-paper/2024-12-12/pdf/"' not in page


def test_the_archive_pages_through_the_days(client, friday):
    for days_ago in range(100):
        story(f"Story {days_ago}", day=FRIDAY - timedelta(days=days_ago), hour=6)
    first = text_of(client.get("/todays-paper/archive/"))
    assert "Page 1 of 2" in first
    assert "Friday, December 13" in first
    second = text_of(client.get("/todays-paper/archive/", {"page": 2}))
    assert "Thursday, September 5" in second
    assert "Friday, December 13" not in second


def test_the_masthead_links_to_todays_paper(client, fridays_paper):
    page = client.get("/").content.decode()
    assert '<a class="masthead__paper" href="/todays-paper/">Today’s Paper</a>' in page


def page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def add_stories(count: int) -> None:
    section = make_section()
    for number in range(count):
        story(f"More {number}", section=section, lead_photo=small_photo())


def test_todays_paper_query_count(client, fridays_paper, django_assert_num_queries):
    # Sections, the edition, placements, the day's stories and their photos.
    with django_assert_num_queries(5):
        client.get("/todays-paper/")
    add_stories(3)
    assert page_queries(client, "/todays-paper/") == 5


def test_a_curated_papers_query_count(client, fridays_paper, django_assert_num_queries):
    edition = Edition.objects.create(date=FRIDAY)
    for rank, article in enumerate(fridays_paper.values(), start=1):
        EditionStory.objects.create(edition=edition, article=article, page=rank % 3 + 1,
                                    rank=rank)  # fmt: skip
    # Sections, the edition, placements with their photos.
    with django_assert_num_queries(4):
        client.get("/todays-paper/2024-12-13/")


def test_the_archives_query_count(client, fridays_paper, django_assert_num_queries):
    build_edition(FRIDAY)
    # Sections, the days with stories, the curated days, the built editions.
    with django_assert_num_queries(4):
        client.get("/todays-paper/archive/")
    for days_ago in range(2, 9):
        story("Earlier", day=FRIDAY - timedelta(days=days_ago))
    assert page_queries(client, "/todays-paper/archive/") == 4
