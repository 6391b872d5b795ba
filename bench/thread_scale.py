"""A story with 10,000 comments renders its first page as fast as one with 10.

    .venv/bin/python bench/thread_scale.py [--requests 200] [--busy 10000]

On a throw-away SQLite database in a temporary folder (migrated by `gazette
migrate` in a process of its own, static files collected), two stories: one with
10 comments, one with --busy comments (written with their counters by
bulk_comments of gazette/discussion/tests/builders.py). A signed-in reader with
comments in both, no page cache and no kept page, so each page is read and
rendered for them, asks for each story page --requests times through Django's WSGI
handler in this process, the two alternating, pinned to one core. Prints the
median and 95th percentile time per page for each, the queries per page, and
the ratio busy ÷ quiet (the goal: at most 1.2). Not a test; the query counts are
asserted in gazette/discussion/tests/test_views.py.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def prepare(folder: Path, busy: int) -> None:
    os.environ.update(
        GAZETTE_VAR_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="gazette.settings",
        GAZETTE_PAGE_CACHE="0",
        # No page kept for signed-in readers either: each page is read and
        # rendered for the reader, whose comments are in both threads.
        GAZETTE_SIGNED_IN_PAGES_KEPT="0",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "-m", "gazette.cli", *command, "-v0"],
            check=True,
            cwd=ROOT,
        )
    import django

    django.setup()


def build(busy: int):
    from gazette.discussion.tests.builders import bulk_comments
    from gazette.testing import make_article, make_reader

    readers = [make_reader(display_name=f"Reader {n}") for n in range(20)]
    stories = {}
    for label, count in (("quiet", 10), ("busy", busy)):
        story = make_article(headline=f"A {label} story", slug=f"{label}-story")
        bulk_comments(story, readers, count)
        stories[label] = story.get_absolute_url()
    return stories, readers[0]


def session_cookie(reader) -> str:
    from django.test import Client

    client = Client()
    client.force_login(reader)
    return f"sessionid={client.cookies['sessionid'].value}"


def request(handler, path: str, cookie: str) -> bytes:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "HTTP_HOST": "localhost",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(b""),
    }
    setup_testing_defaults(environ)
    status = []
    body = b"".join(handler(environ, lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path} answered {status[0]}")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--busy", type=int, default=10_000)
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory(prefix="gazette-thread-") as folder:
        prepare(Path(folder), options.busy)
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        stories, reader = build(options.busy)
        cookie = session_cookie(reader)
        handler = WSGIHandler()
        times = {label: [] for label in stories}
        queries = {}
        for label, path in stories.items():
            request(handler, path, cookie)  # warm: templates, model, caches
            with CaptureQueriesContext(connection) as captured:
                request(handler, path, cookie)
            queries[label] = len(captured.captured_queries)
        for _ in range(options.requests):
            for label, path in stories.items():
                started = time.perf_counter()
                request(handler, path, cookie)
                times[label].append(time.perf_counter() - started)
                reset_queries()
        say(f"Story page, signed in (rendered), {options.requests} requests each")
        say(f"{'story':>24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label in stories:
            ordered = sorted(times[label])
            median = statistics.median(ordered) * 1000
            p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
            count = 10 if label == "quiet" else options.busy
            name = f"{count:,} comments"
            say(f"{name:>24} {median:>10.2f} {p95:>8.2f} {queries[label]:>8}")
        ratio = statistics.median(times["busy"]) / statistics.median(times["quiet"])
        say(f"busy ÷ quiet: {ratio:.2f} (goal: at most 1.2)")


if __name__ == "__main__":
    main()
