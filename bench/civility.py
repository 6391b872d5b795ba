"""Throughput and memory of the shipped civility model, on one core.

    .venv/bin/python bench/civility.py [--seconds 2]

Scores the written held-out comments (gazette/civility/data/written/) over and
over, one at a time and as a batch, pinned to one CPU, and measures the peak
resident memory of a fresh Python process that imports the package, loads the
model and scores a comment. When alt-profanity-check is importable (install it
with `pip install alt-profanity-check==1.9.1`, or run this script with a Python
that has it and PYTHONPATH pointing at this tree), it is measured the same way
as the reference. Runs twice: on the comments as written (short), and on
comments four times as long, about the length of a news site's. Takes about 20
seconds. Not a test.
"""

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# One core means one thread for numerical libraries too (the reference's numpy).
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazette.civility.evaluation import read_labeled_csv  # noqa: E402

COMMENTS = ROOT / "gazette" / "civility" / "data" / "written" / "comments_heldout.csv"

MEMORY_PROBES = {
    "gazette": (
        "from gazette.civility import shipped_model\n"
        "shipped_model().score('You are an idiot.')\n"
    ),
    "alt-profanity-check": (
        "from profanity_check import predict_prob\n"
        "predict_prob(['You are an idiot.'])\n"
    ),
}
PEAK_RSS = (
    "import resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def pin_to_one_core() -> None:
    """Run on a single CPU, as the goal is stated."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def peak_rss_megabytes(probe: str) -> float | None:
    """Peak resident memory of a fresh Python running probe, in MB, or None."""
    result = subprocess.run(
        [sys.executable, "-c", probe + PEAK_RSS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    if result.returncode != 0:
        return None
    return int(result.stdout.split()[-1]) / 1024


def rate(work: Callable[[], int], seconds: float) -> float:
    """Comments per second of work (which returns how many it scored)."""
    work()
    scored = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        scored += work()
    return scored / (time.perf_counter() - started)


def gazette_rates(texts: list[str], seconds: float) -> tuple[float, float]:
    """The shipped model, one comment at a time and as a batch."""
    from gazette.civility import shipped_model

    model = shipped_model()

    def one_at_a_time() -> int:
        for text in texts:
            model.score(text)
        return len(texts)

    def batched() -> int:
        return len(model.score_many(texts))

    return rate(one_at_a_time, seconds), rate(batched, seconds)


def reference_rates(texts: list[str], seconds: float) -> tuple[float, float] | None:
    """alt-profanity-check the same way, or None if it is not installed."""
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None

    def one_at_a_time() -> int:
        for text in texts[:50]:
            predict_prob([text])
        return 50

    def batched() -> int:
        return len(predict_prob(texts))

    return rate(one_at_a_time, seconds), rate(batched, seconds)


def news_length(texts: list[str]) -> list[str]:
    """Comments about as long as a news site's (some 200 characters): four in one."""
    return [" ".join(texts[start : start + 4]) for start in range(0, len(texts), 4)]


def show(name: str, rates: tuple[float, float] | None, memory: float | None) -> None:
    """Print one row of the results."""
    if rates is None:
        print(f"{name:<22} not installed")  # noqa: T201
        return
    one, batch = rates
    peak = "n/a" if memory is None else f"{memory:.0f} MB"
    print(f"{name:<22} {one:>12,.0f} {batch:>12,.0f} {peak:>14}")  # noqa: T201


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    arguments = parser.parse_args()
    pin_to_one_core()
    short, _ = read_labeled_csv(COMMENTS, text_column="text", label_column="attack")
    memory = {name: peak_rss_megabytes(probe) for name, probe in MEMORY_PROBES.items()}
    for texts in (short, news_length(short)):
        average = sum(map(len, texts)) / len(texts)
        print(  # noqa: T201
            f"\n{len(texts)} comments, {average:.0f} characters on average, one core\n"
            f"{'':<22} {'one at a time':>12} {'batched':>12} {'peak RSS':>14}\n"
            f"{'':<22} {'(comments/s)':>12} {'(comments/s)':>12} {'(new process)':>14}"
        )
        show(
            "gazette shipped model",
            gazette_rates(texts, arguments.seconds),
            memory["gazette"],
        )
        show(
            "alt-profanity-check",
            reference_rates(texts, arguments.seconds),
            memory["alt-profanity-check"],
        )


if __name__ == "__main__":
    main()
