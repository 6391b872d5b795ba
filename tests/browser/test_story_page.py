"""What a reader sees on the imported reference story, in a real browser."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from gazette.newsroom.models import Article
from gazette.newsroom.templatetags.newsroom import masthead_date

SEED = Path(__file__).resolve().parents[2] / "gazette" / "demo" / "seed-page.txt"
CREDIT = "ARTYOM GEODAKYAN, SPUTNIK, KREMLIN POOL PHOTO VIA ASSOCIATED PRESS"


@pytest.fixture
def seed_story(transactional_db):
    call_command("import", str(SEED))
    return Article.objects.get()


def test_reader_sees_the_reference_story_as_printed(
    live_server, page, seed_story, artifacts
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Russia hosts North Korea’s top diplomat").click()
    page.wait_for_load_state()

    masthead = page.get_by_role("banner")
    assert masthead.get_by_text(masthead_date(timezone.localdate())).is_visible()
    assert masthead.get_by_role("link", name="Today’s Paper").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == seed_story.headline
    figure = page.locator("figure.photo--lead figcaption")
    assert figure.locator(".photo__credit").inner_text().upper() == CREDIT
    assert "greets North Korean Foreign Minister" in figure.inner_text()
    first_paragraph = page.locator(".story__body p").first.inner_text()
    assert first_paragraph.startswith("MOSCOW >> Russian President Vladimir Putin")
    assert page.locator(".story__body p").count() == 9

    policy = page.locator(".comment-policy")
    assert "comments must be civil and in good taste" in policy.inner_text()
    for name, heading in [
        ("Terms of Service", "Terms of Service"),
        ("guidelines", "Community guidelines"),
        ("Learn more here", "Help with comments"),
    ]:
        link = policy.get_by_role("link", name=name, exact=True)
        href = link.get_attribute("href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200, href
        assert heading in response.text()

    page.screenshot(path=artifacts / "story-page.png", full_page=True)


def test_story_reads_on_a_phone_without_javascript(
    live_server, browser, seed_story, artifacts
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    phone = context.new_page()
    phone.goto(live_server.url + seed_story.get_absolute_url())
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert phone.get_by_role("heading", level=1).is_visible()
    phone.screenshot(path=artifacts / "story-page-phone.png", full_page=True)
    context.close()


def test_keyboard_reader_can_skip_to_the_story(live_server, page, seed_story):
    page.goto(live_server.url + seed_story.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
