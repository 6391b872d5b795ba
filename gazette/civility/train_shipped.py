"""Rebuild the shipped civility model from its sources, byte for byte.

    .venv/bin/python -m gazette.civility.train_shipped

reads ../shared/data/toxicity/davidson_labeled_data.csv (or --davidson PATH),
data/written/comments_train.csv, data/lexicon.txt and the template generator,
and writes data/civility-model.json.gz. Everything is seeded: the same inputs
give the same file. It takes about 40 seconds on one core.

What each score learns from:

- bad taste (`offensive`): Davidson's hate and offensive tweets against the
  others, plus the written and generated comments' bad-taste labels;
- personal attack (`attack`): the written and generated comments, which
  separate insults aimed at the reader from strong language aimed at no one,
  plus Davidson tweets read weakly: an offensive tweet that addresses someone
  ("you", "your", "@user") counts as an attack, any other as none.

A fifth of the Davidson tweets (stratified by class, fixed seed) is never used
for fitting, so that their scores can be reported; comments_heldout.csv and
comments_dev.csv are never used for fitting.
"""

import argparse
import csv
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from gazette.civility.evaluation import evaluate, read_labeled_csv
from gazette.civility.features import MENTION_TOKEN, Lexicon, featurize, tokenize
from gazette.civility.model import LinearCivilityModel, save, shipped_artifact_path
from gazette.civility.synthetic import synthetic_examples
from gazette.civility.training import (
    FeatureVector,
    FtrlSettings,
    fit_head,
    stratified_split,
    vectorize,
)

logger = logging.getLogger("gazette.civility.train_shipped")

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
DEFAULT_DAVIDSON = (
    PACKAGE.parents[2] / "shared" / "data" / "toxicity" / "davidson_labeled_data.csv"
)
SEED = 2017
DAVIDSON_HELD_OUT = 0.2
SYNTHETIC_COUNT = 3000
SETTINGS = FtrlSettings(alpha=0.1, beta=1.0, l1=0.5, l2=1.0, epochs=6)


@dataclass(frozen=True)
class Importance:
    """How much one example of each source counts while fitting."""

    written: float = 1.0
    synthetic: float = 0.5
    davidson_offensive: float = 1.0
    davidson_attack: float = 0.3


IMPORTANCE = Importance()


@dataclass
class Corpus:
    """Featurized training examples with both labels and their importances."""

    vectors: list[FeatureVector]
    attack: list[int]
    offensive: list[int]
    attack_importance: list[float]
    offensive_importance: list[float]

    def add(
        self,
        vector: FeatureVector,
        *,
        attack: int,
        offensive: int,
        attack_importance: float,
        offensive_importance: float,
    ) -> None:
        """Add one example."""
        self.vectors.append(vector)
        self.attack.append(attack)
        self.offensive.append(offensive)
        self.attack_importance.append(attack_importance)
        self.offensive_importance.append(offensive_importance)


def read_davidson(path: Path) -> tuple[list[str], list[int]]:
    """Davidson tweets and their majority class (0 hate, 1 offensive, 2 neither)."""
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return [row["tweet"] for row in rows], [int(row["class"]) for row in rows]


def read_written(path: Path) -> tuple[list[str], list[int], list[int]]:
    """Comments written for the project, with attack and bad-taste labels."""
    texts, attack = read_labeled_csv(path, text_column="text", label_column="attack")
    _, offensive = read_labeled_csv(path, text_column="text", label_column="offensive")
    return texts, attack, offensive


def addresses_someone(text: str, lexicon: Lexicon) -> bool:
    """Whether a tweet speaks to someone: "you" and its forms, or an @mention."""
    second_person = set(lexicon.words("second_person"))
    return any(
        token in second_person or token == MENTION_TOKEN
        for token in tokenize(text, lexicon)
    )


def build_corpus(
    lexicon: Lexicon,
    davidson: tuple[Sequence[str], Sequence[int]],
    written: tuple[Sequence[str], Sequence[int], Sequence[int]],
) -> Corpus:
    """Featurize every training source into one corpus."""
    corpus = Corpus([], [], [], [], [])
    for text, attack, offensive in zip(*written, strict=True):
        corpus.add(
            vectorize(featurize(text, lexicon)),
            attack=attack,
            offensive=offensive,
            attack_importance=IMPORTANCE.written,
            offensive_importance=IMPORTANCE.written,
        )
    for example in synthetic_examples(SYNTHETIC_COUNT, seed=SEED):
        corpus.add(
            vectorize(featurize(example.text, lexicon)),
            attack=example.attack,
            offensive=example.offensive,
            attack_importance=IMPORTANCE.synthetic,
            offensive_importance=IMPORTANCE.synthetic,
        )
    for text, label in zip(*davidson, strict=True):
        is_offensive = int(label in (0, 1))
        corpus.add(
            vectorize(featurize(text, lexicon)),
            attack=int(is_offensive and addresses_someone(text, lexicon)),
            offensive=is_offensive,
            attack_importance=IMPORTANCE.davidson_attack,
            offensive_importance=IMPORTANCE.davidson_offensive,
        )
    return corpus


def train_shipped_model(davidson_path: Path) -> tuple[LinearCivilityModel, dict]:
    """Fit both heads on the shipped sources; also return the Davidson hold-out."""
    lexicon_text = (DATA / "lexicon.txt").read_text(encoding="utf-8")
    lexicon = Lexicon.from_text(lexicon_text)
    tweets, classes = read_davidson(davidson_path)
    fitting, holding = stratified_split(classes, held_out=DAVIDSON_HELD_OUT, seed=SEED)
    written = read_written(DATA / "written" / "comments_train.csv")
    corpus = build_corpus(
        lexicon,
        ([tweets[i] for i in fitting], [classes[i] for i in fitting]),
        written,
    )
    logger.info("Fitting on %d examples.", len(corpus.vectors))
    offensive = fit_head(
        corpus.vectors,
        corpus.offensive,
        importances=corpus.offensive_importance,
        settings=SETTINGS,
        seed=SEED,
    )
    attack = fit_head(
        corpus.vectors,
        corpus.attack,
        importances=corpus.attack_importance,
        settings=SETTINGS,
        seed=SEED + 1,
    )
    metadata = {
        "trained_on": [
            "davidson_labeled_data.csv (80% stratified, seed 2017)",
            "data/written/comments_train.csv",
            f"synthetic.py ({SYNTHETIC_COUNT} comments, seed {SEED})",
        ],
        "examples": len(corpus.vectors),
        "settings": asdict(SETTINGS),
        "importance": asdict(IMPORTANCE),
        "seed": SEED,
    }
    model = LinearCivilityModel(
        lexicon_text, attack, offensive, metadata, "gazette-linear"
    )
    held_out = {
        "texts": [tweets[i] for i in holding],
        "classes": [classes[i] for i in holding],
    }
    return model, held_out


def report(model: LinearCivilityModel, davidson_held_out: dict) -> None:
    """Log the model's quality on what it was not fitted on."""
    texts = davidson_held_out["texts"]
    offensive = [int(label in (0, 1)) for label in davidson_held_out["classes"]]
    logger.info(
        "Davidson held-out, bad taste:\n%s",
        evaluate(model, texts, offensive, score="offensive").summary(),
    )
    written_texts, attack, _ = read_written(DATA / "written" / "comments_heldout.csv")
    logger.info(
        "Written held-out comments, attack:\n%s",
        evaluate(model, written_texts, attack).summary(),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Rebuild the shipped artifact and report on the held-out sets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--davidson", type=Path, default=DEFAULT_DAVIDSON)
    parser.add_argument("--output", type=Path, default=shipped_artifact_path())
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model, held_out = train_shipped_model(arguments.davidson)
    save(model, arguments.output)
    logger.info(
        "Wrote %s: %d attack and %d bad-taste weights, %.0f kB.",
        arguments.output,
        len(model.attack.weights),
        len(model.offensive.weights),
        arguments.output.stat().st_size / 1000,
    )
    report(model, held_out)


if __name__ == "__main__":
    main()
