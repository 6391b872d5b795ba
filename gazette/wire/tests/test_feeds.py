"""Configured feeds: folders agencies drop files into and addresses fetched with
conditional GET, polled by a background task that keeps itself going."""

import io
import json
import re
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gazette.newsroom.models import Article
from gazette.testing import make_section
from gazette.wire import tasks
from gazette.wire.fetch import FetchError, fetch
from gazette.wire.models import WireFeed, WireVersion
from gazette.wire.services import import_url, poll_due_wire_feeds, poll_wire_feed
from gazette.wire.tests.test_formats import NEWS_MESSAGE, RSS, jpeg_bytes

LAST_MODIFIED = "Fri, 13 Dec 2024 10:00:00 GMT"


def ninjs(uri: str, headline: str, version: int = 1) -> bytes:
    return json.dumps(
        {
            "uri": uri,
            "version": str(version),
            "headlines": [{"role": "main", "value": headline}],
            "bodies": [
                {"contentType": "text/plain", "value": f"{headline}, v{version}."}
            ],
        }
    ).encode()


def url_feed(location: str, **changes) -> WireFeed:
    return WireFeed.objects.create(
        name=changes.pop("name", "Example Wire"),
        kind=WireFeed.Kind.URL,
        location=location,
        **changes,
    )


def folder_feed(folder, **changes) -> WireFeed:
    return WireFeed.objects.create(
        name=changes.pop("name", "Agency drop"),
        kind=WireFeed.Kind.FOLDER,
        location=str(folder),
        **changes,
    )


@pytest.mark.django_db
def test_an_unchanged_feed_costs_a_304_by_etag(wire_server):
    url = wire_server.serve("/feed.xml", RSS.encode(), etag='"v1"')
    feed = url_feed(url)
    assert poll_wire_feed(feed)["imported"] == 1
    assert feed.etag == '"v1"'
    counts = poll_wire_feed(feed)
    assert sum(counts.values()) == 0
    assert wire_server.requests[-1]["If-None-Match"] == '"v1"'
    assert feed.last_result == "imported 0, updated 0, skipped 0, failed 0"
    assert WireVersion.objects.count() == 1


@pytest.mark.django_db
def test_an_unchanged_feed_costs_a_304_by_last_modified(wire_server):
    url = wire_server.serve("/feed.xml", RSS.encode(), last_modified=LAST_MODIFIED)
    feed = url_feed(url)
    poll_wire_feed(feed)
    assert feed.last_modified == LAST_MODIFIED
    poll_wire_feed(feed)
    assert wire_server.requests[-1]["If-Modified-Since"] == LAST_MODIFIED
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_feed_is_fetched_again_and_updates_its_story(wire_server):
    uri = "urn:newsml:wire.example.com:vote"
    url = wire_server.serve("/item.json", ninjs(uri, "Vote set"), etag='"a"')
    feed = url_feed(url)
    poll_wire_feed(feed)
    wire_server.serve("/item.json", ninjs(uri, "Vote moved", version=2), etag='"b"')
    assert poll_wire_feed(feed)["updated"] == 1
    assert feed.etag == '"b"'
    assert Article.objects.get().headline == "Vote moved"


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["draft", "publish"])
def test_a_feed_files_drafts_in_the_wire_queue_or_publishes_into_its_section(
    wire_server, mode
):
    business = make_section(name="Business", slug="business")
    url = wire_server.serve("/feed.xml", RSS.encode())
    feed = url_feed(url, mode=mode, section=business if mode == "publish" else None)
    poll_wire_feed(feed)
    article = Article.objects.get()
    if mode == "publish":
        assert article.status == Article.Status.PUBLISHED
        assert article.section == business
        assert article.is_live
    else:
        assert article.status == Article.Status.DRAFT
        assert article.section.is_top_news
    assert WireVersion.objects.get().feed == feed


@pytest.mark.django_db
def test_a_feed_that_fails_notes_why_and_stores_nothing(wire_server):
    feed = url_feed(wire_server.url("/missing.xml"))
    counts = poll_wire_feed(feed)
    assert counts["failed"] == 1
    assert feed.last_error == "the server answered 404 Not Found"
    assert feed.last_polled_at is not None
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("http", None),
        (
            "file:///etc/passwd",
            "only http and https addresses can be fetched (not file)",
        ),
        ("ftp://127.0.0.1/feed.xml", "only http and https addresses can be fetched"),
        ("/etc/passwd", "only http and https addresses can be fetched (not a bare"),
    ],
)
def test_only_http_addresses_are_fetched(wire_server, address, refused):
    url = wire_server.serve("/feed.xml", RSS.encode())
    if refused is None:
        assert fetch(url).data == RSS.encode()
    else:
        with pytest.raises(FetchError, match=re.escape(refused)):
            fetch(address)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "[::1]", "10.1.2.3", "169.254.169.254"]
)
def test_private_and_own_addresses_are_refused_when_the_setting_says_so(settings, host):
    settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS = True
    with pytest.raises(FetchError, match="own address|private or local network"):
        fetch(f"http://{host}:9/feed.xml")


def test_a_redirect_to_a_local_file_is_refused(wire_server):
    url = wire_server.serve(
        "/moved", b"", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url)


def test_a_response_over_the_size_limit_is_refused(settings, wire_server):
    settings.GAZETTE_IMPORT_MAX_BYTES = 1000
    url = wire_server.serve("/big.xml", b"<rss>" + b" " * 5000 + b"</rss>")
    with pytest.raises(FetchError, match="the limit is 1,000"):
        fetch(url)


def test_a_server_that_does_not_answer_in_time_is_given_up(settings, wire_server):
    settings.GAZETTE_WIRE_FETCH_TIMEOUT = 1
    original = wire_server.httpd.RequestHandlerClass.do_GET

    def slow(handler):
        time.sleep(2)
        original(handler)

    wire_server.httpd.RequestHandlerClass.do_GET = slow
    url = wire_server.serve("/slow.xml", RSS.encode())
    started = time.monotonic()
    with pytest.raises(FetchError, match="could not fetch"):
        fetch(url)
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_the_import_command_takes_an_address(wire_server):
    url = wire_server.serve("/feed.xml", RSS.encode())
    stdout = io.StringIO()
    call_command("import", url, "--draft", stdout=stdout, stderr=io.StringIO())
    assert "imported: Vote set for Friday" in stdout.getvalue()
    assert Article.objects.get().status == Article.Status.DRAFT


@pytest.mark.django_db
def test_relative_photo_addresses_are_joined_to_the_feed_address(wire_server):
    url = wire_server.serve("/wire/message.xml", NEWS_MESSAGE.encode())
    [result] = import_url(url)
    assert result.article.lead_photo.image_url == wire_server.url("/wire/harbor.jpg")


@pytest.mark.django_db
def test_a_drop_folder_is_emptied_into_the_wire_queue(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-vote.json").write_bytes(ninjs("urn:x:vote", "Vote set"))
    (inbox / "b-broken.json").write_bytes(b'{"uri": "urn:x:bad", ')
    (inbox / "c-message.xml").write_text(NEWS_MESSAGE)
    (inbox / "harbor.jpg").write_bytes(jpeg_bytes())
    (inbox / "d-late.json.part").write_bytes(b"{")
    (inbox / "unrelated.jpg").write_bytes(jpeg_bytes())
    feed = folder_feed(inbox)
    counts = poll_wire_feed(feed)
    assert (counts["imported"], counts["failed"]) == (2, 1)
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert Article.objects.get(headline__startswith="Harbor").lead_photo.image
    assert sorted(path.name for path in inbox.iterdir() if path.is_file()) == [
        "d-late.json.part",
        "unrelated.jpg",
    ]
    assert sorted(path.name for path in (inbox / "done").iterdir()) == [
        "a-vote.json",
        "c-message.xml",
        "harbor.jpg",
    ]
    assert [path.name for path in (inbox / "failed").iterdir()] == ["b-broken.json"]
    assert feed.last_error.startswith("b-broken.json: the JSON is malformed")
    assert feed.last_result == "imported 2, updated 0, skipped 0, failed 1"


@pytest.mark.django_db
def test_a_missing_drop_folder_is_noted_on_the_feed(tmp_path):
    feed = folder_feed(tmp_path / "gone")
    poll_wire_feed(feed)
    assert feed.last_error == f"the folder {tmp_path / 'gone'} does not exist"


@pytest.mark.django_db
def test_only_active_feeds_whose_interval_has_passed_are_polled(tmp_path):
    now = timezone.now()
    due = folder_feed(tmp_path, name="due", last_polled_at=now - timedelta(hours=1))
    recent = folder_feed(tmp_path, name="recent", last_polled_at=now)
    paused = folder_feed(tmp_path, name="paused", is_active=False)
    poll_due_wire_feeds()
    for feed in (due, recent, paused):
        feed.refresh_from_db()
    assert due.last_polled_at > now
    assert recent.last_polled_at == now
    assert paused.last_polled_at is None


@pytest.mark.django_db
def test_the_poll_task_takes_in_what_the_feeds_have(tmp_path):
    (tmp_path / "vote.json").write_bytes(ninjs("urn:x:vote", "Vote set"))
    folder_feed(tmp_path)
    result = tasks.poll_due_wire_feeds_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "imported 1, updated 0, skipped 0, failed 0"
    assert Article.objects.get().headline == "Vote set"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_polls():
    return DBTaskResult.objects.filter(
        task_path=tasks.poll_due_wire_feeds_task.module_path,
        status=TaskResultStatus.READY,
    )


def run_queued_poll():
    """Run the waiting poll as `gazette worker` does: claim it, call it, record it.
    (The worker itself closes the database connection a test runs inside.)"""
    queued = waiting_polls().get()
    queued.claim("test-worker")
    queued.set_successful(queued.task.call())


@pytest.mark.django_db
def test_polling_keeps_itself_going_in_the_worker(database_queue, settings, tmp_path):
    settings.GAZETTE_WIRE_POLL_SECONDS = 120
    (tmp_path / "vote.json").write_bytes(ninjs("urn:x:vote", "Vote set"))
    folder_feed(tmp_path)
    stdout = io.StringIO()
    call_command("wire", "poll", stdout=stdout)
    assert "Polling queued" in stdout.getvalue()
    call_command("wire", "poll", stdout=io.StringIO())
    assert waiting_polls().count() == 1
    run_queued_poll()
    assert Article.objects.get().headline == "Vote set"
    [next_poll] = waiting_polls()
    assert (
        timedelta(seconds=100)
        < next_poll.run_after - timezone.now()
        <= timedelta(seconds=120)
    )


@pytest.mark.django_db
def test_saving_a_feed_in_the_back_office_starts_its_polling(
    database_queue, admin_client, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/newsroom/wire/wirefeed/add/",
            {
                "name": "Agency drop",
                "kind": "folder",
                "location": str(tmp_path),
                "mode": "draft",
                "is_active": "on",
                "poll_every": "300",
            },
        )
    assert response.status_code == 302
    assert WireFeed.objects.get().name == "Agency drop"
    assert waiting_polls().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "publish"}, "needs a section"),
        ({"kind": "url", "location": "file:///etc/passwd"}, "Only http and https"),
        ({"location": "relative/folder"}, "absolute path"),
    ],
)
def test_a_feed_that_cannot_work_is_refused_in_the_back_office(
    admin_client, tmp_path, changes, message
):
    fields = {"name": "Agency drop", "kind": "folder", "location": str(tmp_path),
              "mode": "draft", "is_active": "on", "poll_every": "300"}  # fmt: skip
    response = admin_client.post("/newsroom/wire/wirefeed/add/", {**fields, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WireFeed.objects.exists()


@pytest.mark.django_db
def test_poll_now_reports_counts_and_fails_on_a_bad_file(tmp_path):
    (tmp_path / "vote.json").write_bytes(ninjs("urn:x:vote", "Vote set"))
    (tmp_path / "bad.json").write_bytes(b"{")
    folder_feed(tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 item"):
        call_command("wire", "poll", "--now", "--all", stdout=stdout, stderr=stderr)
    assert (
        "Agency drop: imported 1, updated 0, skipped 0, failed 1" in stdout.getvalue()
    )
    assert "Agency drop: bad.json: the JSON is malformed" in stderr.getvalue()
