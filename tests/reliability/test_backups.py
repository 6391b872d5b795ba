"""Backup and restore: `gazette backup` taken while readers post, and `gazette
restore` into a fresh database. The copy passes its integrity checks and holds
every comment acknowledged before the backup started."""

import io
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gazette.discussion.models import Comment
from gazette.discussion.tests.builders import make_commenter, post
from gazette.testing import make_article, make_section
from tests.reliability import servers
from tests.reliability.census import postgresql_connection
from tests.reliability.checkers import copy_problems, sqlite_copy_problems

# Readers who may post as fast as the load script asks.
LOAD_ENVIRONMENT = {
    "GAZETTE_COMMENT_MIN_INTERVAL_SECONDS": "0",
    "GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS": "0",
    "GAZETTE_COMMENT_HOURLY_LIMIT": "1000000",
    "GAZETTE_PREMODERATE_FIRST_COMMENTS": "0",
    "GAZETTE_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
}


def admin_connection():
    return postgresql_connection("postgres", autocommit=True)


@contextmanager
def fresh_database(tmp_path: Path):
    """The environment of a process whose database is new and empty: an SQLite
    file not yet made, or a scratch PostgreSQL database dropped afterwards."""
    var_dir = tmp_path / f"fresh-{secrets.token_hex(3)}"
    var_dir.mkdir()
    environment = servers.environment(var_dir)
    if connection.vendor == "sqlite":
        environment.pop("DATABASE_URL", None)
        yield environment, var_dir / "gazette.sqlite3"
        return
    name = f"backup_test_{secrets.token_hex(4)}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        environment["DATABASE_URL"] = servers.postgresql_url(name)
        yield environment, name
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_problems(database, acknowledged: set[int]) -> list[str]:
    """Integrity and completeness of a restored database."""
    if connection.vendor == "sqlite":
        return sqlite_copy_problems(database, acknowledged)
    with postgresql_connection(database) as restored:
        held = {row[0] for row in restored.execute("SELECT id FROM discussion_comment")}
        # Every foreign key of the restored tables is a validated constraint.
        unvalidated = restored.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
        ).fetchall()
    integrity = ["ok"] if not unvalidated else [str(unvalidated)]
    return copy_problems(integrity, held, acknowledged)


# Fast: the commands themselves.


@pytest.mark.django_db(transaction=True)
def test_restore_says_what_it_would_replace_and_waits_for_yes(tmp_path):
    story = make_article(
        headline="Harbor plan", section=make_section(name="Local", slug="local")
    )
    post(story, make_commenter("Ana Pua"))
    backup = tmp_path / "copy.backup"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), stdout=io.StringIO())
    message = str(refused.value)
    assert "This replaces everything in the" in message
    assert f"{connection.settings_dict['NAME']}" in message
    assert "which now holds 1 story, 1 comment" in message
    assert "Run again with --yes" in message
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_backup_never_writes_over_a_file(tmp_path):
    existing = tmp_path / "kept.backup"
    existing.write_text("an earlier backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(existing), stdout=io.StringIO())
    assert existing.read_text() == "an earlier backup"


@pytest.mark.django_db
def test_a_file_that_is_no_backup_is_refused(tmp_path):
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x17" * 8192)
    with pytest.raises(CommandError, match="cannot be restored"):
        call_command("restore", str(damaged), "--yes", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_holds_every_comment(
    tmp_path, settings
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    story = make_article(
        headline="Harbor plan", section=make_section(name="Local", slug="local")
    )
    reader = make_commenter("Ana Pua")
    acknowledged = {post(story, reader, f"Comment {number}").pk for number in range(5)}
    backup = tmp_path / "gazette.backup"
    output = io.StringIO()
    call_command("backup", output=str(backup), stdout=output)
    assert "the copy passed its integrity check" in output.getvalue()

    with fresh_database(tmp_path) as (environment, database):
        restored = servers.gazette("restore", str(backup), "--yes", env=environment)
        assert "the database now holds 1 story, 5 comments" in restored.stdout
        assert restored_problems(database, acknowledged) == []


# Full: a backup taken while readers post.

# Enough to outlast the backup command (a second or two) after the first 100
# at well over 100 posts a second.
LOAD_POSTS = 1200


class Load:
    """tests/reliability/load.py in a process of its own, and when each of its
    comments was acknowledged."""

    def __init__(self, environment: dict, count: int):
        self.acknowledged: list[tuple[float, int]] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.load", str(count)],
            env={**environment, **LOAD_ENVIRONMENT},
            cwd=servers.ROOT,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("ready"):
                self.ready.set()
            elif line.startswith("posted "):
                self.acknowledged.append((time.monotonic(), int(line.split()[1])))

    def acknowledged_before(self, moment: float) -> set[int]:
        return {pk for at, pk in list(self.acknowledged) if at < moment}

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert self.process.poll() is None, "the load stopped early"
            assert time.monotonic() < deadline, "the load is too slow"
            time.sleep(0.05)

    def finish(self) -> None:
        try:
            self.process.wait(120)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(10)
        self.reader.join(10)


@contextmanager
def source_database(tmp_path: Path, request):
    """The environment of the database the load writes to and the backup copies:
    a migrated SQLite file, or the PostgreSQL test database itself."""
    var_dir = tmp_path / "source"
    var_dir.mkdir()
    environment = servers.environment(var_dir)
    if connection.vendor == "sqlite":
        environment.pop("DATABASE_URL", None)
        migrated = request.getfixturevalue("migrated_sqlite")
        shutil.copy(migrated, var_dir / "gazette.sqlite3")
        yield environment, var_dir / "gazette.sqlite3"
    else:
        environment["DATABASE_URL"] = servers.postgresql_url(
            connection.settings_dict["NAME"]
        )
        yield environment, None


@pytest.mark.full
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_under_load_holds_every_acknowledged_comment(tmp_path, request):
    with source_database(tmp_path, request) as (
        environment,
        live_file,
    ):
        load = Load(environment, count=LOAD_POSTS)
        try:
            assert load.ready.wait(60)
            load.wait_for(100)
            if live_file is not None:
                # Control: a plain copy of the live file misses what is still
                # only in its write-ahead log.
                naive = tmp_path / "naive-copy.sqlite3"
                shutil.copy(live_file, naive)
                naive_moment = time.monotonic()
            started = time.monotonic()
            backup = tmp_path / "under-load.backup"
            made = servers.gazette("backup", "--output", str(backup), env=environment)
            finished = time.monotonic()
            still_posting = load.process.poll() is None
        finally:
            load.finish()
        acknowledged = load.acknowledged_before(started)
        assert len(acknowledged) >= 100
        assert still_posting, "the backup ran while the load went on"
        assert len(load.acknowledged) == LOAD_POSTS, "no post failed during the backup"
        assert "passed its integrity check" in made.stdout
        assert any(started < at < finished for at, _ in load.acknowledged), (
            "comments were acknowledged while the backup ran"
        )
        if live_file is not None:
            naive_problems = sqlite_copy_problems(
                naive, load.acknowledged_before(naive_moment)
            )
            assert any("missing" in problem for problem in naive_problems)

    with fresh_database(tmp_path) as (fresh, database):
        servers.gazette("restore", str(backup), "--yes", env=fresh)
        assert restored_problems(database, acknowledged) == []


# Controls: the checks object to a damaged or incomplete copy.


def test_control_a_copy_missing_an_acknowledged_comment_is_flagged():
    problems = copy_problems(["ok"], held={1, 2}, acknowledged={1, 2, 3})
    assert problems == ["1 acknowledged comments are missing: [3]"]


def test_control_a_damaged_sqlite_copy_is_flagged(tmp_path):
    copy = tmp_path / "copy.sqlite3"
    with closing(sqlite3.connect(copy)) as database:
        database.execute("CREATE TABLE discussion_comment (id INTEGER PRIMARY KEY, b)")
        database.execute("CREATE INDEX body ON discussion_comment (b)")
        database.executemany(
            "INSERT INTO discussion_comment VALUES (?, ?)",
            [(number, f"comment {number} " * 20) for number in range(3000)],
        )
        database.commit()
    assert sqlite_copy_problems(copy, {1, 2, 3}) == []
    data = bytearray(copy.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * 4096
    copy.write_bytes(bytes(data))
    assert sqlite_copy_problems(copy, {1, 2, 3}) != []
