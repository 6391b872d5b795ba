"""Small checkers for the reliability battery: outage answers, error pages, log
lines, leaked secrets, backups, what a load left in the database, time and memory.

Each returns the problems it found as sentences, an empty list when there are
none. The tests run them on what Gazette really did and, as controls, on
deliberately broken answers, files and logs, which they must flag.
"""

import json
import math
import re
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

# What a traceback or a debug page leaves in a body.
TRACEBACK_MARKERS = [
    "Traceback (most recent call last)",
    'File "/',
    "OperationalError",
    "InterfaceError",
    "DatabaseError",
    "django.db",
    "psycopg",
    "sqlite3",
    "Exception Value",
    "Request Method:",
]
# What SQLite's error says when a writer gave up waiting for the write lock.
LOCKED = "database is locked"
# A log line's time, as LOGGING's formatter writes it: 2025-01-31 12:00:00,123.
LOGGED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")


def traceback_problems(body: str) -> list[str]:
    """Debugging detail a reader must never see."""
    return [
        f"the body shows {marker!r}" for marker in TRACEBACK_MARKERS if marker in body
    ]


def outage_problems(status: int, headers, body: str, *, api: bool = False) -> list[str]:
    """A 503 a person or a program can act on: Retry-After in seconds, a message
    (HTML for pages, JSON {"detail": ...} for the API), never a traceback, and
    nothing a cache would keep."""
    problems = []
    if status != 503:
        problems.append(f"the status is {status}, not 503")
    retry = headers.get("Retry-After", "")
    if not retry.isdigit() or int(retry) <= 0:
        problems.append(f"Retry-After is {retry!r}, not a number of seconds")
    if "no-store" not in headers.get("Cache-Control", "") and "no-cache" not in (
        headers.get("Cache-Control", "")
    ):
        problems.append("the answer may be cached")
    if api:
        try:
            detail = json.loads(body).get("detail")
        except (ValueError, AttributeError):
            detail = None
        if not isinstance(detail, str) or not detail:
            problems.append('the API answer is not JSON with a "detail"')
    elif "<h1>" not in body:
        problems.append("the page has no heading a reader can read")
    problems += traceback_problems(body)
    return problems


def error_page_problems(status: int, body: str, secret: str) -> list[str]:
    """The generic 500 page: no traceback, nothing of the error's own text."""
    problems = []
    if status != 500:
        problems.append(f"the status is {status}, not 500")
    if "Something went wrong on our side" not in body:
        problems.append("the body is not the generic error page")
    if secret in body:
        problems.append("the error's own message is on the page")
    return problems + traceback_problems(body)


def logging_config_problems(config: dict) -> list[str]:
    """A LOGGING dictionary whose handlers write lines without their time, or
    without the filter that takes secrets out."""
    formats = {
        name: formatter.get("format", "")
        for name, formatter in config.get("formatters", {}).items()
    }
    problems = []
    for name, handler in config.get("handlers", {}).items():
        if "%(asctime)s" not in formats.get(handler.get("formatter", ""), ""):
            problems.append(f"the {name} handler writes no time")
        if "redact_secrets" not in handler.get("filters", []):
            problems.append(f"the {name} handler does not redact secrets")
    return problems


def log_line_problems(line: str, *, actor: str, target: str) -> list[str]:
    """A line of the log that says when, who and to what."""
    problems = []
    if not LOGGED_TIME.match(line):
        problems.append(f"no time at the start of {line!r}")
    if f"actor={actor}" not in line:
        problems.append(f"no actor={actor} in {line!r}")
    if f"target={target}" not in line:
        problems.append(f"no target={target} in {line!r}")
    return problems


def leak_problems(text: str, secrets: dict[str, str]) -> list[str]:
    """Secrets (name: value) that appear in the text."""
    return [f"the {name} appears" for name, value in secrets.items() if value in text]


def sqlite_copy_problems(path: Path, acknowledged: set[int]) -> list[str]:
    """An SQLite copy that fails its integrity check, or lacks a comment that was
    acknowledged before the backup started."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
            integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            held = {row[0] for row in copy.execute("SELECT id FROM discussion_comment")}
    except sqlite3.DatabaseError as error:
        return [f"the copy cannot be read: {error}"]
    return copy_problems(integrity, held, acknowledged)


def copy_problems(
    integrity: list[str], held: set[int], acknowledged: set[int]
) -> list[str]:
    """A failed integrity check, or acknowledged comments the copy lacks."""
    problems = integrity_problems(integrity)
    missing = acknowledged - held
    if missing:
        problems.append(
            f"{len(missing)} acknowledged comments are missing: {sorted(missing)[:5]}"
        )
    return problems


def integrity_problems(integrity: list[str] | None) -> list[str]:
    """What SQLite's `PRAGMA integrity_check` found, when it is not just "ok";
    None: a database that has no such check (PostgreSQL)."""
    if integrity is None or integrity == ["ok"]:
        return []
    return [f"integrity: {integrity[:3]}"]


def stored_problems(
    acknowledged: dict[str, int | None], stored: dict[str, list[int]]
) -> list[str]:
    """Comments the database does not hold exactly once: an acknowledged comment
    (its text, the id its answer gave, if any) that is missing or under another
    id, and any comment (acknowledged or not) stored twice."""
    problems = []
    missing = sorted(text for text in acknowledged if text not in stored)
    if missing:
        problems.append(
            f"{len(missing)} acknowledged comments are missing: {missing[:3]}"
        )
    moved = sorted(
        text
        for text, pk in acknowledged.items()
        if text in stored and pk is not None and pk not in stored[text]
    )
    if moved:
        problems.append(f"{len(moved)} comments are not under their id: {moved[:3]}")
    twice = sorted(text for text, ids in stored.items() if len(ids) > 1)
    if twice:
        problems.append(f"{len(twice)} comments are stored more than once: {twice[:3]}")
    return problems


def counter_problems(counters: list[tuple[str, int, int]]) -> list[str]:
    """Denormalised counters (what, the counter, counting the rows) that
    disagree with the rows."""
    return [
        f"{what} says {counter} but there are {counted}"
        for what, counter, counted in counters
        if counter != counted
    ]


def answer_problems(
    answers: list[tuple[int, str]], *, outage: bool = False
) -> list[str]:
    """Server errors among answers (status, Retry-After). While the database may
    be away (`outage`), a 503 with Retry-After in seconds is the right answer;
    any other 5xx never is."""
    errors = Counter(
        status
        for status, retry_after in answers
        if status >= 500 and not (outage and status == 503 and retry_after.isdigit())
    )
    return [
        f"{count} answers were {status}" for status, count in sorted(errors.items())
    ]


def lock_problems(texts: dict[str, str]) -> list[str]:
    """Answers or logs (name: text) that say a request failed on SQLite's lock."""
    return [
        f"{name} says {LOCKED!r} ({text.count(LOCKED)} times)"
        for name, text in texts.items()
        if LOCKED in text
    ]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (95: the time 95% of requests stayed within)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def latency_problems(seconds: list[float], *, at_most: float) -> list[str]:
    """A 95th percentile of request times above the bound."""
    p95 = percentile(seconds, 95)
    if p95 > at_most:
        return [f"the 95th percentile is {p95:.2f} s, more than {at_most:.2f} s"]
    return []


def recovery_problems(seconds: float | None, *, at_most: float) -> list[str]:
    """A server that did not serve pages again, or not soon enough (seconds from
    its restart, None: not at all while the test waited)."""
    if seconds is None:
        return [f"no page was served within {at_most:.1f} s"]
    return duration_problems(seconds, at_most=at_most)


def duration_problems(seconds: float, *, at_most: float) -> list[str]:
    if seconds > at_most:
        return [f"it took {seconds:.1f} s, more than {at_most:.1f} s"]
    return []


def memory_problems(peak: int, *, at_most: int) -> list[str]:
    if peak > at_most:
        return [f"memory peaked at {peak:,} bytes, more than {at_most:,}"]
    return []
