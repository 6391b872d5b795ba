"""Measure a civility provider on labeled comments.

`evaluate` reports what a moderation desk needs to set its thresholds: how well
the scores rank uncivil comments above civil ones (ROC-AUC), and at each
threshold how many flagged comments were right (precision) and how many uncivil
comments were caught (recall).
"""

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gazette.civility.model import CivilityProvider, CivilityScore

ScoreName = Literal["attack", "offensive", "worst"]

POSITIVE_LABELS = frozenset(
    {"1", "true", "yes", "y", "t", "reject", "rejected", "insult", "toxic", "attack"}
)
NEGATIVE_LABELS = frozenset(
    {"0", "false", "no", "n", "f", "approve", "approved", "ok", "civil", "neutral"}
)


@dataclass(frozen=True)
class Thresholds:
    """Scores at which a comment is held for review and at which it is rejected."""

    hold: float = 0.5
    reject: float = 0.9

    def __post_init__(self) -> None:
        if not 0 <= self.hold <= self.reject <= 1:
            raise ValueError("Thresholds need 0 <= hold <= reject <= 1.")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class ThresholdResult:
    """What one threshold catches."""

    name: str
    threshold: float
    flagged: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class Evaluation:
    """How a provider's scores match labels."""

    score: str
    count: int
    positives: int
    roc_auc: float | None
    at_thresholds: tuple[ThresholdResult, ...]

    def summary(self) -> str:
        """A few lines for a terminal or a log."""
        auc = "n/a" if self.roc_auc is None else f"{self.roc_auc:.3f}"
        lines = [
            f"{self.count} comments, {self.positives} labeled uncivil; "
            f"{self.score} ROC-AUC {auc}"
        ]
        for result in self.at_thresholds:
            lines.append(
                f"  {result.name} at {result.threshold:.2f}: "
                f"{result.flagged} flagged, precision {percent(result.precision)}, "
                f"recall {percent(result.recall)}"
            )
        return "\n".join(lines)


def percent(value: float | None) -> str:
    """A ratio as a percentage, or n/a."""
    return "n/a" if value is None else f"{value:.1%}"


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """The chance that a random uncivil comment outscores a random civil one.

    Ties count one half (the Mann-Whitney statistic). None when either class
    is missing.
    """
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    ranked = sorted(zip(scores, labels, strict=True), key=lambda pair: pair[0])
    rank_sum = 0.0
    position = 0
    while position < len(ranked):
        end = position
        while end < len(ranked) and ranked[end][0] == ranked[position][0]:
            end += 1
        average_rank = (position + 1 + end) / 2
        rank_sum += average_rank * sum(1 for _, label in ranked[position:end] if label)
        position = end
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def at_threshold(
    name: str, threshold: float, scores: Sequence[float], labels: Sequence[int]
) -> ThresholdResult:
    """Precision and recall when everything at or above threshold is flagged."""
    flagged = [
        label for score, label in zip(scores, labels, strict=True) if score >= threshold
    ]
    positives = sum(1 for label in labels if label)
    caught = sum(1 for label in flagged if label)
    return ThresholdResult(
        name=name,
        threshold=threshold,
        flagged=len(flagged),
        precision=caught / len(flagged) if flagged else None,
        recall=caught / positives if positives else None,
    )


def pick_score(score: CivilityScore, name: ScoreName) -> float:
    """One number from a CivilityScore: attack, offensive, or the worse of both."""
    if name == "worst":
        return max(score.attack, score.offensive)
    return getattr(score, name)


def evaluate(
    model: CivilityProvider,
    texts: Sequence[str],
    labels: Sequence[int],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    score: ScoreName = "attack",
) -> Evaluation:
    """Score labeled comments and report ROC-AUC, precision and recall."""
    if len(texts) != len(labels):
        raise ValueError("There must be one label per text.")
    labels = [1 if label else 0 for label in labels]
    scores = [pick_score(result, score) for result in model.score_many(texts)]
    return Evaluation(
        score=score,
        count=len(texts),
        positives=sum(labels),
        roc_auc=roc_auc(scores, labels),
        at_thresholds=(
            at_threshold("hold", thresholds.hold, scores, labels),
            at_threshold("reject", thresholds.reject, scores, labels),
        ),
    )


def parse_label(value: str, *, positive: Iterable[str] | None = None) -> int:
    """Read a label cell: 1/0, true/false, reject/approve, or a number."""
    cell = value.strip().lower()
    if positive is not None:
        return int(cell in {item.lower() for item in positive})
    if cell in POSITIVE_LABELS:
        return 1
    if cell in NEGATIVE_LABELS:
        return 0
    try:
        return int(float(cell) >= 0.5)
    except ValueError:
        raise ValueError(f"Cannot read {value!r} as a label.") from None


def read_labeled_csv(
    path: str | Path,
    *,
    text_column: str,
    label_column: str,
    positive: Iterable[str] | None = None,
) -> tuple[list[str], list[int]]:
    """Read texts and 0/1 labels from a CSV file with a header row.

    By default a label is read as 1/0, true/false, yes/no, reject/approve or a
    number (0.5 and above counts as uncivil); `positive` lists the cell values
    that count as uncivil instead (for example Davidson's classes "0" and "1").
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    texts: list[str] = []
    labels: list[int] = []
    with Path(path).open(newline="", encoding="utf-8-sig", errors="replace") as stream:
        reader = csv.DictReader(stream)
        missing = {text_column, label_column} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} has no column {', '.join(sorted(missing))}.")
        for line, row in enumerate(reader, start=2):
            try:
                labels.append(parse_label(row[label_column] or "", positive=positive))
            except ValueError as error:
                raise ValueError(f"{path}, line {line}: {error}") from None
            texts.append(row[text_column] or "")
    return texts, labels
