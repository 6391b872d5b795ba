"""Cross-site scripting, end to end (the security battery, item 1).

Public XSS payloads and the Big List of Naughty Strings (tests/data/xss/) go into
every field a reader or a wire feed controls, through the services the site's
forms, API and importers call (tests/security/xss_seed.py): a comment, a reply,
an edit, a report's note, an appeal, a display name; a wire story's headline,
subhead, body, byline, dateline and its photo's caption, credit and alt text;
and the search box. Then the pages that show them are loaded in headless
Chromium (tests/security/xss_browser.py), which must see no script run, no
policy violation, no unsafe markup, no request to another host and no server
error. Feeds and sitemaps must stay well-formed XML and the API JSON.

Every payload reaches the page that shows its field in full: the story's
discussion, the reader's own page, the desk's Reported queue and Appeals, each
wire story. Those many pages are rendered (Watch.render: the server's answer
written into a same-origin page that has no policy, so that only escaping
stands between a payload and the hooks), and some of each also visited under
their policy. The other pages that show the same fields (conversations, forms,
desk items, back office lists and pages, notices, previews) are visited for a
spread of the payloads. Each field's pages must be seen to show what was stored,
so that a test whose payloads went nowhere fails.

The fast tier takes a fixed sample of 100; the full tier (pytest -m full) takes
all 2,117 XSS payloads and the 489 naughty strings (2,399 distinct). The
checkers' controls are at the end: each must catch the fault put there for it.
"""

import json
import re
from urllib.parse import urlencode, urlsplit

import lxml.etree
import pytest
from django.test import Client

from gazette.discussion import services as discussion
from gazette.discussion.models import Appeal, Comment, Report
from gazette.discussion.tests.builders import make_commenter
from gazette.newsroom.models import Article, Photo
from gazette.testing import make_article, make_staff
from tests.security import xss_controls
from tests.security.xss_browser import (
    COMMENT_TAGS,
    FEED_TAGS,
    Watch,
    launch_isolated,
)
from tests.security.xss_seed import (
    every_payload,
    make_moderator,
    quiet_policy,
    reject_and_appeal,
    sample,
    seed_discussion,
    seed_display_names,
    seed_wire,
)

# How many payloads, and of the pages that show one payload each (conversations,
# forms, desk items, back-office pages, notices) or a list page of many beyond
# the ones every payload reaches, how many are loaded.
FAST = {"texts": 100, "each": 4, "lists": 2}
FULL = {"texts": None, "each": 12, "lists": 4}
NEXT_COMMENTS = "#comments-list > li.comments__more > a"
NEXT_PAGE = "a[rel=next]"
# The search box shows a query back (its first 200 characters) through one
# template: this many payloads, spread over the list, go through it.
SEARCHED = 600
# Words most payloads carry, to bring many wire stories up in search at once.
SEARCH_WORDS = ["alert", "script", "XSS"]
WHITE_SPACE = re.compile(r"\s+")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def payloads(tier: dict) -> list[str]:
    return sample(tier["texts"]) if tier["texts"] else every_payload()


def squeezed(text: str) -> str:
    """Text without white space: where a page's text differs from what was
    stored (paragraphs, line breaks, wrapping) it differs only there."""
    return WHITE_SPACE.sub("", text)


def missing(expected, seen: str) -> list[str]:
    """Stored texts that a field's pages did not show."""
    page = squeezed(seen)
    return [text for text in expected if text and squeezed(text) not in page]


def spread(items, count: int) -> list:
    """About `count` of the items, evenly spread, first and last included."""
    items = list(items)
    if len(items) <= count:
        return items
    if count < 2:
        return items[:1]
    step = (len(items) - 1) / (count - 1)
    return [items[round(number * step)] for number in range(count)]


def pages_of(path: str, rows: int, *, per_page: int, name: str = "page") -> list:
    """The addresses of every page of a paginated list of `rows` rows."""
    count = max(1, -(-rows // per_page))
    joiner = "&" if "?" in path else "?"
    return [f"{path}{joiner}{name}={number}" for number in range(1, count + 1)]


@pytest.fixture(scope="module")
def chromium(browser):
    isolated = launch_isolated(browser)
    yield isolated
    isolated.close()


@pytest.fixture
def paper(settings, transactional_db):
    quiet_policy(settings)
    settings.GAZETTE_SECTION_PAGE_SIZE = 100
    settings.GAZETTE_SEARCH_PAGE_SIZE = 100
    settings.GAZETTE_FEED_SIZE = 3000
    return settings


# The discussion: comment, reply, edit, report note, appeal.


def check_the_discussion(live_server, chromium, texts, tier: dict) -> None:
    story = make_article(headline="Harbor plan", slug="harbor")
    moderator = make_moderator()
    seeded = seed_discussion(story, texts, moderator=moderator)
    assert seeded.failures == []
    for name in ("comment body", "edit", "reply", "report text"):
        assert seeded.tally(name).stored >= len(texts) * 0.8, seeded.tallies
    comments = [comment.body for comment in refreshed(seeded.comments)]
    edited = [comment.body for comment in refreshed(seeded.edited)]
    replies = [comment.body for comment in refreshed(seeded.replies)]
    notes = [report.text for report in seeded.reports]
    some_targets = spread(seeded.targets, tier["each"])

    # Readers: the discussion page by page, conversations, the forms about a
    # comment, and each author's own page.
    reader = make_commenter("Ana Reader")
    watch = Watch(chromium, live_server.url, reader)
    seen = watch.render_all(signed_in(reader), "/story/harbor/", NEXT_COMMENTS)
    assert missing(comments + edited + replies, seen) == []
    watch.visit_all("/story/harbor/", NEXT_COMMENTS, pages=tier["lists"])
    for target in some_targets:
        watch.visit(f"/discussion/comment/{target.pk}/")
        watch.visit(f"/discussion/comment/{target.pk}/reply/")
        watch.visit(f"/discussion/comment/{target.pk}/report/")
    watch.sign_out()
    watch.visit("/story/harbor/")
    watch.visit("/discussion/story/harbor/?sort=oldest")
    seen = "".join(
        watch.render("/discussion/me/", signed_in(author).get("/discussion/me/"))
        for author in seeded.authors
    )
    assert missing(comments + edited + replies, seen) == []
    for author in spread(seeded.authors, tier["lists"]):
        watch.sign_in(author)
        watch.visit("/discussion/me/")
    for edit in spread(seeded.edited, tier["each"]):
        watch.sign_in(edit.author)
        watch.visit(f"/discussion/comment/{edit.pk}/edit/")
    watch.sign_in(seeded.repliers[0])
    watch.visit("/discussion/me/")

    # Moderators: the desk's queues, items and readers' records.
    watch.sign_in(moderator)
    desk = signed_in(moderator)
    seen = watch.render_all(desk, "/moderate/?queue=reported", NEXT_PAGE)
    reported = [report.comment.body for report in reports_of(seeded)]
    assert missing(notes + reported, seen) == []
    watch.visit_all("/moderate/?queue=reported", NEXT_PAGE, pages=tier["lists"])
    for queue in ("unmoderated", "approved"):
        rows = Comment.objects.count()
        for path in spread(
            pages_of(f"/moderate/?queue={queue}", rows, per_page=25), tier["lists"]
        ):
            watch.visit(path)
    for target in some_targets:
        watch.visit(f"/moderate/comment/{target.pk}/")
    for author in spread(seeded.authors, tier["each"] // 4):
        watch.visit(f"/moderate/reader/{author.pk}/")

    # The back office's lists and pages of comments and reports.
    administrator = make_staff("Administrator")
    watch.sign_in(administrator)
    report_list = pages_of(
        "/newsroom/discussion/report/", len(notes), per_page=100, name="p"
    )
    for path in spread(report_list, tier["lists"]):
        watch.visit(path, back_office=True)
    comment_list = pages_of(
        "/newsroom/discussion/comment/", Comment.objects.count(), per_page=100, name="p"
    )
    for path in spread(comment_list, tier["lists"]):
        watch.visit(path, back_office=True)
    for target in some_targets:
        watch.visit(
            f"/newsroom/discussion/comment/{target.pk}/change/", back_office=True
        )
    seen = api_thread(watch, "harbor")
    assert missing(comments + edited + replies, seen) == []

    # A moderator rejects each comment; its author reads the notice and appeals.
    reject_and_appeal(seeded, texts)
    assert seeded.failures == []
    appeals = list(Appeal.objects.order_by("pk"))
    assert len(appeals) >= len(texts) * 0.8, seeded.tallies
    watch.sign_in(moderator)
    seen = watch.visit("/moderate/appeals/")
    assert missing([appeal.text for appeal in appeals], seen) == []
    rows = len(seeded.notices)
    for path in spread(
        pages_of("/moderate/?queue=rejected", rows, per_page=25), tier["lists"]
    ):
        watch.visit(path)
    for notice in spread(seeded.notices, tier["each"]):
        watch.sign_in(notice.reader)
        watch.visit(f"/discussion/me/decisions/{notice.pk}/")
    watch.sign_in(administrator)
    for path in spread(
        pages_of("/newsroom/discussion/appeal/", len(appeals), per_page=100, name="p"),
        tier["lists"],
    ):
        watch.visit(path, back_office=True)
    for appeal in spread(appeals, tier["each"]):
        watch.visit(
            f"/newsroom/discussion/appeal/{appeal.pk}/change/", back_office=True
        )
        watch.visit(
            f"/newsroom/discussion/notice/{appeal.notice_id}/change/", back_office=True
        )

    assert watch.findings.problems == []
    watch.close()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reports_of(seeded) -> list[Report]:
    return list(
        Report.objects.filter(pk__in=[report.pk for report in seeded.reports])
        .select_related("comment")
        .order_by("pk")
    )


def refreshed(comments: list[Comment]) -> list[Comment]:
    stored = Comment.objects.in_bulk([comment.pk for comment in comments])
    return [stored[comment.pk] for comment in comments]


def api_thread(watch: Watch, slug: str) -> str:
    """Every page of a story's thread from the JSON API, each a JSON document
    whose comments' HTML, put on a page as a client would, runs nothing and holds
    only what a comment's HTML may. Returns the comments' text."""
    client = Client()
    address = f"/api/v1/articles/{slug}/comments"
    query, texts = {"sort": "oldest"}, []
    while query:
        response = client.get(address, query)
        assert response.status_code == 200, query
        assert response.headers["Content-Type"].startswith("application/json")
        page = json.loads(response.content)
        stack, html = list(page["comments"]), []
        while stack:
            comment = stack.pop()
            html.append(comment["body_html"])
            stack.extend(comment["replies"])
        where = f"{address}?{urlencode(query)}"
        texts.append(watch.render_html(where, "\n".join(html), tags=COMMENT_TAGS))
        cursor = page["next_cursor"]
        query = {"sort": "oldest", "after": cursor} if cursor else None
    return "\n".join(texts)


def test_sampled_payloads_in_the_discussion_run_nothing(live_server, chromium, paper):
    check_the_discussion(live_server, chromium, payloads(FAST), FAST)


@pytest.mark.full
def test_every_payload_in_the_discussion_runs_nothing(live_server, chromium, paper):
    check_the_discussion(live_server, chromium, payloads(FULL), FULL)


# Display names: refused with a reason, or shown beside comments inertly.


def check_display_names(live_server, chromium, texts, tier: dict) -> None:
    story = make_article(headline="Names", slug="names")
    moderator = make_moderator()
    names = seed_display_names(story, texts, moderator=moderator)
    assert names.tally.failures == []
    worn = [reader.display_name for reader in names.readers]
    assert worn, "some payloads make acceptable names"
    muter = make_commenter("Mute Everyone")
    for reader in names.readers:
        discussion.mute_reader(reader, actor=muter)

    # Every payload through the display-name form: a refusal shows what was
    # typed and why, inertly, and nothing is a server error.
    client = Client()
    client.force_login(make_commenter("Form Trier"))
    watch = Watch(chromium, live_server.url)
    watch.parse(
        [
            (text, client.post("/account/display-name/", {"display_name": text}))
            for text in texts
        ]
    )

    seen = watch.visit_all("/story/names/", NEXT_COMMENTS)
    watch.sign_in(muter)
    seen += watch.visit("/discussion/me/")
    assert missing(worn, seen) == []
    for reader in spread(names.readers, tier["each"]):
        watch.sign_in(reader)
        watch.visit("/account/")
        watch.visit("/account/display-name/")
        watch.visit("/discussion/me/")
    watch.sign_in(moderator)
    seen = watch.visit_all("/moderate/?queue=unmoderated&story=names", NEXT_PAGE)
    assert missing(worn, seen) == []
    for reader in spread(names.readers, tier["each"]):
        watch.visit(f"/moderate/reader/{reader.pk}/")
    watch.sign_in(make_staff("Administrator"))
    for path in pages_of(
        "/newsroom/accounts/user/", len(worn) + 20, per_page=100, name="p"
    ):
        watch.visit(path, back_office=True)
    for reader in spread(names.readers, tier["each"]):
        watch.visit(f"/newsroom/accounts/user/{reader.pk}/change/", back_office=True)

    assert watch.findings.problems == []
    watch.close()


def test_sampled_payloads_as_display_names_run_nothing(live_server, chromium, paper):
    check_display_names(live_server, chromium, payloads(FAST), FAST)


@pytest.mark.full
def test_every_payload_as_a_display_name_runs_nothing(live_server, chromium, paper):
    check_display_names(live_server, chromium, payloads(FULL), FULL)


# The wire: every reader-visible field of an agency's story and its photo; and
# the search box.


def check_the_wire(live_server, chromium, texts, tier: dict) -> None:
    wire = seed_wire(texts)
    assert wire.tally.failures == []
    assert wire.tally.stored >= len(texts) * 0.8, wire.tally
    drafts = seed_wire(spread(texts, tier["each"]), namespace="draft", publish=False)
    assert drafts.tally.failures == []
    stories = list(
        Article.objects.filter(pk__in=[article.pk for article in wire.articles])
        .select_related("lead_photo", "section")
        .order_by("pk")
    )
    section = stories[0].section

    # Each story's own page, as served, with its headline, subhead, byline,
    # dateline, text and photo; a spread of them visited under their policy.
    client = Client()
    watch = Watch(chromium, live_server.url)
    for story in stories:
        path = story.get_absolute_url()
        seen = watch.render(path, client.get(path))
        photo = story.lead_photo or Photo()
        shown = [story.headline, story.subhead, story.byline, story.dateline.upper()]
        assert missing([*shown, photo.credit, photo.caption], seen) == [], path
    for story in spread(stories, tier["each"]):
        watch.visit(story.get_absolute_url())

    # The fronts, Today's Paper and search list the stories.
    watch.visit("/")
    seen = watch.visit_all(section.get_absolute_url(), NEXT_PAGE)
    assert missing([story.headline for story in stories], seen) == []
    seen = watch.visit("/todays-paper/")
    assert missing([story.headline for story in stories], seen) == []
    for word in SEARCH_WORDS:
        watch.visit_all(f"/search/?{urlencode({'q': word})}", NEXT_PAGE)
    searched = spread(texts, SEARCHED)
    watch.parse([(text, client.get("/search/", {"q": text})) for text in searched])
    for text in spread(texts, tier["each"]):
        watch.visit(f"/search/?{urlencode({'q': text})}")

    # The newsroom's lists, story and photo pages, the Wire queue and previews.
    watch.sign_in(make_staff("Editor"))
    for name, rows in (("article", len(stories)), ("photo", len(stories))):
        for path in spread(
            pages_of(f"/newsroom/newsroom/{name}/", rows, per_page=100, name="p"),
            tier["lists"],
        ):
            watch.visit(path, back_office=True)
    for story in spread(stories, tier["each"]):
        watch.visit(f"/newsroom/newsroom/article/{story.pk}/change/", back_office=True)
        if story.lead_photo_id:
            watch.visit(
                f"/newsroom/newsroom/photo/{story.lead_photo_id}/change/",
                back_office=True,
            )
    watch.visit("/newsroom/wire/wirequeueitem/", back_office=True)
    for draft in drafts.articles:
        watch.visit(
            f"/newsroom/wire/wirequeueitem/{draft.pk}/change/", back_office=True
        )
        watch.visit(f"/preview/{draft.pk}/")

    problems = xml_problems(watch, section.slug)
    assert watch.findings.problems == []
    assert problems == []
    watch.close()


def xml_problems(watch: Watch, section: str) -> list[str]:
    """Feeds and sitemaps are well-formed XML, and the HTML of each feed item,
    put on a page as a feed reader would, runs nothing."""
    client = Client(raise_request_exception=False)
    problems = []
    addresses = [
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{section}/rss/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]
    for address in addresses:
        document, found = parsed_xml(client.get(address))
        problems.extend(f"{address}: {problem}" for problem in found)
        if document is None:
            continue
        html = [
            element.text
            for element in document.iter("description", "{*}summary", "{*}content")
            if element.text
        ]
        if html:
            watch.render_html(address, "\n".join(html), tags=FEED_TAGS)
        if address == "/sitemap.xml":
            addresses.extend(
                urlsplit(location.text).path for location in document.iter("{*}loc")
            )
    return problems


def parsed_xml(response):
    """The response as an XML document, or None and what is wrong with it."""
    if response.status_code != 200:
        return None, [f"answered {response.status_code}"]
    try:
        return lxml.etree.fromstring(response.content), []
    except lxml.etree.XMLSyntaxError as error:
        return None, [f"not well-formed XML: {error}"]


def test_sampled_payloads_from_the_wire_run_nothing(live_server, chromium, paper):
    check_the_wire(live_server, chromium, payloads(FAST), FAST)


@pytest.mark.full
def test_every_payload_from_the_wire_runs_nothing(live_server, chromium, paper):
    check_the_wire(live_server, chromium, payloads(FULL), FULL)


def test_wire_copy_with_control_characters_keeps_the_feeds_well_formed(
    live_server, chromium, paper
):
    """The naughty strings with control characters, as headlines and captions
    from the wire, once made /feeds/rss/ answer 500 (found by the full tier)."""
    texts = [text for text in every_payload() if CONTROL_CHARACTER.search(text)]
    assert len(texts) >= 3
    wire = seed_wire(texts)
    assert wire.tally.stored == len(texts)
    watch = Watch(chromium, live_server.url)
    assert xml_problems(watch, wire.articles[0].section.slug) == []
    for article in wire.articles:
        watch.visit(article.get_absolute_url())
    assert watch.findings.problems == []
    watch.close()


# Controls: each checker catches the fault a test-only page (xss_controls) puts
# in on purpose, in the site's own layout and under its policy.

UNESCAPED = {
    "<script>alert(1)</script>": ["script without the nonce", "policy violation"],
    '<img src="x" onerror="alert(1)">': ["event handler onerror", "policy violation"],
    "<svg onload=alert(1)>": ["<svg> element", "event handler onload"],
    '<a href=" javascript:alert(1)">link</a>': ['href=" javascript:alert(1)"'],
    '<iframe src="data:text/html,x"></iframe>': ["<iframe> element"],
    '<meta http-equiv="refresh" content="30;url=/">': ["<meta http-equiv>"],
    '<base href="/other/">': ["<base> element"],
    '<p style="color: red">x</p>': ["style attribute on <p>"],
    '<object data="x.swf"></object>': ["<object> element"],
    '<form action="https://example.invalid/"><button>Go</button></form>': [
        "form posting to another host"
    ],
    "<marquee>x</marquee>": ["<marquee> is not a tag the site emits"],
    '<script type="application/ld+json" nonce="wrong">{}</script>': [
        "nonce the policy does not name"
    ],
}


@pytest.fixture
def controls(settings, chromium, live_server, transactional_db):
    settings.ROOT_URLCONF = "tests.security.xss_controls"
    watch = Watch(chromium, live_server.url)
    yield watch
    watch.close()


def test_control_unescaped_markup_is_caught(controls):
    uncaught = {}
    for payload, expected in UNESCAPED.items():
        controls.findings.problems.clear()
        controls.visit(f"/xss-control/unescaped/?{urlencode({'payload': payload})}")
        found = "\n".join(controls.findings.problems)
        for sign in expected:
            if sign not in found:
                uncaught.setdefault(payload, []).append(sign)
    assert uncaught == {}


def test_control_the_escaped_layout_itself_is_clean(controls):
    controls.visit("/xss-control/unescaped/?payload=Harbor")
    assert controls.findings.problems == []


def test_control_script_carrying_the_nonce_is_caught_running(controls):
    controls.visit("/xss-control/hooked-calls/")
    ran = [
        problem.split("script ran: ")[1]
        for problem in controls.findings.problems
        if "script ran: " in problem
    ]
    names = [call.split("(")[0] for call in ran]
    assert names == [
        "alert",
        "confirm",
        "prompt",
        "print",
        "eval",
        "Function",
        "Function",
        "AsyncFunction",
        "setTimeout",
        "setInterval",
        "document.write",
    ]
    assert len(ran) == len(controls.findings.problems), "the nonce is the page's own"


def test_control_request_to_another_host_is_caught_and_goes_nowhere(controls):
    controls.visit("/xss-control/foreign-image/")
    assert controls.findings.problems == [
        "/xss-control/foreign-image/: request to another host: "
        + xss_controls.FOREIGN_IMAGE
    ]
    loaded = controls.evaluate("() => document.querySelector('main img').naturalWidth")
    assert loaded == 0


def test_control_server_error_is_caught(controls):
    controls.visit("/xss-control/broken/")
    assert controls.findings.problems[:2] == [
        "/xss-control/broken/: answered 500",
        "/xss-control/broken/: server error: 500 "
        + controls.base
        + "/xss-control/broken/",
    ]
    client = Client(raise_request_exception=False)
    controls.render("broken", client.get("/xss-control/broken/"))
    controls.parse([("broken", client.get("/xss-control/broken/"))])
    assert controls.findings.problems[-2:] == [
        "broken: answered 500",
        "'broken': answered 500",
    ]


def test_control_rendering_runs_what_an_unescaped_response_would(controls):
    """`render` writes a response where no policy guards it: a handler slipped
    into the markup runs and is caught running, besides being seen."""
    client = Client()
    payload = '<img src="x" onerror="alert(1)">'
    response = client.get("/xss-control/unescaped/", {"payload": payload})
    controls.render("unescaped", response)
    assert "unescaped: script ran: alert(1)" in controls.findings.problems
    controls.parse([("unescaped", response)])
    assert any(
        "'unescaped': unsafe markup: event handler onerror" in problem
        for problem in controls.findings.problems
    )


def test_control_a_field_whose_pages_do_not_show_it_is_caught():
    assert missing(["<b>Aloha</b>", "A  B"], "<b>Aloha</b> and A\nB") == []
    assert missing(["<b>Aloha</b>"], "Aloha") == ["<b>Aloha</b>"]


def test_control_a_feed_that_is_not_xml_is_caught():
    class Answer:
        status_code = 200
        content = b"<rss><title>Roses \x1b[0;31mred</title></rss>"

    document, problems = parsed_xml(Answer())
    assert document is None
    assert problems[0].startswith("not well-formed XML")
