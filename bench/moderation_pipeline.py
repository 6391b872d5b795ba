"""Comments per second through the moderation pipeline, beside the model alone.

    .venv/bin/python bench/moderation_pipeline.py [--comments 2000] [--seconds 15]
        [--readers 200] [--database-url postgres://USER@HOST:5432/bench_pipeline]

On a throw-away database (an SQLite file in a temporary folder; or the PostgreSQL
database --database-url names, which must start with "bench", dropped, made
again, and dropped at the end), migrated by `gazette migrate` in a process of
its own, with sections, stories, readers with a history of comments, a few new
readers and the word lists a paper keeps, it sends the same comments, one at a
time, pinned to one core, through:

- model: the civility model's score() alone (the model the pipeline uses);
- checks: gazette.discussion.pipeline.check_comment, every check, no write (so
  new readers stay new: every comment of theirs is one of their first);
- post: gazette.discussion.services.post_comment end to end: the checks, the
  comment, its audit entries, the counters, the reply-notice task, the commit.

The comments are news-comment length: three or four civil comments from the
project's written development and held-out sets (gazette/civility/data/written/);
in one of seven an uncivil one (an attack or strong language) among them, and in
one of ten a civil one with a suspect word ("the mayor is an idiot"), so that
some are held, some the reader is asked to reconsider, some are refused. Half
are sent as if the reader had already chosen "post anyway".

Readers must not be refused for posting too fast, and the rate check must still
run: the clock is time-machine's, moved 2 s on before every comment, and 200
readers take turns, so each comments every 400 s of that clock, past the least
interval and under the hourly limit. The cache is the local-memory one
(REDIS_URL is ignored: Redis keeps its own time).

Prints, for each stage, comments per second, the median and 99th percentile
time per comment, its cost against the model alone and the database queries a
comment takes; what happened to the comments; and the process's memory (Django,
the model, the data; not the migrations, which ran elsewhere). Each stage stops
at --seconds. Takes about half a minute on SQLite. Not a test.
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WRITTEN = ROOT / "gazette" / "civility" / "data" / "written"
SECONDS_BETWEEN_COMMENTS = 2
NEW_READERS_SHARE = 0.1
REPLY_EVERY = 5
UNCIVIL_EVERY = 7
SUSPECT_EVERY = 10
BANNED = ["fuck*", "*fucker", "cunt*", "kill yourself"]
SUSPECT = ["idiot*", "moron*", "liar*", "troll*", "scam*"]
SECTIONS = ("Local", "Politics", "Business", "Sports", "Opinion", "Travel")


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pin_to_one_core() -> str:
    """Run on a single CPU, as the goal is stated; say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to CPU {core}"


def resident_megabytes() -> float | None:
    """The process's resident memory now (Linux), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def maintenance_url(url: str) -> tuple[str, str]:
    """The server's own "postgres" database, and the name of the bench's."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(
            f"The database {name!r} would be dropped: name one that starts with "
            "'bench', e.g. postgres://postgres@127.0.0.1:5432/bench_pipeline."
        )
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_postgres_database(url: str) -> None:
    import psycopg

    server_url, name = maintenance_url(url)
    with psycopg.connect(server_url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    server_url, name = maintenance_url(url)
    with psycopg.connect(server_url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def written_comments() -> tuple[list[str], list[str], list[str]]:
    """The written development and held-out comments: civil ones, civil ones with
    a suspect word, and uncivil ones."""
    from gazette.civility import WordList, screen_words
    from gazette.civility.evaluation import read_labeled_csv

    banned, suspect = WordList(BANNED), WordList(SUSPECT)
    civil, suspicious, uncivil = [], [], []
    for name in ("comments_dev.csv", "comments_heldout.csv"):
        texts, attack = read_labeled_csv(
            WRITTEN / name, text_column="text", label_column="attack"
        )
        _, offensive = read_labeled_csv(
            WRITTEN / name, text_column="text", label_column="offensive"
        )
        for text, is_attack, is_offensive in zip(texts, attack, offensive, strict=True):
            if is_attack or is_offensive:
                uncivil.append(text)
            elif screen_words(text, banned=banned, suspect=suspect).reasons:
                suspicious.append(text)
            else:
                civil.append(text)
    return civil, suspicious, uncivil


def comment_texts(count: int, rng: random.Random) -> list[str]:
    """Distinct news-length comments, some with an uncivil or a suspect part."""
    civil, suspicious, uncivil = written_comments()
    texts: dict[str, None] = {}
    while len(texts) < count:
        parts = rng.sample(civil, rng.choice((3, 4)))
        for every, pool in ((UNCIVIL_EVERY, uncivil), (SUSPECT_EVERY, suspicious)):
            if len(texts) % every == 0:
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(pool))
        texts[" ".join(parts)] = None
    return list(texts)


def build_cast(readers: int, rng: random.Random) -> tuple[list, list, dict]:
    """Sections and stories, readers (most with earlier comments), word lists.

    Returns the readers, the stories, and each story's earlier comments, which
    some of the new comments answer.
    """
    from django.db.models import F
    from django.utils import timezone

    from gazette.accounts.models import Acceptance, User
    from gazette.discussion.models import Comment, Thread, WordListEntry
    from gazette.discussion.plaintext import render_html
    from gazette.newsroom.models import Page
    from gazette.testing import make_article, make_section

    now = timezone.now()
    stories = []
    for name in SECTIONS:
        section = make_section(name=name, slug=name.lower())
        for hours in range(1, 6):
            stories.append(
                make_article(section=section, published_at=now - timedelta(hours=hours))
            )
    threads = {story.pk: Thread.objects.create(article=story) for story in stories}
    # Not gazette.testing.make_reader: its Argon2 hash alone would be the run's
    # peak memory. These readers confirmed their address and accepted the terms.
    cast = [
        User.objects.create_user(
            f"reader{number}@bench.example",
            password=None,
            display_name=f"Bench Reader {number}",
            email_verified_at=now,
        )
        for number in range(readers)
    ]
    documents = list(Page.objects.filter(requires_acceptance=True))
    Acceptance.objects.bulk_create(
        Acceptance(reader=reader, document=document, version=document.version)
        for reader in cast
        for document in documents
    )
    regulars = cast[: readers - round(readers * NEW_READERS_SHARE)]
    history = []
    for reader in regulars:
        for turn in range(3):
            body = f"An earlier comment, number {turn}."
            history.append(
                Comment(
                    thread=threads[rng.choice(stories).pk],
                    author=reader,
                    body=body,
                    body_html=render_html(body),
                    created_at=now - timedelta(days=2, minutes=len(history)),
                )
            )
    Comment.objects.bulk_create(history, batch_size=1000)
    earlier: dict[int, list[Comment]] = {story.pk: [] for story in stories}
    for comment in Comment.objects.select_related("thread"):
        earlier[comment.thread.article_id].append(comment)
    for story in stories:
        Thread.objects.filter(article=story).update(
            comment_count=F("comment_count") + len(earlier[story.pk])
        )
    WordListEntry.objects.bulk_create(
        [WordListEntry(kind=WordListEntry.Kind.BANNED, entry=word) for word in BANNED]
        + [
            WordListEntry(kind=WordListEntry.Kind.SUSPECT, entry=word)
            for word in SUSPECT
        ]
    )
    return cast, stories, earlier


def timed(work: Callable[[int], str], count: int, seconds: float) -> tuple:
    """Run work(index) for each comment until count or seconds.

    Returns the time each comment took, what became of them, and the number of
    database queries run.
    """
    from django.db import connection

    durations: list[float] = []
    outcomes: Counter[str] = Counter()
    queries = 0

    def counted(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    deadline = time.perf_counter() + seconds
    with connection.execute_wrapper(counted):
        for index in range(count):
            started = time.perf_counter()
            outcome = work(index)
            durations.append(time.perf_counter() - started)
            outcomes[outcome] += 1
            if time.perf_counter() > deadline:
                break
    return durations, outcomes, queries


def held_by(findings) -> str:
    """An outcome named after the checks that hold a comment."""
    checks = sorted({finding.check for finding in findings if finding.holds})
    return "held: " + "+".join(checks) if checks else "on the page"


def run(options: argparse.Namespace, *, database: str, pinning: str) -> None:
    """Set up, measure the three stages, print the table."""
    import django

    django.setup()
    import logging

    import time_machine
    from django.conf import settings
    from django.utils import timezone

    from gazette.discussion import pipeline
    from gazette.discussion.errors import (
        CommentRejected,
        MayBreakGuidelines,
        PostingTooFast,
    )
    from gazette.discussion.models import Thread
    from gazette.discussion.plaintext import clean_text
    from gazette.discussion.services import post_comment

    # Audit lines are still formatted and written, as a server does, to nowhere.
    for handler in logging.getLogger("gazette").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(2024)
    interval = max(
        settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS,
        settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS,
    )
    turn = options.readers * SECONDS_BETWEEN_COMMENTS
    hourly = settings.GAZETTE_COMMENT_HOURLY_LIMIT
    if turn <= interval or (hourly and 3600 / turn >= hourly):
        raise SystemExit(
            f"{options.readers} readers would post too fast (every {turn} s); "
            "pass more --readers."
        )
    with time_machine.travel(timezone.now(), tick=False) as clock:
        readers, stories, earlier = build_cast(options.readers, rng)
        texts = [
            clean_text(text, max_length=settings.GAZETTE_COMMENT_MAX_LENGTH)
            for text in comment_texts(options.comments, rng)
        ]
        plan = []
        for index in range(len(texts)):
            story = rng.choice(stories)
            parent = None
            if index % REPLY_EVERY == 0 and earlier[story.pk]:
                parent = rng.choice(earlier[story.pk])
            plan.append((readers[index % len(readers)], story, parent, index % 2 == 1))
        before_model = resident_megabytes()
        model = pipeline.civility_provider()
        model.score("Loading the model.")
        after_model = resident_megabytes()
        thresholds = pipeline.civility_thresholds()

        def score(index: int) -> str:
            worst, _ = pipeline.scored(model.score(texts[index]))
            if worst >= thresholds.reject:
                return "score past reject"
            return "score past hold" if worst >= thresholds.hold else "score below hold"

        # As post_comment does, each check gets the story's thread fresh.
        threads = [Thread.objects.get(article=story) for _, story, _, _ in plan]

        def check(index: int) -> str:
            reader, _, _, confirmed = plan[index]
            thread = threads[index]
            clock.shift(SECONDS_BETWEEN_COMMENTS)
            try:
                screening = pipeline.check_comment(
                    texts[index], author=reader, thread=thread, is_confirmed=confirmed
                )
            except MayBreakGuidelines:
                return "asked to reconsider"
            except PostingTooFast:
                return "too fast (should not happen)"
            except CommentRejected:
                return "refused"
            return held_by(screening.findings)

        def post(index: int) -> str:
            reader, story, parent, confirmed = plan[index]
            clock.shift(SECONDS_BETWEEN_COMMENTS)
            try:
                comment = post_comment(
                    story,
                    actor=reader,
                    body=texts[index],
                    parent=parent,
                    confirmed=confirmed,
                )
            except MayBreakGuidelines:
                return "asked to reconsider"
            except PostingTooFast:
                return "too fast (should not happen)"
            except CommentRejected:
                return "refused"
            if comment.is_visible:
                return "on the page"
            return "held: " + "+".join(
                sorted({reason["check"] for reason in comment.check_reasons})
            )

        stages = [
            ("civility model alone", timed(score, len(texts), options.seconds)),
            ("check_comment (no write)", timed(check, len(texts), options.seconds)),
            ("post_comment (end to end)", timed(post, len(texts), options.seconds)),
        ]
    average = sum(map(len, texts)) / len(texts)
    new_readers = round(options.readers * NEW_READERS_SHARE)
    say(
        f"Moderation pipeline benchmark, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, {pinning}, Python {sys.version.split()[0]}"
    )
    say(f"database: {database}; cache: local memory")
    say(
        f"{len(texts):,} comments, {average:.0f} characters on average, one at a time; "
        f"{options.readers} readers ({new_readers} new, whose first "
        f"{settings.GAZETTE_PREMODERATE_FIRST_COMMENTS} comments wait), "
        f"{len(stories)} stories, {len(BANNED)} banned and {len(SUSPECT)} suspect "
        "words; a reply in every 5; half sent as 'post anyway'"
    )
    say(
        f"clock: time-machine, moved {SECONDS_BETWEEN_COMMENTS} s before every "
        f"comment, so each reader comments every {turn} s (interval {interval} s, "
        f"{hourly} an hour)"
    )
    say()
    say(
        f"{'stage':<27} {'comments/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'x model':>8} {'queries':>8}"
    )
    model_mean = statistics.fmean(stages[0][1][0])
    for name, (durations, _, queries) in stages:
        mean = statistics.fmean(durations)
        cuts = statistics.quantiles(durations, n=100, method="inclusive")
        say(
            f"{name:<27} {1 / mean:>10,.0f} {cuts[49] * 1000:>8.2f} "
            f"{cuts[98] * 1000:>8.2f} {mean / model_mean:>8.1f} "
            f"{queries / len(durations):>8.1f}"
        )
    say()
    for name, (durations, outcomes, _) in stages:
        short = "" if len(durations) == len(texts) else " (stopped at --seconds)"
        counts = ", ".join(f"{outcome} {n:,}" for outcome, n in outcomes.most_common())
        say(f"{name}: {len(durations):,}{short}: {counts}")
    say()
    loaded = (
        "n/a"
        if before_model is None or after_model is None
        else f"{after_model - before_model:.0f} MB"
    )
    say(
        f"memory: {before_model or 0:.0f} MB resident before the model, the model "
        f"adds {loaded}; peak RSS of the run {peak_megabytes():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=15, help="per stage")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL database to drop, make again and drop at the end",
    )
    options = parser.parse_args()
    pinning = pin_to_one_core()
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as temporary:
        workspace = Path(temporary)
        os.environ.pop("REDIS_URL", None)
        os.environ["GAZETTE_VAR_DIR"] = str(workspace / "var")
        os.environ["GAZETTE_CIVILITY_DIR"] = str(workspace / "var" / "civility")
        os.environ["DJANGO_SETTINGS_MODULE"] = "gazette.settings"
        if options.database_url:
            recreate_postgres_database(options.database_url)
            os.environ["DATABASE_URL"] = options.database_url
            parts = urlsplit(options.database_url)
            database = f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{workspace / 'bench.sqlite3'}"
            database = "SQLite (WAL, a file in a temporary folder)"
        try:
            subprocess.run(
                [sys.executable, "-m", "gazette.cli", "migrate", "--verbosity", "0"],
                cwd=ROOT,
                check=True,
            )
            run(options, database=database, pinning=pinning)
        finally:
            if options.database_url:
                drop_postgres_database(options.database_url)


if __name__ == "__main__":
    main()
