"""`gazette moderation`: measure (eval), refit (train) and choose (use) the model.

The civility model lives in gazette.civility; these commands parse arguments,
show progress and call it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gazette import civility
from gazette.discussion import pipeline, selectors


class Command(BaseCommand):
    help = (
        "The civility model: `eval FILE.csv` measures it on labeled comments, "
        "`train` refits it on the moderators' decisions, `use MODEL` switches to one."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser("eval", help="ROC-AUC, precision and recall")
        evaluate.add_argument("file", type=Path)
        evaluate.add_argument("--text-column", default="text")
        evaluate.add_argument("--label-column", default="label")
        evaluate.add_argument(
            "--model", help="a trained model file (default: the model in use)"
        )
        train = actions.add_parser("train", help="fit on moderators' decisions")
        train.add_argument("--held-out", type=float, default=0.2)
        train.add_argument("--seed", type=int, default=0)
        train.add_argument(
            "--output", type=Path, help="where to save the model (default: under var/)"
        )
        use = actions.add_parser("use", help="switch to a model, or to `shipped`")
        use.add_argument("model")

    def handle(self, *args, **options):
        handler = {"eval": self.evaluate, "train": self.train, "use": self.use}
        handler[options["action"]](options)

    def thresholds(self) -> civility.Thresholds:
        return pipeline.civility_thresholds()

    def evaluate(self, options) -> None:
        try:
            texts, labels = civility.read_labeled_csv(
                options["file"],
                text_column=options["text_column"],
                label_column=options["label_column"],
            )
            model = (
                civility.load(options["model"])
                if options["model"]
                else pipeline.civility_provider()
            )
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Scoring {len(texts)} comments…")
        result = civility.evaluate(
            model,
            texts,
            labels,
            self.thresholds(),
            score=settings.GAZETTE_CIVILITY_SCORE,
        )
        self.stdout.write(result.summary())

    def train(self, options) -> None:
        texts, labels = selectors.moderators_decisions()
        self.stdout.write(
            f"{len(texts)} decisions by moderators, {sum(labels)} rejections."
        )

        def progress(epoch: int, epochs: int) -> None:
            self.stdout.write(f"  pass {epoch} of {epochs}")

        try:
            model, evaluation = civility.train(
                texts,
                labels,
                held_out=options["held_out"],
                seed=options["seed"],
                thresholds=self.thresholds(),
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = options["output"] or (
            Path(settings.GAZETTE_CIVILITY_DIR) / f"model-{stamp}.json.gz"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        civility.save(model, path)
        self.stdout.write("Held-out quality:\n" + evaluation.summary())
        self.stdout.write(f"Saved {path}; `gazette moderation use {path}` to use it.")

    def use(self, options) -> None:
        try:
            config = pipeline.choose_model(options["model"])
        except (OSError, civility.CivilityModelError) as error:
            raise CommandError(f"Cannot use {options['model']}: {error}") from None
        if config["provider"] == "shipped":
            self.stdout.write("Using the shipped civility model.")
        else:
            self.stdout.write(
                f"Using {config['path']}; the shipped model stays as the fallback."
            )
