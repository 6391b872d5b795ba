"""The reader discussion in a real browser: htmx without reloads, and without JS."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from gazette.discussion import services
from gazette.discussion.tests.builders import bulk_comments, make_commenter, post
from gazette.testing import make_article

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def discussion(settings, transactional_db):
    """A busy story: a featured conversation with staff in it, and more comments."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_PAGE_SIZE = 5
    story = make_article(headline="Harbor plan", slug="harbor")
    ben = make_commenter("Ben Kalani")
    bulk_comments(story, [ben], 8)
    top = post(story, ben, "What about the reef? https://example.com/reef")
    answer = post(
        story, make_commenter("Desk Lani", is_staff=True), "See section 4.", parent=top
    )
    post(story, ben, "Thanks", parent=answer)
    moderator = make_commenter("Mo Kai", is_staff=True, is_superuser=True)
    services.feature_comment(top, actor=moderator)
    return top


def signed_in_page(browser, live_server, reader, **options):
    client = Client()
    client.force_login(reader)
    context = browser.new_context(**options)
    session = client.cookies["sessionid"].value
    context.add_cookies(
        [{"name": "sessionid", "value": session, "url": live_server.url}]
    )
    return context, context.new_page()


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
    ]


def test_a_reader_joins_in_without_the_page_reloading(
    live_server, browser, discussion, artifacts
):
    context, page = signed_in_page(browser, live_server, make_commenter("Ana Pua"))
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/story/harbor/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Newest").click()
    page.get_by_role("link", name="Load more comments").click()
    page.get_by_text("Comment 2", exact=True).wait_for()

    page.fill("#comment-body", "Posted without a reload")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    assert (
        page.locator("#comments-list")
        .get_by_text("Posted without a reload")
        .is_visible()
    )

    page.get_by_role("link", name="Reply to Desk Lani").click()
    page.get_by_label("Your reply to Desk Lani").fill("A reply in place")
    page.get_by_role("button", name="Post reply").click()
    page.locator(f"#replies-{discussion.pk}").get_by_text("A reply in place").wait_for()

    page.get_by_role("button", name="Respect for this comment").first.click()
    page.locator("button[aria-pressed=true]").wait_for()

    page.get_by_role("link", name="Report this comment by Ben Kalani").first.click()
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Your report was received").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=artifacts / "discussion.png", full_page=True)
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/story/harbor/",
        "/story/harbor/?sort=newest",
        "/discussion/story/harbor/?sort=oldest",
        "conversation",
        "reply",
        "report",
        "/discussion/me/",
    ],
)
def test_discussion_pages_have_no_accessibility_violations(
    live_server, browser, discussion, path
):
    context, page = signed_in_page(browser, live_server, make_commenter("Ana Pua"))
    path = {
        "conversation": f"/discussion/comment/{discussion.pk}/",
        "reply": f"/discussion/comment/{discussion.pk}/reply/",
        "report": f"/discussion/comment/{discussion.pk}/report/",
    }.get(path, path)
    page.goto(live_server.url + path)
    assert violations(page) == []
    context.close()


def test_a_refused_comment_reads_on_a_phone_without_javascript(
    live_server, browser, discussion, artifacts
):
    context, phone = signed_in_page(
        browser,
        live_server,
        make_commenter("Ana Pua"),
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    phone.goto(live_server.url + "/story/harbor/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#comment-body", "   ")
    phone.get_by_role("button", name="Post comment").click()
    assert phone.get_by_text("Please write your comment first.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "discussion-phone.png", full_page=True)
    context.close()


def test_a_comment_sent_after_the_session_changed_comes_back_with_why(
    live_server, browser, discussion
):
    """The CSRF check refuses it 403, and htmx shows the form again in place with
    the text as typed and the reason (base.html's htmx-config swaps a 403)."""
    context, page = signed_in_page(browser, live_server, make_commenter("Ana Pua"))
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/story/harbor/")
    page.evaluate("window.stillTheSamePage = true")
    # What signing in or out in another tab does: a new CSRF cookie.
    context.add_cookies(
        [{"name": "csrftoken", "value": "n" * 32, "url": live_server.url}]
    )
    page.fill("#comment-body", "Words I typed for ages")
    with page.expect_response("**/post/") as answer:
        page.get_by_role("button", name="Post comment").click()
    assert answer.value.status == 403
    page.get_by_text("Your session had expired, so nothing was sent.").wait_for()
    assert page.input_value("#comment-body") == "Words I typed for ages"
    assert page.evaluate("window.stillTheSamePage") is True
    context.close()
