"""Anonymous readers get pages from the cache, fresh after every change."""

import io
import re
import time
from datetime import timedelta
from email.utils import formatdate
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from gazette.discussion.services import moderation
from gazette.discussion.tests.builders import make_commenter, post
from gazette.newsroom import services as newsroom
from gazette.newsroom.models import Section
from gazette.pagecache import store
from gazette.pagecache.tasks import purge_task
from gazette.pagecache.wsgi import PageCache
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body
        self.text = body.decode()

    @property
    def outcome(self) -> str | None:
        return self.headers.get("X-Page-Cache")


@pytest.fixture
def app():
    return PageCache(WSGIHandler())


def fetch(app, path: str, *, method="GET", cookie="", **headers) -> Answer:
    """One request through the WSGI stack a server runs (the cache, then Django)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(b""),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    for name, value in headers.items():
        environ[f"HTTP_{name.upper()}"] = value
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=response_headers)

    # As Django's test client does: the test's transaction holds the
    # connection, which the end of a request would otherwise close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, start_response)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


@pytest.fixture
def story(db):
    return make_article(headline="Council weighs harbor plan", slug="harbor-plan")


def signed_in_cookie(reader) -> str:
    client = Client()
    client.force_login(reader)
    return f"sessionid={client.cookies['sessionid'].value}"


def without_nonces(text: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", text)


def test_the_second_anonymous_reader_gets_the_page_without_django(
    app, story, django_assert_num_queries
):
    first = fetch(app, story.get_absolute_url())
    assert first.status == 200
    assert first.outcome == "miss"
    assert "Council weighs harbor plan" in first.text
    assert "X-Page-Cache-Tags" not in first.headers
    with django_assert_num_queries(0):
        second = fetch(app, story.get_absolute_url())
    assert second.outcome == "hit"
    assert without_nonces(second.text) == without_nonces(first.text)
    assert second.headers["Content-Length"] == str(len(second.body))


def test_each_copy_of_a_page_carries_a_fresh_nonce_its_policy_names(app, story):
    fetch(app, story.get_absolute_url())
    nonces = set()
    for _ in range(3):
        answer = fetch(app, story.get_absolute_url())
        policy = answer.headers.get("Content-Security-Policy", "")
        [in_policy] = re.findall(r"'nonce-([^']+)'", policy)
        in_page = set(re.findall(r'nonce="([^"]+)"', answer.text))
        assert in_page == {in_policy}
        nonces.add(in_policy)
    assert len(nonces) == 3


def test_a_reader_with_a_session_gets_a_private_page_never_stored(app, story):
    reader = make_commenter("Ana Pua")
    cookie = signed_in_cookie(reader)
    answer = fetch(app, story.get_absolute_url(), cookie=cookie)
    assert answer.outcome is None
    assert "Ana Pua" in answer.text or "Your account" in answer.text
    assert "private" in answer.headers["Cache-Control"]
    anonymous = fetch(app, story.get_absolute_url())
    assert anonymous.outcome == "miss"
    assert "Your account" not in anonymous.text


def test_a_cached_page_says_how_long_a_cdn_may_keep_it(app, settings, story):
    settings.GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS = 7
    answer = fetch(app, story.get_absolute_url())
    directives = {d.strip() for d in answer.headers["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "must-revalidate", "s-maxage=7"} <= directives
    assert answer.headers["ETag"].startswith('"')
    assert answer.headers["Last-Modified"].endswith("GMT")


def test_a_revalidating_reader_gets_304_without_the_page(app, story):
    first = fetch(app, story.get_absolute_url())
    again = fetch(app, story.get_absolute_url(), if_none_match=first.headers["ETag"])
    assert again.status == 304
    assert again.body == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    later = formatdate(timezone.now().timestamp() + 60, usegmt=True)
    since = fetch(app, story.get_absolute_url(), if_modified_since=later)
    assert since.status == 304
    other = fetch(app, story.get_absolute_url(), if_none_match='"something-else"')
    assert other.status == 200


def test_head_is_answered_from_the_cache_without_a_body(app, story):
    fetch(app, story.get_absolute_url())
    answer = fetch(app, story.get_absolute_url(), method="HEAD")
    assert answer.status == 200
    assert answer.outcome == "hit"
    assert answer.body == b""


def test_an_editors_change_is_on_the_next_page_at_once(
    app, story, editor, django_capture_on_commit_callbacks
):
    fetch(app, story.get_absolute_url())
    fetch(app, "/")
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Council approves harbor plan"
        story.save()
    page = fetch(app, story.get_absolute_url())
    assert page.outcome == "miss"
    assert "Council approves harbor plan" in page.text
    assert fetch(app, "/").outcome == "miss", "the fronts list the story too"


def test_a_correction_purges_its_story(
    app, story, editor, django_capture_on_commit_callbacks
):
    fetch(app, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.correct_article(
            story, actor=editor, text="An earlier version misstated the vote."
        )
    page = fetch(app, story.get_absolute_url())
    assert page.outcome == "miss"
    assert "misstated the vote" in page.text


def test_a_new_comment_shows_at_once_then_later_ones_within_the_window(
    app, settings, story, django_capture_on_commit_callbacks
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ana, ben = make_commenter("Ana Pua"), make_commenter("Ben Kalani")
    fetch(app, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        post(story, ana, "The first word on the harbor")
    first = fetch(app, story.get_absolute_url())
    assert "The first word on the harbor" in first.text
    with django_capture_on_commit_callbacks(execute=True):
        post(story, ben, "A second word, in the same window")
    stale = fetch(app, story.get_absolute_url())
    assert stale.outcome == "hit"
    assert "A second word" not in stale.text
    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.filter(task_path=purge_task.module_path)
    wait = queued.run_after - timezone.now()
    assert timedelta(seconds=3) < wait <= timedelta(seconds=5)
    purge_task.call(*queued.args_kwargs["args"])
    fresh = fetch(app, story.get_absolute_url())
    assert "A second word, in the same window" in fresh.text


def test_the_purge_queued_for_a_window_covers_every_later_comment_in_it(
    app, settings, story, django_capture_on_commit_callbacks, time_machine
):
    # A busy story: the process that queued the window's purge asks the shared
    # cache nothing more for the rest of the window, and that one purge shows
    # every comment; the next window purges at once again.
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    time_machine.move_to(timezone.now(), tick=False)
    readers = [make_commenter(f"Reader {number}") for number in range(4)]
    for number, reader in enumerate(readers[:3]):
        with django_capture_on_commit_callbacks(execute=True):
            post(story, reader, f"Word number {number} on the harbor")
        fetch(app, story.get_absolute_url())
        time_machine.shift(timedelta(seconds=1))
    [queued] = DBTaskResult.objects.filter(task_path=purge_task.module_path)
    stale = fetch(app, story.get_absolute_url())
    assert "Word number 2" not in stale.text
    purge_task.call(*queued.args_kwargs["args"])
    time_machine.shift(timedelta(seconds=1))
    fresh = fetch(app, story.get_absolute_url()).text
    assert "Word number 1" in fresh and "Word number 2" in fresh
    assert fetch(app, story.get_absolute_url()).outcome == "hit"
    time_machine.shift(timedelta(seconds=settings.GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS))
    with django_capture_on_commit_callbacks(execute=True):
        post(story, readers[3], "A word in the next window")
    assert "A word in the next window" in fetch(app, story.get_absolute_url()).text


def test_with_an_immediate_queue_every_comment_purges_at_once(
    app, settings, story, django_capture_on_commit_callbacks
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    ana = make_commenter("Ana Pua")
    fetch(app, story.get_absolute_url())
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            post(story, ana, f"Comment number {number}")
        assert f"Comment number {number}" in fetch(app, story.get_absolute_url()).text


def test_a_comment_held_for_review_purges_nothing_until_it_is_let_through(
    app, settings, story, moderator, django_capture_on_commit_callbacks
):
    # An immediate queue: every purge asked for runs at once.
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    held_reader = make_commenter("Held Reader")
    moderation.set_premoderation(held_reader, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        post(story, make_commenter("Ana Pua"), "The first word on the harbor")
    fetch(app, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        held = post(story, held_reader, "Waiting for a moderator")
    assert held.state == held.State.PENDING
    # No anonymous page shows it, so none is purged.
    assert fetch(app, story.get_absolute_url()).outcome == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_comment(held, actor=moderator)
    page = fetch(app, story.get_absolute_url())
    assert page.outcome == "miss"
    assert "Waiting for a moderator" in page.text


def test_the_threads_json_is_cached_for_anonymous_readers_and_purged_with_its_story(
    app, settings, story, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    ana = make_commenter("Ana Pua")
    url = f"/api/v1/articles/{story.slug}/comments"
    post(story, ana, "The first word on the harbor")
    assert fetch(app, url).outcome == "miss"
    with django_assert_num_queries(0):
        hit = fetch(app, url)
    assert hit.outcome == "hit"
    assert hit.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "The first word on the harbor" in hit.text
    assert fetch(app, url + "?sort=oldest").outcome == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        post(story, ana, "A second word on the harbor")
    fresh = fetch(app, url)
    assert fresh.outcome == "miss"
    assert "A second word on the harbor" in fresh.text
    signed_in = fetch(app, url, cookie=signed_in_cookie(ana))
    assert signed_in.outcome is None, "a reader with a session is never served a copy"


def test_only_known_query_parameters_are_cached(app, story):
    sports = Section.objects.create(name="Sports", slug="sports")
    make_article(headline="Rainbows win", slug="rainbows-win", section=sports)
    url = sports.get_absolute_url()
    assert fetch(app, url).outcome == "miss"
    assert fetch(app, url).outcome == "hit"
    assert fetch(app, url + "?page=1").outcome == "miss"
    assert fetch(app, url + "?page=1").outcome == "hit"
    assert fetch(app, url + "?utm_source=x").outcome is None, "never stored"
    assert fetch(app, url + "?utm_source=x").outcome is None


def test_pages_no_view_marked_are_never_stored(app, story):
    for path in ("/account/sign-in/", "/search/?q=harbor", "/healthz"):
        fetch(app, path)
        assert fetch(app, path).outcome is None, path


def test_a_page_is_not_stored_past_its_life(app, settings, story):
    settings.GAZETTE_PAGE_CACHE_SECONDS = 300
    fetch(app, story.get_absolute_url())
    key = store.page_key("testserver", story.get_absolute_url(), "")
    page = store.pages().get(key)
    assert page is not None
    store.purge(f"story:{story.pk}")
    assert store.fresh_page(key) is None


def test_the_cache_can_be_switched_off(app, settings, story):
    settings.GAZETTE_PAGE_CACHE = False
    fetch(app, story.get_absolute_url())
    assert fetch(app, story.get_absolute_url()).outcome is None


def test_a_signed_in_readers_session_cookie_bypasses_even_a_stored_page(app, story):
    fetch(app, story.get_absolute_url())
    reader = make_commenter("Ana Pua")
    session = Client()
    session.force_login(reader)
    assert session.session[SESSION_KEY] == str(reader.pk)
    answer = fetch(app, story.get_absolute_url(), cookie=signed_in_cookie(reader))
    assert answer.outcome is None


def test_todays_paper_is_cached_unless_it_is_for_signed_in_readers(
    app, settings, story
):
    assert fetch(app, "/todays-paper/").outcome == "miss"
    assert fetch(app, "/todays-paper/").outcome == "hit"
    settings.GAZETTE_EDITION_SIGNED_IN_ONLY = True
    store.pages().clear()
    store.forget_recent()
    answer = fetch(app, "/todays-paper/")
    assert answer.status == 302
    assert fetch(app, "/todays-paper/").outcome is None


def test_another_servers_purge_reaches_this_one_within_its_local_seconds(
    app, settings, story, monkeypatch
):
    settings.GAZETTE_PAGE_CACHE_LOCAL_SECONDS = 1
    now = [1000.0]
    monkeypatch.setattr(store, "_clock", lambda: now[0])
    fetch(app, story.get_absolute_url())
    assert fetch(app, story.get_absolute_url()).outcome == "hit"
    # Another server purges: the shared cache learns it, this process has not.
    store.pages().set(f"{store.PURGED_PREFIX}story:{story.pk}", time.time())
    now[0] += 0.5
    assert fetch(app, story.get_absolute_url()).outcome == "hit"
    now[0] += 0.6
    assert fetch(app, story.get_absolute_url()).outcome == "miss"
