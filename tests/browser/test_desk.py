"""A moderator works down the desk's queue with the keyboard alone, in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from gazette.discussion.models import Comment, Report
from gazette.discussion.services import report_comment
from gazette.discussion.tests.builders import make_commenter, post
from gazette.testing import make_article, make_staff
from tests.browser.test_discussion import WCAG_AA, signed_in_page


@pytest.fixture
def queue(settings, transactional_db):
    """Three held comments, riskiest first, and one reported comment."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0
    story = make_article(headline="Harbor plan", slug="harbor")
    author = make_commenter("Ana Pua")
    settings.GAZETTE_PREMODERATE_ALL = True
    held = [post(story, author, f"Held comment {n}") for n in range(3)]
    settings.GAZETTE_PREMODERATE_ALL = False
    for risk, comment in zip((0.9, 0.6, 0.3), held, strict=True):
        Comment.objects.filter(pk=comment.pk).update(risk_score=risk)
    visible = post(story, author, "A comment on the page")
    report_comment(visible, actor=make_commenter("Ben Kalani"), reason="spam")
    return held, visible


def test_a_moderator_walks_the_queue_with_the_keyboard(
    live_server, browser, queue, artifacts
):
    held, visible = queue
    moderator = make_staff("Moderator", "Mo Kai")
    context, page = signed_in_page(browser, live_server, moderator)
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/moderate/")
    page.evaluate("window.stillTheSamePage = true")
    assert page.locator('[data-count="pending"]').inner_text() == "3"
    shortcuts = page.locator("#desk-help")
    for listed in ("Next comment", "Previous comment", "Approve", "Reject", "Feature"):
        assert shortcuts.get_by_text(listed).first.is_visible()

    page.keyboard.press("j")
    first = page.locator(f"#desk-comment-{held[0].pk}")
    assert first.evaluate("node => node === document.activeElement")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert first.evaluate("node => node === document.activeElement")
    page.keyboard.press("a")
    first.get_by_text("Approved: the comment is on the page.").wait_for()
    # The desk moves on to the next comment and the counts follow.
    second = page.locator(f"#desk-comment-{held[1].pk}")
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=f"desk-comment-{held[1].pk}",
    )
    page.locator('[data-count="pending"]', has_text="2").wait_for()

    page.keyboard.press("r")
    second.get_by_text("Rejected: the author is told why and may appeal.").wait_for()
    third = page.locator(f"#desk-comment-{held[2].pk}")
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=f"desk-comment-{held[2].pk}",
    )
    page.keyboard.press("x")
    assert third.locator("[data-desk-select]").is_checked()
    page.keyboard.press("?")
    assert shortcuts.evaluate("node => node.classList.contains('desk-help--shown')")
    page.screenshot(path=artifacts / "desk-queue.png", full_page=True)
    assert page.evaluate("window.stillTheSamePage") is True

    states = dict(Comment.objects.values_list("pk", "state"))
    assert states[held[0].pk] == "visible"
    assert states[held[1].pk] == "rejected"
    assert states[held[2].pk] == "pending"

    results = Axe().run(page, options=WCAG_AA)
    assert results.response["violations"] == []

    page.goto(live_server.url + "/moderate/?queue=reported")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(f"**/moderate/comment/{visible.pk}/")
    assert page.get_by_text("Reports against").is_visible()
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.get_by_text("Approved: the comment is on the page.").wait_for()
    assert Report.objects.get().status == Report.Status.DISMISSED
    context.close()
