"""Chromium enforces the Content-Security-Policy and nothing of ours trips it: the
discussion keeps working through htmx, the back office's scripts run, and the
browser reports no violation. A deliberately injected handler and script are
blocked and reported, so the listening is shown to work."""

import pytest
from django.test import Client

from gazette.discussion.tests.builders import bulk_comments, make_commenter, post
from gazette.testing import make_article, make_staff

# Chromium fires `securitypolicyviolation` on the document for every blocked
# script, handler, style, image or connection; the page keeps a list of them.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI} in ${event.sourceFile}`
  );
});
"""
READER_PAGES = [
    "/",
    "/section/top-news/",
    "/todays-paper/",
    "/search/?q=harbor",
    "/weather/",
    "/transparency/",
    "/about/terms/",
    "/account/sign-in/",
    "/account/sign-up/",
    "/nowhere/",
]


@pytest.fixture
def discussion(settings, transactional_db):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_PAGE_SIZE = 5
    story = make_article(headline="Harbor plan", slug="harbor")
    ben = make_commenter("Ben Kalani")
    bulk_comments(story, [ben], 8)
    top = post(story, ben, "What about the reef?")
    post(
        story, make_commenter("Desk Lani", is_staff=True), "See section 4.", parent=top
    )
    return top


class Watched:
    """A browser page whose policy violations and console complaints are kept."""

    def __init__(self, browser, live_server, user=None):
        self.context = browser.new_context()
        if user is not None:
            client = Client()
            client.force_login(user)
            self.context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.console: list[str] = []
        self.page.on("console", self.note_console)

    def note_console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.cspViolations") + self.console

    def close(self):
        self.context.close()


def test_the_discussion_works_through_htmx_with_no_violation(
    live_server, browser, discussion
):
    watched = Watched(browser, live_server, make_commenter("Ana Pua"))
    page = watched.page
    page.goto(live_server.url + "/story/harbor/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Oldest").click()
    # The sort tab swaps the list; the link to press next is the new list's.
    page.locator("a[aria-current=true]", has_text="Oldest").wait_for()
    page.get_by_role("link", name="Load more comments").click()
    page.get_by_text("Comment 6", exact=True).wait_for()
    page.get_by_role("link", name="Reply to Desk Lani").click()
    page.get_by_label("Your reply to Desk Lani").fill("A reply in place")
    page.get_by_role("button", name="Post reply").click()
    page.locator(f"#replies-{discussion.pk}").get_by_text("A reply in place").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True, "htmx swapped in place"
    assert watched.violations() == []
    watched.close()


@pytest.mark.parametrize("path", READER_PAGES)
def test_reader_pages_trip_no_violation(live_server, browser, discussion, path):
    watched = Watched(browser, live_server)
    watched.page.goto(live_server.url + path)
    watched.page.wait_for_load_state("load")
    assert watched.violations() == []
    watched.close()


def test_the_back_office_works_under_its_policy(live_server, browser, transactional_db):
    watched = Watched(browser, live_server, make_staff("Editor"))
    page = watched.page
    page.goto(live_server.url + "/newsroom/newsroom/article/add/")
    # Django's prepopulate script fills the slug from the headline as one types.
    page.get_by_label("Headline").press_sequentially("Harbor plan passes")
    assert page.get_by_label("Slug").input_value() == "harbor-plan-passes"
    assert watched.violations() == []
    watched.close()


def test_control_injected_script_is_blocked_and_reported(
    live_server, browser, discussion
):
    watched = Watched(browser, live_server)
    page = watched.page
    page.goto(live_server.url + "/story/harbor/")
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML(
            "beforeend", '<img src="/static/none.png" onerror="window.ran = 1">'
          );
          const script = document.createElement("script");
          script.textContent = "window.ran = 2";
          document.body.append(script);
        }"""
    )
    page.wait_for_function("window.cspViolations.length >= 2")
    assert page.evaluate("window.ran") is None
    found = " ".join(watched.violations())
    assert "script-src-attr" in found
    assert "script-src-elem" in found
    watched.close()


def test_a_kept_signed_in_page_runs_its_scripts_with_no_violation(
    live_server, browser, discussion, monkeypatch
):
    """The second reader alike gets the page kept for the first (the live server
    runs in this process, so its sends are counted here), with a nonce of its
    own that the policy allows: htmx posts without a reload."""
    from gazette.pagecache import signed_in

    sent = []
    keep_sending = signed_in.kept_page

    def counted(request, look):
        page = keep_sending(request, look)
        sent.append(page is not None)
        return page

    monkeypatch.setattr(signed_in, "kept_page", counted)
    first = Watched(browser, live_server, make_commenter("Ana Pua"))
    first.page.goto(live_server.url + "/story/harbor/")
    second = Watched(browser, live_server, make_commenter("Kai Nui"))
    page = second.page
    page.goto(live_server.url + "/story/harbor/")
    assert sent == [False, True], "rendered for the first reader, kept for the next"
    page.evaluate("window.stillTheSamePage = true")

    page.fill("#comment-body", "Posted from a kept page")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert second.violations() == []

    first.page.reload()
    first.page.locator("#comments-list").get_by_text(
        "Posted from a kept page"
    ).wait_for()
    assert first.violations() == []
    first.close()
    second.close()
