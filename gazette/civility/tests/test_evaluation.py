"""Evaluating a provider on labeled comments, and reading them from CSV."""

import pytest

from gazette.civility.evaluation import (
    Thresholds,
    evaluate,
    read_labeled_csv,
    roc_auc,
)
from gazette.civility.model import CivilityScore


class FixedScores:
    """A provider whose attack score is looked up in a table."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def score(self, text: str) -> CivilityScore:
        return CivilityScore(attack=self.table[text], offensive=0.0, reasons=["fixed"])

    def score_many(self, texts):
        return [self.score(text) for text in texts]


def test_evaluate_reports_auc_precision_and_recall_at_both_thresholds():
    provider = FixedScores({"a": 0.95, "b": 0.7, "c": 0.6, "d": 0.3, "e": 0.1})
    evaluation = evaluate(
        provider, ["a", "b", "c", "d", "e"], [1, 0, 1, 1, 0], Thresholds(0.5, 0.9)
    )
    # Positives a, c, d against negatives b, e: 4 of 6 pairs ranked right
    # (c and d fall below b).
    assert evaluation.roc_auc == pytest.approx(4 / 6)
    hold, reject = evaluation.at_thresholds
    assert (hold.flagged, hold.precision, hold.recall) == (
        3,
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
    )
    assert (reject.flagged, reject.precision, reject.recall) == (
        1,
        1.0,
        pytest.approx(1 / 3),
    )
    assert "ROC-AUC 0.667" in evaluation.summary()


def test_tied_scores_count_half():
    assert roc_auc([0.5, 0.5], [1, 0]) == 0.5


def test_auc_is_undefined_with_one_class():
    assert roc_auc([0.1, 0.9], [1, 1]) is None


def test_nothing_flagged_has_no_precision():
    evaluation = evaluate(FixedScores({"a": 0.1, "b": 0.2}), ["a", "b"], [1, 0])
    assert evaluation.at_thresholds[0].precision is None
    assert "precision n/a" in evaluation.summary()


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="hold <= reject"):
        Thresholds(hold=0.9, reject=0.5)


def test_a_labeled_csv_is_read_with_its_named_columns(tmp_path):
    path = tmp_path / "comments.csv"
    path.write_text(
        'id,Comment,Insult\n1,"You idiot, read it",1\n2,Nice photo,0\n'
        "3,Fair point,false\n4,Shut up,reject\n",
        encoding="utf-8",
    )
    texts, labels = read_labeled_csv(path, text_column="Comment", label_column="Insult")
    assert texts == ["You idiot, read it", "Nice photo", "Fair point", "Shut up"]
    assert labels == [1, 0, 0, 1]


def test_positive_values_can_be_named(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text("tweet,class\nbad,0\nrude,1\nfine,2\n", encoding="utf-8")
    _, labels = read_labeled_csv(
        path, text_column="tweet", label_column="class", positive={"0", "1"}
    )
    assert labels == [1, 1, 0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text,label\nhello,maybe\n", "line 2: Cannot read 'maybe'"),
        ("text,verdict\nhello,1\n", "no column label"),
    ],
)
def test_an_unreadable_csv_names_the_problem(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_labeled_csv(path, text_column="text", label_column="label")
