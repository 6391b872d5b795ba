"""Signed-in readers who see a story alike get a kept page, as fresh as a render."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from gazette.discussion import rendering, selectors
from gazette.discussion import services as discussion
from gazette.discussion.models import Comment
from gazette.discussion.tests.builders import make_commenter, post
from gazette.newsroom import services as newsroom
from gazette.pagecache import signed_in as kept_pages
from gazette.testing import make_article, make_photo, make_staff

pytestmark = pytest.mark.django_db

STORY_URL = "/story/harbor-plan/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NONCE = re.compile(r'nonce="([^"]*)"')


@pytest.fixture
def story(db):
    story = make_article(
        headline="Council weighs harbor plan",
        slug="harbor-plan",
        lead_photo=make_photo(caption="Boats in the harbor at dawn."),
    )
    post(story, make_commenter("Kim Opener"), "The first word on the harbor.")
    return story


def signed_in(reader) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def comparable(response) -> str:
    """The page without what differs on every answer: the nonce, the token."""
    page = NONCE.sub("", response.content.decode())
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


def rendered_afresh(client) -> str:
    """The page rendered for this reader, the kept pages set aside meanwhile."""
    kept = dict(kept_pages._pages)
    kept_pages._pages.clear()
    try:
        return comparable(client.get(STORY_URL))
    finally:
        kept_pages._pages.clear()
        kept_pages._pages.update(kept)


def page_and_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(STORY_URL)
    return page, len(queries)


def test_a_reader_alike_gets_the_kept_page_with_their_own_token_and_nonce(
    story, settings
):
    ana, ben = make_commenter("Ana Pua"), make_commenter("Ben Kalani")
    first, rendering_queries = page_and_queries(signed_in(ana))
    assert len(kept_pages._pages) == 1
    reader = signed_in(ben)
    kept, kept_queries = page_and_queries(reader)
    assert kept_queries < rendering_queries
    assert comparable(kept) == comparable(first) == rendered_afresh(reader)

    [token] = set(TOKEN.findall(kept.content.decode()))
    assert token not in first.content.decode()
    [nonce] = set(NONCE.findall(kept.content.decode()))
    assert f"'nonce-{nonce}'" in kept["Content-Security-Policy"]
    assert nonce not in first.content.decode()
    assert "kept-page" not in kept.content.decode()
    assert kept["Cache-Control"] == "private, no-cache"

    answer = reader.post(
        reverse("discussion:post", kwargs={"slug": story.slug}),
        {"body": "A fair plan, if the dredging is paid for.", "next": STORY_URL},
        HTTP_X_CSRFTOKEN=token,
    )
    assert answer.status_code == 302, "the token in the kept page is Ben's"
    page = reader.get(STORY_URL).content.decode()
    assert "A fair plan, if the dredging is paid for." in page
    assert "comment--own" in page, "Ben has a part of his own now: his own page"


def test_the_kept_page_follows_each_change_to_what_it_shows(
    story, settings, django_capture_on_commit_callbacks
):
    reader = signed_in(make_commenter("Ana Pua"))
    editor = make_staff("Editor")
    moderator = make_staff("Moderator")
    other = make_commenter("Ben Kalani")
    reader.get(STORY_URL)
    section = story.section
    photo = story.lead_photo

    def rename_section():
        section.name = "Harbor News"
        section.save()

    def recaption_photo():
        photo.caption = "Dredgers at work off the pier."
        newsroom.save_photo(photo, actor=editor)

    def retitle_story():
        story.headline = "Council approves harbor plan"
        newsroom.save_article(story, actor=editor)

    comment = None

    def comment_posted():
        nonlocal comment
        comment = post(story, other, "Dredging costs money.")

    # The story's own row and the thread's are read with every page: their
    # changes show at once, purged or not (the discussion's purges wait).
    unpurged = [
        (retitle_story, "Council approves harbor plan"),
        (comment_posted, "Dredging costs money."),
        (
            lambda: discussion.feature_comment(comment, actor=moderator),
            ">Featured</a>",
        ),
    ]
    # The rest of the page is kept until its page-cache tags are purged.
    purged = [
        (
            lambda: newsroom.correct_article(
                story, actor=editor, text="An earlier version misstated the vote."
            ),
            "misstated the vote",
        ),
        (recaption_photo, "Dredgers at work off the pier."),
        (rename_section, "Harbor News"),
        (
            lambda: discussion.close_discussion(story, actor=editor),
            "Comments on this story are closed.",
        ),
    ]
    changes = [(change, showing, False) for change, showing in unpurged]
    changes += [(change, showing, True) for change, showing in purged]
    for change, showing, purging in changes:
        assert kept_pages._pages, "a kept page to go stale"
        with django_capture_on_commit_callbacks(execute=purging):
            change()
        page = comparable(reader.get(STORY_URL))
        assert showing in page
        assert page == rendered_afresh(reader)


def test_a_page_older_than_the_page_cache_allows_is_rendered_again(story, settings):
    reader = signed_in(make_commenter("Ana Pua"))
    settings.GAZETTE_PAGE_CACHE_SECONDS = 0
    reader.get(STORY_URL)
    _, queries = page_and_queries(reader)
    settings.GAZETTE_PAGE_CACHE_SECONDS = 300
    reader.get(STORY_URL)
    _, kept_queries = page_and_queries(reader)
    assert kept_queries < queries


@pytest.mark.parametrize(
    "who", ["awaiting", "muter", "banned", "staff", "message", "sorted"]
)
def test_a_reader_with_a_page_of_their_own_gets_it_rendered(story, settings, who):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    # Every comment waits for a moderator (a setting's change forgets kept pages).
    settings.GAZETTE_PREMODERATE_ALL = who == "awaiting"
    onlooker = signed_in(make_commenter("Ana Pua"))
    onlooker.get(STORY_URL)
    [kept_page] = kept_pages._pages.values()
    _, kept_queries = page_and_queries(onlooker)
    reader = make_staff("Moderator") if who == "staff" else make_commenter("Ben K")
    client = signed_in(reader)
    address, showing, missing = STORY_URL, None, None
    opener = story.thread.comments.get()
    if who == "awaiting":
        post(story, reader, "My own view on the harbor.")
        showing = "only you can see this comment"
    elif who == "muter":
        discussion.mute_reader(opener.author, actor=reader)
        missing = opener.body
    elif who == "banned":
        discussion.ban_reader(reader, actor=make_staff("Moderator"), reason="Abuse.")
        showing = "You are banned from the discussion."
    elif who == "message":
        client.post(
            reverse("discussion:notices"),
            {"email_replies": "on"},
            HTTP_X_CSRFTOKEN=csrf_token(client),
        )
        showing = "We will email you when someone replies to you."
    elif who == "sorted":
        address = f"{STORY_URL}?sort=oldest"
        showing = '?sort=oldest#comments" hx-get'
    with CaptureQueriesContext(connection) as queries:
        page = client.get(address).content.decode()
    assert len(queries) > kept_queries, "rendered for them, not sent from the kept"
    if showing:
        assert showing in page
        assert showing.encode() not in kept_page.content or who == "sorted"
    if missing:
        assert missing not in page
        assert missing.encode() in kept_page.content
    assert list(kept_pages._pages.values()) == [kept_page]


def csrf_token(client) -> str:
    return client.get("/api/v1/session").json()["csrf_token"]


def test_the_kept_pages_stay_within_their_bound(settings):
    settings.GAZETTE_SIGNED_IN_PAGES_KEPT = 2
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    reader = signed_in(make_commenter("Ana Pua"))
    opener = make_commenter("Kim Opener")
    for number in range(3):
        story = make_article(slug=f"harbor-{number}")
        post(story, opener, f"A word on harbor story {number}.")
        assert f"harbor story {number}" in reader.get(f"/story/harbor-{number}/").text
    assert len(kept_pages._pages) == 2


def test_a_page_showing_the_token_outside_its_field_is_not_kept(story, rf):
    reader = make_commenter("Ana Pua")
    request = rf.get(STORY_URL)
    request.user = reader
    request.csp_nonce = "a-nonce"
    token = "t" * 64
    alike = kept_pages.Alike(identity=("story",), version=(1,), tags=("site",))
    look = kept_pages.Look(viewer=None, discussion=None, own_page=False, alike=alike)
    field = kept_pages.TOKEN_FIELD.format(token)
    for content, kept in [
        (f'<form>{field}</form><script nonce="a-nonce"></script>', True),
        (f"<form>{field}</form><p>Your token: {token}</p>", False),
        (f'<form>{field}</form><p data-nonce="a-nonce"></p>', False),
    ]:
        kept_pages._pages.clear()
        response = HttpResponse(content)
        kept_pages.keep(request, look, response, rendered_at=time.time(), token=token)
        assert bool(kept_pages._pages) is kept, content


def rendered_for_them_alone(client) -> str:
    """The page a render for this reader alone gives: no page kept or shared."""
    with override_settings(GAZETTE_SIGNED_IN_PAGES_KEPT=0):
        return comparable(client.get(STORY_URL))


def marked_thread(story, reader, *, featured: bool = False):
    """Comments by others, and the reader's marks on them: two comments of their
    own (one a reply, one past its edit window), a Respect and a report."""
    opener = story.thread.comments.get()
    answered = post(story, make_commenter("Kai Two"), "Dredging pays for itself.")
    reply = post(story, make_commenter("Lei Three"), "Not here.", parent=answered)
    mine = post(story, reader, "The port needs it, and soon.", parent=reply)
    older = post(story, reader, "As I said last week: dredge.")
    Comment.objects.filter(pk=older.pk).update(
        created_at=older.created_at - timedelta(days=1)
    )
    discussion.respect_comment(opener, actor=reader)
    discussion.report_comment(answered, actor=reader, reason="off_topic")
    if featured:
        moderator = make_staff("Moderator")
        for comment in [opener, answered, mine]:
            discussion.feature_comment(comment, actor=moderator)


@pytest.mark.parametrize("featured", [False, True], ids=["newest", "featured"])
@pytest.mark.parametrize("first", ["onlooker", "marked reader"])
def test_a_reader_with_marks_gets_the_shared_page_with_their_marks_put_in(
    story, settings, first, featured
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    reader = make_commenter("Ben Kalani")
    marked_thread(story, reader, featured=featured)
    client, onlooker = signed_in(reader), signed_in(make_commenter("Ana Pua"))
    theirs, shared = rendered_for_them_alone(client), rendered_for_them_alone(onlooker)
    marks = ["comment--own", 'aria-pressed="true"', "Reported</span>", "Edit<span"]
    for mark in marks:
        assert mark in theirs and mark not in shared
    assert ("In reply to" in theirs) is featured

    # Whoever comes first renders the page everyone alike shares, and keeps it.
    for who in [onlooker, client] if first == "onlooker" else [client, onlooker]:
        page = comparable(who.get(STORY_URL))
        assert page == (theirs if who is client else shared)
    [kept] = kept_pages._pages.values()
    assert not any(mark.encode() in kept.content for mark in marks)

    _, kept_queries = page_and_queries(onlooker)
    page, queries = page_and_queries(client)
    assert comparable(page) == theirs
    assert queries == kept_queries + 1, "one query for their marks, no render"
    assert comparable(onlooker.get(STORY_URL)) == shared
    [token] = set(TOKEN.findall(page.content.decode()))
    answer = client.post(
        reverse("discussion:post", kwargs={"slug": story.slug}),
        {"body": "And the breakwater too.", "next": STORY_URL},
        HTTP_X_CSRFTOKEN=token,
    )
    assert answer.status_code == 302, "the token in their page is theirs"


def test_marks_the_shared_page_cannot_take_get_a_page_of_their_own(
    story, settings, monkeypatch
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    reader = make_commenter("Ben Kalani")
    marked_thread(story, reader)
    client, onlooker = signed_in(reader), signed_in(make_commenter("Ana Pua"))
    theirs, shared = rendered_for_them_alone(client), rendered_for_them_alone(onlooker)
    # The comments the page shows are not known (a newer list took their place).
    monkeypatch.setattr(rendering, "first_page_comments", lambda key: None)
    assert comparable(client.get(STORY_URL)) == theirs
    assert comparable(client.get(STORY_URL)) == theirs
    assert comparable(onlooker.get(STORY_URL)) == shared


def test_what_a_thread_shows_of_a_readers_own(story, settings, monkeypatch):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    opener = story.thread.comments.get()
    reader = make_commenter("Ben Kalani")
    viewer = selectors.viewer_of(reader)
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.NONE
    assert selectors.marks_on(viewer, [opener]) == selectors.Marks()

    discussion.respect_comment(opener, actor=reader)
    mine = post(story, reader, "The port needs it.")
    other = post(story, make_commenter("Kai Two"), "Dredge it.")
    discussion.report_comment(other, actor=reader, reason="off_topic")
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.MARKS
    page = [opener, mine, other, post(story, opener.author, "Unmarked.")]
    marks = selectors.Marks(own={mine.pk}, respected={opener.pk}, reported={other.pk})
    assert selectors.marks_on(viewer, page) == marks
    monkeypatch.setattr(selectors.comments, "MARKS_AT_ONCE", 1)
    assert selectors.marks_on(viewer, page) == marks, "asked in parts, the same"

    discussion.delete_comment(mine, actor=reader)
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.MARKS
    settings.GAZETTE_PREMODERATE_ALL = True
    awaiting = post(story, reader, "A second thought.")
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.OWN
    awaiting.delete()
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.MARKS
    discussion.mute_reader(opener.author, actor=reader)
    assert selectors.own_part(viewer, story.thread) is selectors.OwnPart.OWN


def test_a_kept_page_puts_each_readers_token_nonce_and_comments_in_place():
    def article(pk, text, form=True):
        field = kept_pages.TOKEN_MARK if form else ""
        return (
            f'<article class="comment" id="comment-{pk}"><p>{text}</p>{field}</article>'
        )

    page = (
        '<script nonce="kept-page-nonce"></script><article class="story">'
        f"{kept_pages.TOKEN_MARK}{article(1, 'One')}{article(2, 'Two', form=False)}"
        f"{article(3, 'Three')}</article>{kept_pages.TOKEN_MARK}"
    )
    segments, spans = kept_pages._cut(page.encode())
    kept = kept_pages.KeptPage(
        version=(1,),
        tags=(),
        rendered_at=0,
        segments=tuple(segments),
        content_type="text/html",
        spans=spans,
        comments={},
    )
    assert kept.content == page.encode() and set(spans) == {1, 2, 3}
    theirs = {}
    for pk, text in [(2, "Mine"), (3, "Respected")]:
        cut, places = kept_pages._cut(article(pk, text).encode())
        first, end = places[pk]
        theirs[pk] = cut[first:end]

    def as_sent(page: str) -> bytes:
        return (
            page.replace(kept_pages.TOKEN_MARK, kept_pages.TOKEN_FIELD.format("T"))
            .replace("kept-page-nonce", "N")
            .encode()
        )

    assert kept.for_reader("T", "N") == as_sent(page)
    expected = page.replace(article(2, "Two", form=False), article(2, "Mine"))
    expected = expected.replace(article(3, "Three"), article(3, "Respected"))
    assert kept.for_reader("T", "N", theirs) == as_sent(expected)
    assert kept.for_reader("T", "N") == as_sent(page), "the kept page unchanged"
