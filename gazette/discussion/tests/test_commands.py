"""gazette moderation eval | train | use."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gazette.civility.model import load, save, shipped_model
from gazette.discussion import pipeline, services
from gazette.discussion.tests.builders import post

pytestmark = pytest.mark.django_db

DEV_SET = Path(__file__).parents[2] / "civility/data/written/comments_dev.csv"


@pytest.fixture
def civility_dir(settings):
    return settings.GAZETTE_CIVILITY_DIR


def run(*arguments) -> str:
    out = StringIO()
    call_command("moderation", *arguments, stdout=out)
    return out.getvalue()


def test_eval_prints_roc_auc_precision_and_recall_at_the_thresholds():
    text = run(
        "eval", str(DEV_SET), "--text-column", "text", "--label-column", "attack"
    )
    assert "attack ROC-AUC 0.9" in text
    assert "hold at 0.50" in text
    assert "reject at 0.90" in text


def test_eval_names_a_missing_column():
    with pytest.raises(CommandError):
        run("eval", str(DEV_SET), "--text-column", "body", "--label-column", "x")


def test_train_fits_on_decisions_and_use_switches_with_the_shipped_fallback(
    story, commenter, moderator, civility_dir
):
    comments = [post(story, commenter, f"The harbor plan, point {n}") for n in range(6)]
    for number, comment in enumerate(comments):
        if number % 2:
            services.reject_comment(comment, actor=moderator, reason="off_topic")
        else:
            services.approve_comment(
                services.reject_comment(comment, actor=moderator, reason="spam"),
                actor=moderator,
            )
    text = run("train", "--held-out", "0.34")
    assert "6 decisions by moderators, 3 rejections." in text
    assert "Held-out quality:" in text
    [model] = civility_dir.glob("model-*.json.gz")
    assert "Using" in run("use", str(model))
    assert pipeline.provider_config() == {"provider": "model", "path": str(model)}
    assert pipeline.civility_provider().name == "gazette-linear-moderators"
    run("use", "shipped")
    assert pipeline.provider_config() == {"provider": "shipped"}


def test_a_model_chosen_in_another_process_is_used_from_the_next_comment(
    civility_dir, tmp_path
):
    assert pipeline.civility_provider() is shipped_model()
    chosen = load(save(shipped_model(), tmp_path / "chosen.json.gz"))
    chosen.name = "gazette-linear-chosen"
    path = save(chosen, tmp_path / "chosen.json.gz")
    # As `gazette moderation use` writes it, from another process.
    pipeline.chosen_model_file().parent.mkdir(parents=True, exist_ok=True)
    pipeline.chosen_model_file().write_text(
        json.dumps({"provider": "model", "path": str(path)})
    )
    assert pipeline.civility_provider().name == "gazette-linear-chosen"
    pipeline.chosen_model_file().unlink()
    assert pipeline.civility_provider() is shipped_model()


def test_use_refuses_a_file_that_is_not_a_model(tmp_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_text("not a model")
    with pytest.raises(CommandError, match="Cannot use"):
        run("use", str(broken))
    assert pipeline.provider_config() == {"provider": "shipped"}
