"""Today's Paper as a reader finds it: the masthead's temperature and link, the
day's edition, its PDF, and the sign-in a paper may ask for."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gazette.edition.services import build_edition
from gazette.newsroom.selectors import day_bounds, paper_day
from gazette.newsroom.templatetags.newsroom import masthead_date
from gazette.testing import READER_PASSWORD, make_article, make_reader, make_section
from gazette.weather.services import refresh_weather
from gazette.weather.tests.conftest import (
    OBSERVATION_PATH,
    nws_observation,
    weather_server,  # noqa: F401  (the loopback weather service)
)

LEAD = "Harbor dredging to begin after two-year delay"
SPORTS = "Rainbow Wahine win in five sets"


@pytest.fixture
def todays_paper(transactional_db, weather_server):  # noqa: F811
    """A reading taken just now (23.9 °C: 75 °F), two of today's stories, and
    today's PDF built."""
    now = timezone.now()
    weather_server.serve(
        OBSERVATION_PATH, nws_observation(23.9, timestamp=now.isoformat())
    )
    refresh_weather()
    # Early today in Honolulu, but never in the future.
    published_at = max(day_bounds(paper_day())[0], now - timedelta(hours=1))
    make_article(headline=LEAD, published_at=published_at, front_rank=1)
    sports = make_section(name="Sports", slug="sports", position=2)
    make_article(headline=SPORTS, section=sports, published_at=published_at)
    return build_edition(paper_day())


def test_reader_follows_the_masthead_to_todays_paper_and_its_pdf(
    live_server, page, todays_paper, artifacts
):
    page.goto(live_server.url + "/")
    masthead = page.get_by_role("banner")
    weather = masthead.get_by_role("link", name="75° Partly Cloudy")
    expect(weather).to_be_visible()
    assert weather.get_attribute("href") == "/weather/"
    paper_link = masthead.get_by_role("link", name="Today’s Paper")
    expect(paper_link).to_be_visible()

    paper_link.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/todays-paper/"
    today = masthead_date(paper_day())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Today’s Paper {today}")
    front = page.get_by_role("region", name="Front page")
    expect(front.get_by_role("link", name=LEAD)).to_be_visible()
    sports = page.get_by_role("region", name="Sports")
    expect(sports.get_by_role("link", name=SPORTS)).to_be_visible()
    # The masthead reads the same on the paper's page.
    expect(page.get_by_role("banner").get_by_text("75°")).to_be_visible()
    page.screenshot(path=artifacts / "todays-paper.png", full_page=True)

    download_link = page.get_by_role("link", name="Download the print edition")
    expect(download_link).to_contain_text(f"PDF, {todays_paper.page_count} pages")
    with page.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename == (
        f"honolulu-star-advertiser-{paper_day().isoformat()}.pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_paper_for_subscribers_asks_the_reader_to_sign_in_first(
    live_server, page, todays_paper, settings
):
    settings.GAZETTE_EDITION_SIGNED_IN_ONLY = True
    reader = make_reader()
    page.goto(live_server.url + "/")
    page.get_by_role("banner").get_by_role("link", name="Today’s Paper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(reader.email)
    page.get_by_label("Password").fill(READER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/todays-paper/"
    expect(page.get_by_role("link", name=LEAD)).to_be_visible()
