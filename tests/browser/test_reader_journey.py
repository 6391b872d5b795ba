"""A reader's whole way into the discussion, in a real browser, with and without JS.

Reader A signs up from a story, confirms the address from the mail the local SMTP
server received, signs in, posts, edits; reader B signs in, replies, gives
Respect, reports; A deletes the comment, then accepts a new version of the Terms
before posting again.
"""

import pytest
from playwright.sync_api import expect

from gazette.mailbox import body_of
from gazette.newsroom.models import Page
from gazette.newsroom.services import revise_page
from gazette.testing import READER_PASSWORD, make_article, make_reader, make_staff

ANA_EMAIL = "ana.pua@example.com"
ANA_PASSWORD = "tide pools at dawn 42"
FIRST = "The harbor plan forgets the canoe clubs."
EDITED = "The harbor plan forgets the canoe clubs at Kewalo."
REPLY = "The clubs were heard at the March meeting."
SECOND = "Thank you, Ben; I had missed that meeting."


@pytest.fixture
def story(settings, live_server):
    # The mailed link must lead to this live server; Ana, a new account, posts
    # twice in a minute.
    settings.GAZETTE_SITE_URL = live_server.url
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    # A new reader's first comments wait for a moderator by default; this journey
    # follows a comment that is on the page, which others answer.
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0
    return make_article(headline="Council weighs the harbor plan", slug="harbor-plan")


@pytest.fixture
def open_page(browser):
    """A page in a browser of its own (own cookies), JavaScript on or off."""
    contexts = []

    def opened(*, javascript: bool):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield opened
    for context in contexts:
        context.close()


def mark_the_page(page, javascript: bool) -> None:
    """With htmx, note the page so that a reload would show (the mark is lost)."""
    if javascript:
        page.evaluate("window.stillTheSamePage = true")


def assert_not_reloaded(page, javascript: bool) -> None:
    if javascript:
        assert page.evaluate("window.stillTheSamePage") is True


def sign_in_from_the_story(
    page, story_url: str, email: str, password: str = READER_PASSWORD
) -> None:
    """Open the story, follow "Sign in" in the masthead, and come back signed in."""
    page.goto(story_url)
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("banner").get_by_role("link", name="Your account")
    ).to_be_visible()
    assert page.url == story_url


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_new_reader_joins_the_discussion_and_a_second_reader_answers(
    live_server, settings, mailbox, story, open_page, artifacts, javascript
):
    mode = "htmx" if javascript else "no-js"
    story_url = live_server.url + story.get_absolute_url()

    def screenshot(page, step: str) -> None:
        path = artifacts / f"reader-journey-{mode}-{step}.png"
        page.screenshot(path=path, full_page=True)

    # Ana reads the story and is asked to sign in before commenting.
    ana = open_page(javascript=javascript)
    ana.goto(story_url)
    heading = ana.get_by_role("heading", level=1)
    expect(heading).to_have_text(story.headline)
    expect(
        ana.get_by_text("Sign in to join the discussion. Reading needs no account.")
    ).to_be_visible()
    expect(ana.get_by_role("button", name="Post comment")).to_have_count(0)
    ana.get_by_role("link", name="Sign in or create an account").click()
    expect(heading).to_have_text("Sign in")
    ana.get_by_role("link", name="Create an account").click()
    expect(heading).to_have_text("Create an account")

    # The sign-up form: the rules open in a new tab and what was typed stays.
    ana.get_by_label("Email address").fill(ANA_EMAIL)
    ana.get_by_label("Display name").fill("Ana Pua")
    ana.get_by_label("Password", exact=True).fill(ANA_PASSWORD)
    for link, title in [
        ("Read the Terms of Service", "Terms of Service"),
        ("Read the Community guidelines", "Community guidelines"),
    ]:
        with ana.context.expect_page() as opened:
            ana.get_by_role("link", name=link).click()
        document = opened.value
        expect(document.get_by_role("heading", level=1)).to_have_text(title)
        expect(document.get_by_text("Version 1,")).to_be_visible()
        document.close()
    expect(ana.get_by_label("Email address")).to_have_value(ANA_EMAIL)
    ana.get_by_label("I accept the Terms of Service, version 1").check()
    ana.get_by_label("I accept the Community guidelines, version 1").check()
    screenshot(ana, "00-sign-up-form")
    ana.get_by_role("button", name="Create my account").click()

    # Signing up signs no one in: the answer is the same for an address that
    # already has an account, whose owner is mailed a notice instead.
    expect(heading).to_have_text("Confirm your email address")
    expect(
        ana.get_by_text(
            "Check your mail: we have sent a message to the address you gave."
        )
    ).to_be_visible()
    screenshot(ana, "01-signed-up")
    ana.get_by_role("link", name="Go back to where you were").click()
    expect(heading).to_have_text(story.headline)
    expect(ana.get_by_role("button", name="Post comment")).to_have_count(0)

    # The confirmation mail, as the local SMTP server received it.
    (message,) = mailbox.wait_for(ANA_EMAIL)
    publication = settings.GAZETTE_PUBLICATION_NAME
    assert message["Subject"] == f"Confirm your email address for {publication}"
    body = body_of(message)
    assert body.startswith("Hello Ana Pua,")
    links = [line for line in body.splitlines() if line.startswith(live_server.url)]
    assert len(links) == 1, body
    ana.goto(links[0])
    expect(heading).to_have_text("Your email address is confirmed")
    expect(ana.get_by_text("Thank you, Ana Pua.")).to_be_visible()
    screenshot(ana, "02-email-confirmed")

    # Ana signs in from the story, and posts her first comment.
    expect(ana.get_by_text("Sign in to join the discussion.")).to_be_visible()
    sign_in_from_the_story(ana, story_url, ANA_EMAIL, ANA_PASSWORD)
    expect(heading).to_have_text(story.headline)
    mark_the_page(ana, javascript)
    ana.get_by_label("Your comment").fill(FIRST)
    ana.get_by_role("button", name="Post comment").click()
    expect(ana.get_by_text("Your comment is posted.")).to_be_visible()
    anas_comment = ana.get_by_role("article", name="Ana Pua", exact=True)
    expect(anas_comment).to_contain_text(FIRST)
    comment_id = anas_comment.get_attribute("id")
    assert_not_reloaded(ana, javascript)
    if not javascript:
        assert ana.url.endswith(f"#{comment_id}"), "the form returns to the comment"
        expect(ana.get_by_role("heading", name="1 comment")).to_be_visible()
    screenshot(ana, "03-comment-posted")

    # Editing: in place with htmx, on a page of its own without.
    anas_comment.get_by_role("link", name="Edit your comment").click()
    editing = anas_comment if javascript else ana
    edit_box = editing.get_by_role("textbox", name="Your comment")
    expect(edit_box).to_have_value(FIRST)
    edit_box.fill(EDITED)
    editing.get_by_role("button", name="Save changes").click()
    expect(ana.get_by_text("Your comment is updated.")).to_be_visible()
    expect(anas_comment).to_contain_text(EDITED)
    expect(anas_comment.get_by_text("Edited", exact=True)).to_be_visible()
    assert_not_reloaded(ana, javascript)
    if not javascript:
        assert ana.url.endswith(f"#{comment_id}")
    screenshot(ana, "04-comment-edited")

    # Ben, a confirmed reader, signs in from the masthead and lands on the story.
    ben_reader = make_reader(display_name="Ben Kalani", email="ben.kalani@example.com")
    ben = open_page(javascript=javascript)
    sign_in_from_the_story(ben, story_url, ben_reader.email)
    expect(ben.get_by_role("heading", level=1)).to_have_text(story.headline)
    mark_the_page(ben, javascript)

    # Ben replies to Ana; without JS he lands on the conversation, at his reply.
    comment_for_ben = ben.get_by_role("article", name="Ana Pua", exact=True)
    expect(comment_for_ben).to_contain_text(EDITED)
    comment_for_ben.get_by_role("link", name="Reply to Ana Pua").click()
    ben.get_by_label("Your reply to Ana Pua").fill(REPLY)
    ben.get_by_role("button", name="Post reply").click()
    expect(ben.get_by_text("Your comment is posted.")).to_be_visible()
    replies_to_ana = ben.get_by_role("list", name="Replies to Ana Pua")
    expect(replies_to_ana.get_by_role("article", name="Ben Kalani")).to_contain_text(
        REPLY
    )

    # Respect: the button shows it pressed and the count goes to 1.
    expect(comment_for_ben).to_contain_text("0 readers give Respect")
    comment_for_ben.get_by_role("button", name="Respect for this comment").click()
    expect(
        comment_for_ben.get_by_role(
            "button", name="Respect for this comment", pressed=True
        )
    ).to_be_visible()
    expect(comment_for_ben).to_contain_text("1 reader gives Respect")

    # The report, with a reason and a note, is acknowledged.
    comment_for_ben.get_by_role("link", name="Report this comment by Ana Pua").click()
    ben.get_by_label("Off-topic").check()
    ben.get_by_label("Your note").fill("This is about the canoe clubs, not the plan.")
    ben.get_by_role("button", name="Send report").click()
    expect(
        ben.get_by_text(
            "Thank you. Your report was received; a moderator will look at the comment."
        )
    ).to_be_visible()
    assert_not_reloaded(ben, javascript)
    if javascript:
        ben.reload()
    else:
        ben.get_by_role("link", name="Back to the comment").click()
    expect(comment_for_ben.get_by_text("Reported", exact=True)).to_be_visible()
    expect(
        comment_for_ben.get_by_role("link", name="Report this comment by Ana Pua")
    ).to_have_count(0)
    screenshot(ben, "05-replied-respected-reported")

    # Ana sees the reply and the Respect, then deletes her comment; the reply stays.
    ana.goto(story_url)
    mark_the_page(ana, javascript)
    expect(anas_comment).to_contain_text("1 Respect")
    expect(ana.get_by_role("list", name="Replies to Ana Pua")).to_contain_text(REPLY)
    anas_comment.get_by_role("link", name="Delete your comment").click()
    ana.get_by_role("button", name="Delete comment").click()
    deleted = ana.get_by_text("Comment deleted.", exact=True)
    expect(deleted).to_be_visible()
    expect(anas_comment).to_have_count(0)
    expect(ana.get_by_text(EDITED)).to_have_count(0)
    conversation = ana.get_by_role("listitem").filter(has=deleted)
    expect(conversation.get_by_role("list", name="Replies to Ana Pua")).to_contain_text(
        REPLY
    )
    assert_not_reloaded(ana, javascript)
    if not javascript:
        expect(ana.get_by_text("Your comment is deleted.")).to_be_visible()
        assert ana.url.endswith(f"#{comment_id}")
    screenshot(ana, "06-comment-deleted")

    # Staff publish a new version of the Terms: Ana reads on, but accepts it
    # before she can post again.
    terms = Page.objects.get(slug="terms")
    terms.body += "<p>Comments may be quoted in the printed paper.</p>"
    revise_page(terms, actor=make_staff("Editor"))
    ana.goto(story_url)
    expect(heading).to_have_text(story.headline)
    expect(ana.get_by_text("The council met on Tuesday.")).to_be_visible()
    expect(ana.get_by_role("list", name="Replies to Ana Pua")).to_contain_text(REPLY)
    expect(
        ana.get_by_text(
            "The Terms of Service has changed. Read and accept the new version to "
            "comment again."
        )
    ).to_be_visible()
    expect(ana.get_by_role("button", name="Post comment")).to_have_count(0)
    screenshot(ana, "07-terms-changed")
    ana.get_by_role("link", name="Read and accept").click()
    expect(heading).to_have_text("The rules of the discussion have changed")
    expect(ana.get_by_text("I accept the Community guidelines")).to_have_count(0)
    ana.get_by_label("I accept the Terms of Service, version 2").check()
    ana.get_by_role("button", name="Accept and go on").click()
    expect(heading).to_have_text(story.headline)
    ana.get_by_label("Your comment").fill(SECOND)
    ana.get_by_role("button", name="Post comment").click()
    expect(ana.get_by_text("Your comment is posted.")).to_be_visible()
    expect(ana.get_by_role("article", name="Ana Pua", exact=True)).to_contain_text(
        SECOND
    )
    screenshot(ana, "08-posted-after-accepting")


def test_the_first_comment_posted_in_place_ends_no_comments_yet(
    live_server, story, open_page, artifacts
):
    story_url = live_server.url + story.get_absolute_url()
    page = open_page(javascript=True)
    sign_in_from_the_story(page, story_url, make_reader(display_name="Ana Pua").email)
    expect(page.get_by_role("heading", name="No comments yet")).to_be_visible()
    page.get_by_label("Your comment").fill(FIRST)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("article", name="Ana Pua")).to_contain_text(FIRST)
    page.screenshot(
        path=artifacts / "reader-journey-htmx-first-comment.png", full_page=True
    )
    # The swap has landed: what it left stale stays so, no need to wait long.
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible(timeout=1000)
    expect(page.get_by_text("No comments yet")).to_have_count(0, timeout=1000)
