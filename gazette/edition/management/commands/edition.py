"""gazette edition build [--date YYYY-MM-DD] | schedule: print the day's paper."""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.timezone import localtime
from tqdm import tqdm

from gazette.edition import services, tasks
from gazette.newsroom.selectors import paper_day


def paper_date(value: str) -> date:
    """A --date argument: YYYY-MM-DD, a real day."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; give the day as YYYY-MM-DD, e.g. 2024-12-13"
        ) from None


class Command(BaseCommand):
    help = (
        "Today's Paper: `build` prints a day's edition to PDF now; `schedule` "
        "queues the daily build at GAZETTE_EDITION_BUILD_HOUR."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser(
            "build",
            help="print a day's edition to PDF and file it",
        )
        build.add_argument(
            "--date",
            type=paper_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the paper's day (default: today, in the paper's time zone)",
        )
        actions.add_parser(
            "schedule",
            help="queue the daily build; `gazette worker` keeps it going",
        )

    def handle(self, *args, **options):
        if options["action"] == "schedule":
            self.schedule()
        else:
            self.build(options["date"] or paper_day(), options["verbosity"])

    def build(self, day: date, verbosity: int) -> None:
        with tqdm(
            total=len(services.BUILD_STAGES), unit="step", disable=verbosity == 0
        ) as progress:

            def on_stage(stage: str) -> None:
                if progress.n or stage != services.BUILD_STAGES[0]:
                    progress.update()
                progress.set_description(stage)

            try:
                edition = services.build_edition(day, on_stage=on_stage)
            except services.NothingToPrint as refusal:
                raise CommandError(str(refusal)) from None
            progress.update()
        self.stdout.write(
            f"Printed {services.summarise(edition)}; readers download it at "
            f"{reverse('edition:pdf', args=[day])}"
        )

    def schedule(self) -> None:
        queued = tasks.schedule_daily_build()
        if queued is None:
            self.stdout.write(
                "Nothing queued: a daily build already waits, or the task queue "
                "runs tasks at once (use `gazette edition build`)."
            )
            return
        at = localtime(queued.task.run_after)
        self.stdout.write(
            f"Daily build queued for {at:%Y-%m-%d %H:%M %Z}; "
            "`gazette worker` keeps the paper coming out."
        )
