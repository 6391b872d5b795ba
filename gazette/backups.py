"""Backing the database up while the site runs, checking a copy, restoring one.

SQLite: the online backup API copies the database as one consistent snapshot;
in WAL mode writers go on meanwhile, and a comment acknowledged before the
backup started is in the copy. The copy is a single file (rollback journal, no
-wal beside it) and must pass PRAGMA integrity_check and foreign_key_check.
PostgreSQL: pg_dump's custom format (one consistent snapshot as well), which
pg_restore must be able to read back; restored with pg_restore --clean
--if-exists in one transaction, so a restore that fails changes nothing.
"""

import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

# What a restore says it replaces, and what it reports after: (one, many).
COUNTED_TABLES = {
    ("story", "stories"): "newsroom_article",
    ("comment", "comments"): "discussion_comment",
    ("reader", "readers"): "accounts_user",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


def vendor() -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            f"Gazette backs up SQLite and PostgreSQL, not {connection.vendor}"
        )
    return connection.vendor


def default_path() -> Path:
    """var/backups/gazette-YYYYmmdd-HHMMSS (UTC) with the vendor's suffix."""
    suffix = ".sqlite3" if vendor() == "sqlite" else ".dump"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"gazette-{stamp}{suffix}"


def database_label() -> str:
    name = connection.settings_dict["NAME"]
    if vendor() == "sqlite":
        return f"the SQLite database {name}"
    host = connection.settings_dict.get("HOST") or "localhost"
    return f"the PostgreSQL database {name} on {host}"


def back_up(target: Path) -> Backup:
    """Copy the database to `target`, a new file, and check the copy."""
    if target.exists():
        raise BackupError(f"{target} exists already; name a new file")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written under another name first: a file with the backup's name is whole.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if vendor() == "sqlite":
            copy_sqlite(partial)
        else:
            dump_postgresql(partial)
        problems = check(partial)
        if problems:
            raise BackupError("the copy fails its check: " + "; ".join(problems))
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=target, size=target.stat().st_size)


def copy_sqlite(target: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # One step (pages=-1): one snapshot. Stepping would restart the copy on
        # every write by another connection and might never finish under load.
        connection.connection.backup(copy, progress=give_up_when_locked())
        copy.execute("PRAGMA journal_mode=DELETE")


def give_up_when_locked():
    """A backup's progress callback that stops a copy kept waiting on a lock for
    longer than the busy timeout; sqlite3 would otherwise retry for ever."""
    waiting_since: float | None = None

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal waiting_since
        if status not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            waiting_since = None
            return
        waiting_since = waiting_since or time.monotonic()
        waited = time.monotonic() - waiting_since
        if waited > settings.GAZETTE_SQLITE_BUSY_SECONDS:
            raise BackupError(f"the database stayed locked for {waited:.0f} seconds")

    return progress


def postgresql_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump and pg_restore, and their environment."""
    database = connection.settings_dict
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    sslmode = database.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = sslmode
    return arguments, environment


def run_tool(name: str, *arguments: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools)")
    connection_arguments, environment = postgresql_arguments()
    finished = subprocess.run(
        [program, *arguments, *connection_arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise BackupError(f"{name} failed: {finished.stderr.strip()[-2000:]}")
    return finished.stdout


def dump_postgresql(target: Path) -> None:
    run_tool("pg_dump", "--format=custom", "--no-password", f"--file={target}")


def check(path: Path) -> list[str]:
    """What is wrong with a backup file; an empty list when nothing is."""
    if not path.is_file():
        return [f"{path} is not a file"]
    if vendor() == "sqlite":
        return check_sqlite(path)
    program = shutil.which("pg_restore")
    if program is None:
        return ["pg_restore is not installed, so the archive cannot be read"]
    listed = subprocess.run(
        [program, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        return [f"pg_restore cannot read it: {listed.stderr.strip()[:500]}"]
    if "TABLE DATA" not in listed.stdout:
        return ["the archive holds no table data"]
    return []


def check_sqlite(path: Path) -> list[str]:
    try:
        with closing(sqlite3.connect(read_only(path), uri=True)) as copy:
            integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            keys = copy.execute("PRAGMA foreign_key_check").fetchall()
            tables = {
                row[0]
                for row in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
    except sqlite3.DatabaseError as error:
        return [f"not a readable SQLite database ({error})"]
    problems = (
        []
        if integrity == ["ok"]
        else [f"integrity_check: {line}" for line in integrity[:10]]
    )
    problems += [f"foreign_key_check: {row}" for row in keys[:10]]
    if "django_migrations" not in tables:
        problems.append("it holds no Gazette database (no django_migrations table)")
    return problems


def counts() -> dict[tuple[str, str], int | None]:
    """Stories, comments and readers in the configured database; None where the
    table is missing (a fresh database)."""
    found: dict[tuple[str, str], int | None] = {}
    for label, table in COUNTED_TABLES.items():
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"
                )
                found[label] = cursor.fetchone()[0]
        except DatabaseError:
            found[label] = None
    return found


def backup_counts(path: Path) -> dict[tuple[str, str], int | None] | None:
    """Stories, comments and readers in an SQLite backup; None for an archive of
    pg_dump's, which cannot be counted without restoring it."""
    if vendor() != "sqlite":
        return None
    found: dict[tuple[str, str], int | None] = {}
    with closing(sqlite3.connect(read_only(path), uri=True)) as copy:
        for label, table in COUNTED_TABLES.items():
            try:
                found[label] = copy.execute(
                    f'SELECT COUNT(*) FROM "{table}"'
                ).fetchone()[0]
            except sqlite3.DatabaseError:
                found[label] = None
    return found


def read_only(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def describe(found: dict[tuple[str, str], int | None]) -> str:
    """ "12 stories, 1 comment, 3 readers" """
    if all(value is None for value in found.values()):
        return "no Gazette tables"
    return ", ".join(
        f"{value or 0:,} {one if value == 1 else many}"
        for (one, many), value in found.items()
    )


def restore(path: Path) -> None:
    """Replace everything in the configured database with the backup's."""
    problems = check(path)
    if problems:
        raise BackupError(f"{path} cannot be restored: " + "; ".join(problems))
    if vendor() == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("the database is in a transaction; restore outside it")
        with closing(sqlite3.connect(read_only(path), uri=True)) as source:
            source.backup(connection.connection, progress=give_up_when_locked())
        connection.close()
        live = Path(connection.settings_dict["NAME"])
        if live.is_file():
            problems = check_sqlite(live)
    else:
        connection.close()
        run_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            str(path),
        )
    if problems:
        raise BackupError(
            "the restored database fails its check: " + "; ".join(problems)
        )
