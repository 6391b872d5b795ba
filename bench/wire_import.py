"""Wire import throughput: 10,000 generated ninjs stories through the real path.

    .venv/bin/python bench/wire_import.py [--stories 10000] [--seconds 600]
                                          [--databases sqlite,postgres]

Writes the stories as ninjs 3 files (one item each, a picture on every fourth) in
a temporary folder, then, for each database, starts a fresh process on an empty
database (SQLite: a file in the temporary folder; PostgreSQL: the database
`bench_wire`, dropped and made again) that files every story with
`gazette.wire.services.import_file`, as `gazette import` does, and reports stories
per second and the process's peak resident memory. Each run stops at --seconds
and reports what it filed by then.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
WORDS = ("council", "harbor", "vote", "budget", "island", "school", "water", "power",
         "road", "tourism", "storm", "court", "police", "hospital", "airline", "farm",
         "ocean", "reef", "housing", "market", "rail", "park", "governor", "senate",
         "county", "mayor", "union", "teacher", "fishing", "surf", "festival",
         "wildfire")  # fmt: skip


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def sentence(rng: random.Random, words: int = 18) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def story(number: int, rng: random.Random) -> dict:
    """One ninjs 3 text item like an agency's, with a unique id and headline."""
    created = datetime(2024, 12, 13, tzinfo=UTC) + timedelta(minutes=number)
    paragraphs = [
        f"<p>{' '.join(sentence(rng) for _ in range(3))}</p>" for _ in range(6)
    ]
    paragraphs[0] = paragraphs[0].replace("<p>", "<p>HONOLULU (AP) -- ", 1)
    item = {
        "uri": f"urn:newsml:bench.example.com:2024:{number:06d}",
        "type": "text",
        "version": "1",
        "versionCreated": created.isoformat(),
        "firstCreated": created.isoformat(),
        "language": "en",
        "headlines": [{"role": "main", "value": f"{sentence(rng, 6)[:-1]} ({number})"}],
        "by": "Bench Writer",
        "subjects": [{"name": rng.choice(WORDS)}],
        "keywords": rng.sample(WORDS, 3),
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": "".join(paragraphs)}
        ],
    }
    if number % 4 == 0:
        item["associations"] = [
            {
                "name": "photo",
                "type": "picture",
                "by": "BENCH PHOTOGRAPHER / AP",
                "descriptions": [{"role": "caption", "value": sentence(rng)}],
                "renditions": [
                    {
                        "name": "preview",
                        "href": f"https://images.bench.example.com/{number}.jpg",
                        "contentType": "image/jpeg",
                        "width": 1024,
                    }
                ],
            }
        ]
    return item


def generate(folder: Path, count: int) -> list[Path]:
    rng = random.Random(2024)
    paths = []
    for number in range(count):
        path = folder / f"{number:06d}.json"
        path.write_text(json.dumps(story(number, rng)))
        paths.append(path)
    return paths


def recreate_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def run_child(folder: Path, seconds: float) -> None:
    """In a fresh process on an empty database: migrate, then import and time."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
    django.setup()
    import logging

    from django.core.management import call_command

    from gazette.wire.services import import_file

    logging.getLogger("gazette").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, interactive=False)
    paths = sorted(folder.glob("*.json"))
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    deadline = started + seconds
    done = 0
    for path in paths:
        for result in import_file(path, publish=True):
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        done += 1
        if time.perf_counter() > deadline:
            break
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    say(
        json.dumps(
            {
                "stories": done,
                "seconds": round(elapsed, 2),
                "per_second": round(done / elapsed, 1),
                "peak_rss_mib": round(peak_kib / 1024, 1),
                "outcomes": outcomes,
                "complete": done == len(paths),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        run_child(options.child, options.seconds)
        return
    with tempfile.TemporaryDirectory(prefix="wire-bench-") as temporary:
        workspace = Path(temporary)
        stories = workspace / "stories"
        stories.mkdir()
        started = time.perf_counter()
        generate(stories, options.stories)
        say(
            f"generated {options.stories:,} ninjs stories in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for database in options.databases.split(","):
            if database == "sqlite":
                url = f"sqlite:///{workspace / 'bench.sqlite3'}"
            elif database == "postgres":
                recreate_postgres_database("bench_wire")
                url = f"{POSTGRES_SERVER}/bench_wire"
            else:
                raise SystemExit(f"unknown database {database!r}")
            environment = {
                **os.environ,
                "DATABASE_URL": url,
                "GAZETTE_VAR_DIR": str(workspace / f"var-{database}"),
            }
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(stories),
                    "--seconds",
                    str(options.seconds),
                ],  # fmt: skip
                env=environment,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                raise SystemExit(f"{database} run failed:\n{child.stderr[-3000:]}")
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            note = "" if figures["complete"] else " (stopped at the time limit)"
            say(
                f"{database:>8}: {figures['stories']:,} stories in "
                f"{figures['seconds']} s = {figures['per_second']} stories/s, "
                f"peak RSS {figures['peak_rss_mib']} MiB, {figures['outcomes']}{note}"
            )


if __name__ == "__main__":
    main()
