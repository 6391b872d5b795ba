"""The civility score and the shipped linear model behind it.

Any provider (the shipped model, a model trained on the paper's own moderation
decisions, a remote moderation service) answers `score(text)` with a
`CivilityScore`: how likely the comment attacks a person (`attack`), how likely
it is in bad taste (`offensive`), and short reasons a moderator can read.

The shipped model is a pair of logistic regressions over words, word pairs,
letter sequences and hand-written signals (see features.py). Its weights are a
gzipped JSON file inside this package, loaded once per process on first use.
Scoring needs only the standard library.
"""

import gzip
import heapq
import json
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from gazette.civility.features import Lexicon, describe, feature_groups, featurize

ARTIFACT_FORMAT = "gazette-civility-linear/1"
SHIPPED_ARTIFACT = "civility-model.json.gz"
HEADS = ("attack", "offensive")
REASON_FLOOR = 0.2
REASON_LIMIT = 3
MIN_PUSH = 0.15
NO_REASON = "no uncivil signal"


@dataclass(frozen=True)
class CivilityScore:
    """How uncivil a comment looks, each score from 0 (civil) to 1."""

    attack: float
    offensive: float
    reasons: list[str] = field(default_factory=list)
    provider: str = ""


@runtime_checkable
class CivilityProvider(Protocol):
    """Anything that can score comments for civility."""

    def score(self, text: str) -> CivilityScore:
        """Score one comment."""
        ...

    def score_many(self, texts: Iterable[str]) -> list[CivilityScore]:
        """Score several comments, in order."""
        ...


def sigmoid(logit: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if logit >= 0:
        return 1 / (1 + math.exp(-logit))
    exponential = math.exp(logit)
    return exponential / (1 + exponential)


@dataclass
class Head:
    """One logistic regression: a bias and a weight per feature."""

    bias: float = 0.0
    weights: dict[str, float] = field(default_factory=dict)

    def logit(self, features: dict[str, float]) -> float:
        """The raw score of a comment's features."""
        weights = self.weights
        total = self.bias
        for feature, value in features.items():
            weight = weights.get(feature)
            if weight is not None:
                total += weight * value
        return total

    def to_json(self) -> dict[str, Any]:
        """The head as plain JSON data, weights rounded to keep files small."""
        return {
            "bias": round(self.bias, 5),
            "weights": {
                feature: round(weight, 5)
                for feature, weight in sorted(self.weights.items())
                if round(weight, 5)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Head":
        """Rebuild a head saved with to_json."""
        return cls(bias=float(data["bias"]), weights=dict(data["weights"]))


def explain(
    pushes: list[tuple[float, float, str]], *, attack: float, offensive: float
) -> list[str]:
    """Name the features that pushed each score that is high enough to matter."""
    reasons = []
    for label, index, probability in (
        ("attack", 0, attack),
        ("bad taste", 1, offensive),
    ):
        if probability < REASON_FLOOR:
            continue
        strongest = heapq.nlargest(
            REASON_LIMIT,
            (push for push in pushes if push[index] >= MIN_PUSH),
            key=lambda push, index=index: push[index],
        )
        reasons.extend(f"{label}: {describe(push[2])}" for push in strongest)
    return reasons or [NO_REASON]


def weight_table(attack: Head, offensive: Head) -> dict[str, tuple[float, float]]:
    """Both heads' weights under each feature: one lookup per feature, not two."""
    return {
        feature: (attack.weights.get(feature, 0.0), offensive.weights.get(feature, 0.0))
        for feature in attack.weights.keys() | offensive.weights.keys()
    }


class CivilityModelError(ValueError):
    """A model file that cannot be used."""


@dataclass
class LinearCivilityModel:
    """The linear civility model: one lexicon, an attack head and an offensive head."""

    lexicon_text: str
    attack: Head
    offensive: Head
    metadata: dict[str, Any] = field(default_factory=dict)
    name: str = "gazette-linear"

    def __post_init__(self) -> None:
        self.lexicon = Lexicon.from_text(self.lexicon_text)
        self.table = weight_table(self.attack, self.offensive)
        # Compile the lexicon's patterns now, not in the first request's thread.
        self.lexicon.patterns  # noqa: B018
        self.lexicon.masked_words  # noqa: B018

    def features(self, text: str) -> dict[str, float]:
        """The features this model sees in a comment."""
        return featurize(text, self.lexicon)

    def score(self, text: str) -> CivilityScore:
        """Score one comment, with the strongest reasons behind each score.

        The features are weighed group by group, in featurize's order (the same
        sums to the last bit); what pushed the scores is gathered only for a
        score high enough to be explained.
        """
        attack_logit, offensive_logit = self.attack.bias, self.offensive.bias
        table = self.table
        groups = feature_groups(text, self.lexicon)
        for value, group in groups:
            for feature in group:
                weights = table.get(feature)
                if weights is not None:
                    attack_logit += weights[0] * value
                    offensive_logit += weights[1] * value
        attack, offensive = sigmoid(attack_logit), sigmoid(offensive_logit)
        pushes: list[tuple[float, float, str]] = []
        if max(attack, offensive) >= REASON_FLOOR:
            for value, group in groups:
                for feature in group:
                    weights = table.get(feature)
                    # Letter sequences explain nothing to a moderator ("spelling
                    # 'dio'").
                    if weights is None or feature[0] == "c":
                        continue
                    push = (weights[0] * value, weights[1] * value, feature)
                    if max(push[0], push[1]) >= MIN_PUSH:
                        pushes.append(push)
        reasons = explain(pushes, attack=attack, offensive=offensive)
        return CivilityScore(attack, offensive, reasons, self.name)

    def score_many(self, texts: Iterable[str]) -> list[CivilityScore]:
        """Score several comments, in order."""
        return [self.score(text) for text in texts]

    def to_json(self) -> dict[str, Any]:
        """The whole model as plain JSON data."""
        return {
            "format": ARTIFACT_FORMAT,
            "name": self.name,
            "metadata": self.metadata,
            "lexicon": self.lexicon_text,
            "heads": {
                "attack": self.attack.to_json(),
                "offensive": self.offensive.to_json(),
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LinearCivilityModel":
        """Rebuild a model saved with to_json."""
        if data.get("format") != ARTIFACT_FORMAT:
            raise CivilityModelError(
                f"Not a Gazette civility model (format {data.get('format')!r})."
            )
        heads = data["heads"]
        return cls(
            lexicon_text=data["lexicon"],
            attack=Head.from_json(heads["attack"]),
            offensive=Head.from_json(heads["offensive"]),
            metadata=data.get("metadata", {}),
            name=data.get("name", "gazette-linear"),
        )


def save(model: LinearCivilityModel, path: str | Path) -> Path:
    """Write a model to a gzipped JSON file; the same bytes for the same model."""
    path = Path(path)
    payload = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":"))
    with (
        path.open("wb") as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
        ) as stream,
    ):
        stream.write(payload.encode("utf-8"))
    return path


def load(path: str | Path) -> LinearCivilityModel:
    """Read a model written by save()."""
    try:
        with gzip.open(path, "rb") as stream:
            data = json.loads(stream.read().decode("utf-8"))
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CivilityModelError(
            f"Cannot read civility model {path}: {error}"
        ) from error
    return LinearCivilityModel.from_json(data)


def shipped_artifact_path() -> Path:
    """Where the model that ships with Gazette lies."""
    return Path(str(resources.files("gazette.civility") / "data" / SHIPPED_ARTIFACT))


_shipped: LinearCivilityModel | None = None
_shipped_lock = threading.Lock()


def shipped_model() -> LinearCivilityModel:
    """The shipped model, loaded on first use and shared by the whole process."""
    global _shipped
    if _shipped is None:
        with _shipped_lock:
            if _shipped is None:
                _shipped = load(shipped_artifact_path())
    return _shipped
