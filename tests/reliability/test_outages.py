"""Database trouble: a write lock held past the busy timeout, an unreadable SQLite
file, a PostgreSQL server out of reach. Readers get stored pages, writers a 503
page with Retry-After (JSON under /api/), never a traceback; /healthz says 503;
static files are served; everything comes back by itself."""

import logging
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connection,
)
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.test import Client

from gazette.discussion.models import Comment
from gazette.discussion.tests.builders import make_commenter
from gazette.outages import is_outage
from gazette.testing import make_article, make_section
from tests.reliability import servers
from tests.reliability.checkers import outage_problems
from tests.reliability.proxy import Proxy
from tests.security.checkers import markup_problems

STATIC_FILE = "/static/gazette/css/site.css"


# In-process: the test database, locked by another connection.


@contextmanager
def table_locked(table: str, *, reads_too: bool = False):
    """Another connection holds a lock on `table` until the block ends; the app's
    connection gives up at once (SQLite's shared in-memory test database never
    waits on a lock) or after 200 ms (PostgreSQL, lock_timeout)."""
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(
            connection.settings_dict["NAME"], uri=True, isolation_level=None
        )
        holder.execute("BEGIN IMMEDIATE")
        try:
            if reads_too:
                # Writing the table takes its lock (shared-cache table locks).
                holder.execute(f"DELETE FROM {table} WHERE rowid < 0")
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    settings = connection.settings_dict
    holder = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    mode = "ACCESS EXCLUSIVE" if reads_too else "EXCLUSIVE"
    try:
        holder.execute(f"LOCK TABLE {table} IN {mode} MODE")
        yield
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def harbor_story():
    # In a section of its own: a transactional test's flush took the migrations'
    # Top News section away.
    return make_article(
        headline="Harbor plan goes to a vote",
        slug="harbor-vote",
        section=make_section(name="Local", slug="local"),
    )


@pytest.fixture
def signed_in(settings):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    story = harbor_story()
    reader = make_commenter("Ana Pua")
    browser = Client(raise_request_exception=False)
    browser.force_login(reader)
    return story, browser


def send_comment(browser, story, how: str, body: str):
    if how == "api":
        return browser.post(
            f"/api/v1/articles/{story.slug}/comments",
            {"body": body},
            content_type="application/json",
        )
    return browser.post(f"/discussion/story/{story.slug}/post/", {"body": body})


def outages_logged(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "gazette.outages"
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["form", "api"])
def test_a_comment_sent_while_the_write_lock_is_held_gets_503_then_goes_through(
    signed_in, caplog, how
):
    story, browser = signed_in
    caplog.set_level(logging.WARNING, logger="gazette.outages")
    with table_locked("discussion_comment"):
        refused = send_comment(browser, story, how, "Sent during the lock")
    assert (
        outage_problems(
            refused.status_code,
            refused.headers,
            refused.content.decode(),
            api=how == "api",
        )
        == []
    )
    [line] = outages_logged(caplog)
    assert "database.unavailable method=POST" in line
    assert not Comment.objects.exists()

    accepted = send_comment(browser, story, how, "Sent after the lock")
    assert accepted.status_code in {201, 302}, accepted.content[:300]
    assert Comment.objects.get().body == "Sent after the lock"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["form", "api"])
def test_a_request_refused_for_the_outage_is_logged_in_one_line(signed_in, caplog, how):
    # Django's own "Service Unavailable" at ERROR level doubled every line of an
    # outage, an alert for each reader refused.
    story, browser = signed_in
    caplog.set_level(logging.INFO)
    with table_locked("discussion_comment"):
        send_comment(browser, story, how, "Sent during the lock")
    logged = [
        (record.name, record.levelname)
        for record in caplog.records
        if record.levelno >= logging.WARNING
    ]
    assert logged == [("gazette.outages", "WARNING")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("address", "is_answered_by_the_middleware"),
    [
        # /healthz never reads the session; the page cache's middleware does, on
        # the way out, and handler500 answers.
        pytest.param("/healthz", False, id="read by a middleware"),
        pytest.param("/story/harbor-vote/", True, id="read by the page"),
    ],
)
def test_a_reader_whose_session_cannot_be_read_gets_the_503_page(
    signed_in, caplog, address, is_answered_by_the_middleware
):
    _, browser = signed_in
    caplog.set_level(logging.WARNING)
    with table_locked("django_session", reads_too=True):
        answer = browser.get(address)
    page = answer.content.decode()
    assert outage_problems(answer.status_code, answer.headers, page) == []
    assert bool(outages_logged(caplog)) is is_answered_by_the_middleware
    assert browser.get(address).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_while_the_database_cannot_be_read_and_200_after(client):
    assert client.get("/healthz").status_code == 200
    with table_locked("django_migrations", reads_too=True):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"database": "unavailable"}
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("unable to open database file"), True),
        (InterfaceError("connection already closed"), True),
        (DatabaseError("file is not a database"), True),
        (IntegrityError("UNIQUE constraint failed"), False),
        (ProgrammingError("syntax error"), False),
        (DataError("value too long"), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_an_unusable_database_is_an_outage_not_a_wrong_query(error, outage):
    assert is_outage(error) is outage


# Controls: the same checker on deliberately wrong answers must object.


def wrong_answers():
    debug_page = HttpResponse(
        "<h1>OperationalError at /discussion/</h1><pre>Traceback (most recent call "
        'last):\n  File "/app/gazette/views.py"</pre>',
        status=500,
    )
    no_retry = HttpResponse("<h1>Back in a moment</h1>", status=503)
    no_retry["Cache-Control"] = "no-cache"
    cached = HttpResponse("<h1>Back in a moment</h1>", status=503)
    cached["Retry-After"] = "30"
    no_detail = JsonResponse({"error": "down"}, status=503)
    no_detail["Retry-After"], no_detail["Cache-Control"] = "30", "no-cache"
    return {
        "a debug page": (debug_page, False, "not 503"),
        "no Retry-After": (no_retry, False, "Retry-After"),
        "a cacheable 503": (cached, False, "may be cached"),
        "JSON without detail": (no_detail, True, '"detail"'),
    }


@pytest.mark.parametrize("name", list(wrong_answers()))
def test_control_a_wrong_outage_answer_is_flagged(name):
    answer, api, flagged = wrong_answers()[name]
    problems = outage_problems(
        answer.status_code, answer.headers, answer.content.decode(), api=api
    )
    assert any(flagged in problem for problem in problems), problems


def test_control_a_traceback_in_a_503_is_flagged():
    answer = HttpResponse(
        "<h1>Back</h1>django.db.utils.OperationalError: database is locked", status=503
    )
    answer["Retry-After"], answer["Cache-Control"] = "30", "no-cache"
    problems = outage_problems(503, answer.headers, answer.content.decode())
    assert any("OperationalError" in problem for problem in problems)


# Real servers: gunicorn on its own database, troubled from outside.


@pytest.fixture
def sqlite_site(tmp_path, migrated_sqlite, collected_static):
    """A server's environment on a fresh copy of the migrated SQLite database,
    with a story and a signed-in reader in it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own trouble, tested on the SQLite run")
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copy(migrated_sqlite, var_dir / "gazette.sqlite3")
    environment = servers.environment(
        var_dir, collected_static, GAZETTE_SQLITE_BUSY_SECONDS="1"
    )
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    return environment, servers.seed(environment), var_dir / "gazette.sqlite3"


def assert_writers_get_503(address: str, seeded: dict, token: str) -> None:
    cookie = seeded["cookie"]
    api = servers.post_comment(
        address, seeded["slug"], "Sent in trouble", cookie=cookie, token=token
    )
    assert outage_problems(api.status, api.headers, api.body, api=True) == []
    form = servers.post_form(
        address, seeded["slug"], "Sent in trouble", cookie=cookie, token=token
    )
    assert outage_problems(form.status, form.headers, form.body) == []


@pytest.mark.full
def test_sqlite_a_write_lock_held_past_the_busy_timeout(sqlite_site):
    environment, seeded, database = sqlite_site
    with servers.running_server(environment) as address:
        story = address + seeded["story"]
        token = servers.csrf_token(address, seeded["cookie"])
        assert servers.request(story).status == 200
        holder = sqlite3.connect(database, isolation_level=None, timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            assert_writers_get_503(address, seeded, token)
            # Each writer waited the busy timeout (1 s here), no longer.
            assert time.monotonic() - started < 8
            # WAL: readers go on while a writer holds the lock.
            assert servers.request(story).status == 200
            signed_in = servers.request(story, headers={"Cookie": seeded["cookie"]})
            assert signed_in.status == 200
            assert servers.request(address + "/healthz").status == 200
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        after = servers.post_comment(
            address,
            seeded["slug"],
            "Sent after the lock",
            cookie=seeded["cookie"],
            token=token,
        )
        assert after.status == 201, after.body[:300]


def spoil_by_directory(database: Path) -> None:
    database.mkdir()


def spoil_by_garbage(database: Path) -> None:
    database.write_bytes(b"not a database, " * 4096)


@pytest.mark.full
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(spoil_by_directory, id="the file cannot be opened"),
        pytest.param(spoil_by_garbage, id="the file is not a database"),
    ],
)
def test_sqlite_an_unreadable_database_file(sqlite_site, spoil):
    environment, seeded, database = sqlite_site
    with servers.running_server(environment) as address:
        story = address + seeded["story"]
        token = servers.csrf_token(address, seeded["cookie"])
        assert servers.request(story).headers.get("X-Page-Cache") == "miss"

        aside = database.with_name("aside.sqlite3")
        database.rename(aside)
        spoil(database)
        try:
            assert servers.request(address + "/healthz").status == 503
            assert servers.request(address + STATIC_FILE).status == 200
            stored = servers.request(story)
            assert (stored.status, stored.headers.get("X-Page-Cache")) == (200, "hit")
            unstored = servers.request(address + "/search/?q=harbor")
            assert (
                outage_problems(unstored.status, unstored.headers, unstored.body) == []
            )
            assert_writers_get_503(address, seeded, token)
        finally:
            if database.is_dir():
                database.rmdir()
            else:
                database.unlink()
            aside.rename(database)

        # No restart: the next requests find the file again.
        assert servers.request(address + "/healthz").status == 200
        after = servers.post_comment(
            address, seeded["slug"], "Sent after", cookie=seeded["cookie"], token=token
        )
        assert after.status == 201, after.body[:300]


@pytest.mark.full
@pytest.mark.django_db(transaction=True)
def test_postgresql_out_of_reach_and_back(tmp_path, collected_static):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own trouble, tested on the PostgreSQL run")
    database = connection.settings_dict
    proxy = Proxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.restore()
    url = servers.postgresql_url(database["NAME"], port=proxy.port)
    story = harbor_story()
    reader = make_commenter("Ana Pua")
    browser = Client()
    browser.force_login(reader)
    seeded = {
        "slug": story.slug,
        "story": story.get_absolute_url(),
        "cookie": f"sessionid={browser.cookies['sessionid'].value}",
    }
    environment = servers.environment(
        tmp_path / "var", collected_static, DATABASE_URL=url
    )
    environment.pop("REDIS_URL", None)
    try:
        with servers.running_server(environment) as address:
            page = address + seeded["story"]
            token = servers.csrf_token(address, seeded["cookie"])
            assert servers.request(page).headers.get("X-Page-Cache") == "miss"
            for _ in range(4):  # both workers hold a connection now
                assert servers.request(address + "/healthz").status == 200

            proxy.cut()
            for _ in range(4):
                assert servers.request(address + "/healthz").status == 503
            assert servers.request(address + STATIC_FILE).status == 200
            stored = servers.request(page)
            assert (stored.status, stored.headers.get("X-Page-Cache")) == (200, "hit")
            signed_in = servers.request(page, headers={"Cookie": seeded["cookie"]})
            assert (
                outage_problems(signed_in.status, signed_in.headers, signed_in.body)
                == []
            )
            assert_writers_get_503(address, seeded, token)

            proxy.restore()
            # No restart: every worker's next request connects again.
            for _ in range(4):
                assert servers.request(address + "/healthz").status == 200
            after = servers.post_comment(
                address,
                seeded["slug"],
                "Sent after",
                cookie=seeded["cookie"],
                token=token,
            )
            assert after.status == 201, after.body[:300]
    finally:
        proxy.cut()


def test_the_503_page_needs_no_database_script_or_inline_style():
    # Rendered without a request or a query: it must need neither, nor a nonce.
    page = render_to_string("503.html")
    assert "<h1>Back in a moment</h1>" in page
    assert markup_problems(page, None) == []
