"""The shipped civility model: attacks on a person rank above strong language."""

import csv
import os
import subprocess
import sys
import threading
from importlib import resources

from gazette.civility.evaluation import roc_auc
from gazette.civility.model import (
    CivilityProvider,
    CivilityScore,
    load,
    save,
    shipped_artifact_path,
    shipped_model,
)

# Written for this test; none of these is in the training data (checked below).
ATTACKS = [
    "You are an idiot.",
    "Go back to school, moron.",
    "Your ignorance is astounding.",
    "you're too dense to follow a simple argument",
    "Nobody cares what a clueless troll like you thinks.",
    "Sit down, you pathetic hypocrite.",
    "ur a moron lol",
    "You're a spineless little liar and everyone here knows it.",
    "Shut up, clown.",
    "People like you are too stupid to vote.",
    "You f***ing idiot, read the ruling.",
    "What a gullible fool you are.",
]
NOT_ATTACKS = [
    "This damn policy is a disaster.",
    "What the hell was the council thinking?",
    "Holy crap, the sewer bill tripled.",
    "The bloody traffic on Nimitz is unbearable.",
    "I disagree with you: the levy was approved in 2021.",
    "You make a fair point about the ferry schedule.",
    "Respectfully, your numbers leave out the federal match.",
    "Thanks, I didn't know the hearing moved to Thursday.",
    "This plan is stupid and the board should drop it.",
    "I was a fool to believe the contractor.",
    "Did you read the audit? It is worth the time.",
    "You are right that rents keep rising.",
]


def training_texts() -> set[str]:
    data = (
        resources.files("gazette.civility") / "data" / "written" / "comments_train.csv"
    )
    with data.open(encoding="utf-8") as stream:
        return {row["text"].lower() for row in csv.DictReader(stream)}


def test_ranking_set_is_not_in_training():
    assert not {text.lower() for text in ATTACKS + NOT_ATTACKS} & training_texts()


def test_personal_attacks_rank_above_strong_language_and_disagreement():
    model = shipped_model()
    scores = [model.score(text).attack for text in ATTACKS + NOT_ATTACKS]
    labels = [1] * len(ATTACKS) + [0] * len(NOT_ATTACKS)
    assert roc_auc(scores, labels) >= 0.95


def test_insult_without_swearing_scores_as_an_attack():
    score = shipped_model().score("Your ignorance is astounding.")
    assert score.attack >= 0.5
    assert score.offensive < 0.5


def test_strong_language_aimed_at_no_one_is_bad_taste_not_an_attack():
    score = shipped_model().score("This damn policy is a disaster.")
    assert score.attack < 0.5
    assert score.offensive >= 0.5


def test_an_attack_outscores_the_same_words_aimed_at_a_third_person():
    model = shipped_model()
    assert (
        model.score("You are a complete moron.").attack
        > model.score("The senator is a complete moron.").attack
    )


def test_scores_come_with_reasons_a_moderator_can_read():
    attack = shipped_model().score("You are an idiot.")
    assert attack.reasons
    assert any(reason.startswith("attack:") for reason in attack.reasons)
    swearing = shipped_model().score("What the hell was the council thinking?")
    assert any(reason.startswith("bad taste:") for reason in swearing.reasons)
    civil = shipped_model().score("Thanks for the thoughtful reply.")
    assert civil.reasons == ["no uncivil signal"]


def test_score_many_keeps_order():
    model = shipped_model()
    texts = ["You moron.", "Lovely photo of the harbor."]
    assert model.score_many(texts) == [model.score(text) for text in texts]


def test_shipped_model_is_a_provider():
    assert isinstance(shipped_model(), CivilityProvider)
    assert isinstance(shipped_model().score("Hello"), CivilityScore)


def test_shipped_model_loads_once_for_all_threads():
    found = []
    start = threading.Barrier(8)

    def fetch():
        start.wait()
        found.append(shipped_model())

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(model) for model in found}) == 1
    assert found[0] is shipped_model()


def test_shipped_artifact_is_small():
    assert shipped_artifact_path().stat().st_size < 3_000_000


def test_scoring_needs_neither_django_nor_third_party_packages():
    script = (
        "import sys; from gazette.civility import shipped_model; "
        "assert shipped_model().score('you moron').attack > 0.5; "
        "assert not {'django', 'numpy', 'sklearn'} & set(sys.modules), sys.modules"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_SETTINGS_MODULE"
    }
    subprocess.run([sys.executable, "-c", script], check=True, env=environment)


def test_a_saved_model_scores_the_same_after_loading(tmp_path):
    path = save(shipped_model(), tmp_path / "model.json.gz")
    reloaded = load(path)
    for text in ATTACKS[:3] + NOT_ATTACKS[:3]:
        assert (
            abs(reloaded.score(text).attack - shipped_model().score(text).attack) < 1e-3
        )
