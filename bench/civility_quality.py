"""How well the shipped civility model ranks comments it was not fitted on.

    .venv/bin/python bench/civility_quality.py [--davidson PATH]

Reports ROC-AUC and precision/recall at the configured thresholds on:

- the written held-out comments (gazette/civility/data/written/
  comments_heldout.csv): news-comment-style personal attacks against strong
  language, third-person insults and civil disagreement, never used in fitting;
- the Davidson tweets held out by train_shipped.py (same seed and split).

alt-profanity-check, when importable, is scored on the same sets side by side.
It was itself trained on all of the Davidson data, so its Davidson figures are
not a held-out measurement. Not a test: it prints figures for the README.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gazette.civility.evaluation import (  # noqa: E402
    DEFAULT_THRESHOLDS,
    Evaluation,
    at_threshold,
    evaluate,
    read_labeled_csv,
    roc_auc,
)
from gazette.civility.model import shipped_model  # noqa: E402
from gazette.civility.train_shipped import (  # noqa: E402
    DATA,
    DAVIDSON_HELD_OUT,
    DEFAULT_DAVIDSON,
    SEED,
    read_davidson,
)
from gazette.civility.training import stratified_split  # noqa: E402


def profanity_check_scores(texts: list[str]) -> list[float] | None:
    """alt-profanity-check's probabilities, or None if it is not installed."""
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None
    return [float(score) for score in predict_prob(texts)]


def evaluation_of(scores: list[float], labels: list[int], name: str) -> Evaluation:
    """An Evaluation from precomputed scores."""
    return Evaluation(
        score=name,
        count=len(labels),
        positives=sum(labels),
        roc_auc=roc_auc(scores, labels),
        at_thresholds=(
            at_threshold("hold", DEFAULT_THRESHOLDS.hold, scores, labels),
            at_threshold("reject", DEFAULT_THRESHOLDS.reject, scores, labels),
        ),
    )


def show(title: str, evaluation: Evaluation) -> None:
    """Print one evaluation under a title."""
    print(f"\n{title}\n{evaluation.summary()}")  # noqa: T201


def compare(title: str, texts: list[str], labels: list[int], score: str) -> None:
    """Evaluate the shipped model and the reference on one labeled set."""
    show(
        f"{title} - Gazette model ({score})",
        evaluate(shipped_model(), texts, labels, score=score),
    )
    reference = profanity_check_scores(texts)
    if reference is None:
        print("alt-profanity-check is not installed; no reference.")  # noqa: T201
    else:
        show(
            f"{title} - alt-profanity-check",
            evaluation_of(reference, labels, "profanity"),
        )


def main() -> None:
    """Print quality figures for both held-out sets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--davidson", type=Path, default=DEFAULT_DAVIDSON)
    arguments = parser.parse_args()
    texts, attack = read_labeled_csv(
        DATA / "written" / "comments_heldout.csv",
        text_column="text",
        label_column="attack",
    )
    compare("Written held-out comments: personal attack", texts, attack, "attack")
    _, offensive = read_labeled_csv(
        DATA / "written" / "comments_heldout.csv",
        text_column="text",
        label_column="offensive",
    )
    compare("Written held-out comments: bad taste", texts, offensive, "offensive")
    tweets, classes = read_davidson(arguments.davidson)
    _, holding = stratified_split(classes, held_out=DAVIDSON_HELD_OUT, seed=SEED)
    held_texts = [tweets[index] for index in holding]
    held_labels = [int(classes[index] in (0, 1)) for index in holding]
    compare(
        "Davidson held-out tweets: hate or offensive",
        held_texts,
        held_labels,
        "offensive",
    )


if __name__ == "__main__":
    main()
