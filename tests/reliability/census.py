"""What a server's database holds after a load: the load's comments by their
text, every denormalised counter beside counting its rows, and SQLite's
integrity check. Read with plain SQL, after the server stopped."""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from tests.reliability.checkers import (
    counter_problems,
    integrity_problems,
    stored_problems,
)
from tests.reliability.traffic import MARKER

# The counters posting moves, as gazette/discussion/tests/builders.py's
# assert_counts_are_true counts them: a story's visible comments, and each
# comment's visible replies below it (answering it or in its conversation).
COUNTERS = """
SELECT 'story ' || thread.id, thread.comment_count, (
    SELECT COUNT(*) FROM discussion_comment AS comment
    WHERE comment.thread_id = thread.id AND comment.state = 'visible'
) FROM discussion_thread AS thread
UNION ALL
SELECT 'comment ' || comment.id, comment.reply_count, (
    SELECT COUNT(*) FROM discussion_comment AS below
    WHERE below.state = 'visible'
    AND (below.parent_id = comment.id OR below.root_id = comment.id)
) FROM discussion_comment AS comment
"""
LOAD_COMMENTS = f"SELECT body, id FROM discussion_comment WHERE body LIKE '{MARKER}%'"


@dataclass
class Census:
    integrity: list[str] | None  # None: PostgreSQL, which has no such check
    stored: dict[str, list[int]]  # each of the load's comments: its rows' ids
    counters: list[tuple[str, int, int]]  # what, the counter, counting the rows


def take_census(database: Path | str) -> Census:
    """The census of an SQLite file, or of a PostgreSQL database by name."""
    if isinstance(database, Path):
        try:
            with closing(sqlite3.connect(database)) as reading:
                integrity = [
                    row[0] for row in reading.execute("PRAGMA integrity_check")
                ]
                return census_of(reading, integrity)
        except sqlite3.DatabaseError as error:
            return Census([f"the file cannot be read: {error}"], {}, [])
    with postgresql_connection(database) as reading:
        return census_of(reading, None)


def loss_problems(census: Census, acknowledged: dict[str, int | None]) -> list[str]:
    """What the census shows went wrong: acknowledged comments missing, moved or
    stored twice, counters that disagree with the rows, a damaged file."""
    return (
        stored_problems(acknowledged, census.stored)
        + counter_problems(census.counters)
        + integrity_problems(census.integrity)
    )


def census_of(reading, integrity: list[str] | None) -> Census:
    stored: dict[str, list[int]] = {}
    for body, pk in reading.execute(LOAD_COMMENTS).fetchall():
        stored.setdefault(body, []).append(pk)
    counters = [tuple(row) for row in reading.execute(COUNTERS).fetchall()]
    return Census(integrity, stored, counters)


def postgresql_connection(name: str, **options):
    """A connection to the database `name` on the test run's PostgreSQL server;
    `options` to psycopg (autocommit=True, ...)."""
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        **options,
    )


def break_on_purpose(database: Path | str, acknowledged: dict[str, int | None]) -> None:
    """For the controls: lose one acknowledged comment (its text changed), store
    another twice (a third's text given to it), and put a story's count one off."""
    lost, twice, kept = sorted(pk for pk in acknowledged.values() if pk)[:3]
    statements = [
        f"UPDATE discussion_comment SET body = 'Gone' WHERE id = {lost}",
        "UPDATE discussion_comment SET body = ("
        f"SELECT body FROM discussion_comment WHERE id = {kept}) WHERE id = {twice}",
        "UPDATE discussion_thread SET comment_count = comment_count + 1 "
        f"WHERE id = (SELECT thread_id FROM discussion_comment WHERE id = {kept})",
    ]
    if isinstance(database, Path):
        with closing(sqlite3.connect(database)) as writing, writing:
            for statement in statements:
                writing.execute(statement)
        return
    with postgresql_connection(database) as writing:
        for statement in statements:
            writing.execute(statement)
