"""Fit civility models in pure Python: no numerical library is needed.

Each head is a logistic regression fitted with FTRL-Proximal (McMahan et al.,
"Ad Click Prediction: a View from the Trenches", KDD 2013): per-feature learning
rates suit sparse text features, and its L1 term leaves most of the millions of
possible letter sequences at exactly zero, which keeps model files small.

A head can start from another model's head (`offset`): only the difference is
learned and regularised, so a few hundred moderation decisions adjust the
shipped model instead of replacing it.
"""

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from gazette.civility.evaluation import (
    DEFAULT_THRESHOLDS,
    Evaluation,
    Thresholds,
    evaluate,
)
from gazette.civility.features import Lexicon, featurize
from gazette.civility.model import Head, LinearCivilityModel, shipped_model, sigmoid

FeatureVector = tuple[tuple[str, ...], tuple[float, ...]]


@dataclass(frozen=True)
class FtrlSettings:
    """How a head is fitted."""

    alpha: float = 0.1
    beta: float = 1.0
    l1: float = 0.5
    l2: float = 1.0
    epochs: int = 6


def vectorize(features: dict[str, float]) -> FeatureVector:
    """Freeze a feature dict compactly; interned names are shared by all examples."""
    return tuple(sys.intern(name) for name in features), tuple(features.values())


class FtrlHead:
    """The state of one head while it is being fitted."""

    BIAS = "\x00bias"

    def __init__(self, settings: FtrlSettings, offset: Head | None = None) -> None:
        self.settings = settings
        self.offset = offset
        self.z: dict[str, float] = {}
        self.n: dict[str, float] = {}

    def weight(self, feature: str) -> float:
        """The current weight of one feature (zero inside the L1 band)."""
        z = self.z.get(feature, 0.0)
        settings = self.settings
        l1 = 0.0 if feature == self.BIAS else settings.l1
        if abs(z) <= l1:
            return 0.0
        n = self.n.get(feature, 0.0)
        sign = 1.0 if z > 0 else -1.0
        return -(z - sign * l1) / (
            (settings.beta + math.sqrt(n)) / settings.alpha + settings.l2
        )

    def offset_logit(self, names: tuple[str, ...], values: tuple[float, ...]) -> float:
        """The starting model's raw score, or 0 without one."""
        if self.offset is None:
            return 0.0
        return self.offset.logit(dict(zip(names, values, strict=True)))

    def learn(
        self, vector: FeatureVector, label: float, importance: float, base: float
    ) -> None:
        """One FTRL step on one example."""
        names, values = vector
        weights = [self.weight(name) for name in names]
        bias = self.weight(self.BIAS)
        logit = base + bias + sum(w * v for w, v in zip(weights, values, strict=True))
        gradient = (sigmoid(logit) - label) * importance
        alpha = self.settings.alpha
        for name, value, weight in zip(
            (*names, self.BIAS), (*values, 1.0), (*weights, bias), strict=True
        ):
            g = gradient * value
            n = self.n.get(name, 0.0)
            sigma = (math.sqrt(n + g * g) - math.sqrt(n)) / alpha
            self.z[name] = self.z.get(name, 0.0) + g - sigma * weight
            self.n[name] = n + g * g

    def head(self) -> Head:
        """The fitted head, with the starting model's weights folded in."""
        weights = {name: self.weight(name) for name in self.z if name != self.BIAS}
        weights = {name: weight for name, weight in weights.items() if weight}
        bias = self.weight(self.BIAS)
        if self.offset is not None:
            bias += self.offset.bias
            for name, weight in self.offset.weights.items():
                weights[name] = weights.get(name, 0.0) + weight
        return Head(bias=bias, weights=weights)


def fit_head(
    vectors: Sequence[FeatureVector],
    labels: Sequence[float],
    *,
    importances: Sequence[float] | None = None,
    settings: FtrlSettings = FtrlSettings(),
    offset: Head | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Head:
    """Fit one logistic head on feature vectors, reproducibly for a given seed."""
    if importances is None:
        importances = [1.0] * len(vectors)
    state = FtrlHead(settings, offset)
    bases = [state.offset_logit(*vector) for vector in vectors]
    order = list(range(len(vectors)))
    shuffle = random.Random(seed)
    for epoch in range(settings.epochs):
        shuffle.shuffle(order)
        for index in order:
            state.learn(vectors[index], labels[index], importances[index], bases[index])
        if progress:
            progress(epoch + 1, settings.epochs)
    return state.head()


def stratified_split(
    labels: Sequence[int], *, held_out: float, seed: int
) -> tuple[list[int], list[int]]:
    """Indices for fitting and for holding out, each class split in proportion."""
    shuffle = random.Random(seed)
    fitting: list[int] = []
    holding: list[int] = []
    for label in sorted(set(labels)):
        members = [index for index, value in enumerate(labels) if value == label]
        shuffle.shuffle(members)
        count = round(len(members) * held_out)
        holding.extend(members[:count])
        fitting.extend(members[count:])
    return sorted(fitting), sorted(holding)


def feature_vectors(lexicon: Lexicon, texts: Sequence[str]) -> list[FeatureVector]:
    """Featurize texts once for all epochs."""
    return [vectorize(featurize(text, lexicon)) for text in texts]


def train(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    held_out: float = 0.2,
    seed: int = 0,
    base: LinearCivilityModel | None | Literal["shipped"] = "shipped",
    settings: FtrlSettings = FtrlSettings(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[LinearCivilityModel, Evaluation]:
    """Fit a model on moderators' decisions (1 = rejected) and report its quality.

    A stratified `held_out` share of the decisions is kept out of fitting and
    scored afterwards; the returned model is the one fitted without it, so the
    evaluation describes exactly that model. By default the attack score starts
    from the shipped model and learns only how this paper's moderators differ;
    the bad-taste score stays the base model's. With `base=None` both scores are
    fitted from nothing on the decisions alone. `progress(epoch, epochs)` is
    called after each pass, for a progress bar.
    """
    if len(texts) != len(labels):
        raise ValueError("There must be one label per text.")
    if not 0 <= held_out < 1:
        raise ValueError("held_out must be at least 0 and less than 1.")
    labels = [1 if label else 0 for label in labels]
    if len(set(labels)) < 2:
        raise ValueError("Training needs both approved and rejected comments.")
    if base == "shipped":
        base = shipped_model()
    lexicon_text = base.lexicon_text if base else shipped_lexicon_text()
    fitting, holding = stratified_split(labels, held_out=held_out, seed=seed)
    lexicon = Lexicon.from_text(lexicon_text)
    vectors = feature_vectors(lexicon, [texts[index] for index in fitting])
    head = fit_head(
        vectors,
        [labels[index] for index in fitting],
        settings=settings,
        offset=base.attack if base else None,
        seed=seed,
        progress=progress,
    )
    model = LinearCivilityModel(
        lexicon_text=lexicon_text,
        attack=head,
        offensive=base.offensive if base else head,
        metadata={
            "trained_on": "moderation decisions",
            "examples": len(fitting),
            "held_out": len(holding),
            "seed": seed,
            "base": base.name if base else None,
        },
        name="gazette-linear-moderators",
    )
    evaluation = evaluate(
        model,
        [texts[index] for index in holding],
        [labels[index] for index in holding],
        thresholds,
    )
    return model, evaluation


def shipped_lexicon_text() -> str:
    """The lexicon that ships in data/lexicon.txt."""
    return (resources.files("gazette.civility") / "data" / "lexicon.txt").read_text(
        encoding="utf-8"
    )
