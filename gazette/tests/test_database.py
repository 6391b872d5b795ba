"""A worker keeps its SQLite connection, and lets it go when the file changes."""

import sqlite3

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.db.utils import ConnectionHandler


@pytest.fixture
def kept(tmp_path, django_db_blocker):
    """A connection configured as the app's, on a database file of its own (not
    the test database, so pytest-django's guard is lifted for it)."""
    path = tmp_path / "gazette.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE story (headline TEXT)")
        setup.execute("INSERT INTO story VALUES ('Harbor dredging to begin')")
    setup.close()
    configured = settings.DATABASES["default"]
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "gazette.db.sqlite3",
                "NAME": str(path),
                "OPTIONS": {**settings.SQLITE_OPTIONS},
                "CONN_MAX_AGE": configured["CONN_MAX_AGE"],
                "CONN_HEALTH_CHECKS": True,
            }
        }
    )
    connection = handler["default"]
    with django_db_blocker.unblock():
        yield connection, path
        connection.close()


def request(connection) -> list[str]:
    """What a request does with the connection: Django's check at its start,
    then a read."""
    connection.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT headline FROM story")
        headlines = [row[0] for row in cursor.fetchall()]
    connection.close_if_unusable_or_obsolete()
    return headlines


def test_the_app_keeps_its_connections_and_checks_them():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_requests_share_one_connection(kept):
    connection, _ = kept
    assert request(connection) == ["Harbor dredging to begin"]
    opened = connection.connection
    for _ in range(3):
        assert request(connection) == ["Harbor dredging to begin"]
    assert connection.connection is opened


def test_a_file_put_in_the_database_s_place_is_what_the_next_request_reads(
    kept,
):
    connection, path = kept
    assert request(connection) == ["Harbor dredging to begin"]
    path.rename(path.with_name("aside.sqlite3"))
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE story (headline TEXT)")
        other.execute("INSERT INTO story VALUES ('Night market returns')")
    other.close()
    assert request(connection) == ["Night market returns"]


def test_a_spoiled_file_fails_the_next_request_and_the_restored_one_serves_again(
    kept,
):
    connection, path = kept
    assert request(connection) == ["Harbor dredging to begin"]
    aside = path.with_name("aside.sqlite3")
    path.rename(aside)
    path.write_bytes(b"not a database, " * 4096)
    with pytest.raises(DatabaseError):
        request(connection)
    path.unlink()
    aside.rename(path)
    assert request(connection) == ["Harbor dredging to begin"]


@pytest.mark.django_db
def test_a_statement_reads_its_placeholders_and_percent_signs_each_time():
    from django.db import connection

    with connection.cursor() as cursor:
        for value in ("first", "second"):
            cursor.execute("SELECT '100%%', %s, %s", [value, 2])
            assert cursor.fetchone() == ("100%", value, 2)
