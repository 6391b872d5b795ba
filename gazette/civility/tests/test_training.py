"""Training on the paper's own moderation decisions, saving and loading models."""

import pytest

from gazette.civility.model import CivilityModelError, load, save, shipped_model
from gazette.civility.synthetic import synthetic_examples
from gazette.civility.training import stratified_split, train

# This paper's moderators also reject comments about the "rail cult": a house
# rule the shipped model knows nothing about.
HOUSE_RULE = [f"Rail cult strikes again, item {number}." for number in range(30)]
APPROVED = [f"The rail opened station {number} today." for number in range(30)]


def decisions() -> tuple[list[str], list[int]]:
    examples = synthetic_examples(120, seed=5)
    texts = [example.text for example in examples] + HOUSE_RULE + APPROVED
    labels = [example.attack for example in examples] + [1] * 30 + [0] * 30
    return texts, labels


def test_training_learns_the_moderators_house_rule_and_reports_held_out_quality():
    texts, labels = decisions()
    model, evaluation = train(texts, labels, held_out=0.25, seed=1)
    assert evaluation.count == pytest.approx(len(texts) * 0.25, abs=2)
    assert evaluation.roc_auc > 0.9
    before = shipped_model().score("Rail cult strikes again, item 99.").attack
    after = model.score("Rail cult strikes again, item 99.").attack
    assert after > before
    assert after >= 0.5
    assert model.score("You are a total idiot.").attack >= 0.5


def test_training_from_nothing_needs_no_shipped_model():
    texts, labels = decisions()
    model, evaluation = train(texts, labels, seed=2, base=None)
    assert model.metadata["base"] is None
    assert evaluation.roc_auc > 0.8


def test_training_is_reproducible_for_a_seed():
    texts, labels = decisions()
    first, _ = train(texts, labels, seed=3)
    second, _ = train(texts, labels, seed=3)
    assert first.to_json() == second.to_json()


def test_a_trained_model_survives_save_and_load(tmp_path):
    texts, labels = decisions()
    model, _ = train(texts, labels, seed=4)
    path = save(model, tmp_path / "ours.json.gz")
    reloaded = load(path)
    assert reloaded.name == "gazette-linear-moderators"
    for text in ["Rail cult again.", "You moron.", "Nice station."]:
        assert reloaded.score(text).attack == pytest.approx(
            model.score(text).attack, abs=1e-3
        )


@pytest.mark.parametrize(
    ("labels", "message"),
    [([1, 1, 1, 1], "both approved and rejected"), ([1, 0], "one label per text")],
)
def test_training_refuses_unusable_decisions(labels, message):
    with pytest.raises(ValueError, match=message):
        train(["a", "b", "c", "d"], labels)


def test_loading_something_else_is_a_clear_error(tmp_path):
    path = tmp_path / "not-a-model.json.gz"
    path.write_bytes(b"plain text")
    with pytest.raises(CivilityModelError, match="Cannot read civility model"):
        load(path)


def test_held_out_share_keeps_both_classes_in_proportion():
    labels = [1] * 20 + [0] * 80
    fitting, holding = stratified_split(labels, held_out=0.2, seed=0)
    assert sorted(fitting + holding) == list(range(100))
    assert sum(labels[index] for index in holding) == 4
    assert len(holding) == 20
