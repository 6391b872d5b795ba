"""gazette worker: run queued background tasks (mail, builds, polling).

On start it queues the recurring work, each only if none waits already: the
weather refresh, the wire poll and the day's edition build. Each re-queues
itself, so one worker keeps the masthead, the wire and Today's Paper current.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


def queue_recurring_work() -> list[str]:
    """Queue what keeps itself going; return the names of what was queued."""
    from gazette.edition.tasks import schedule_daily_build
    from gazette.weather.tasks import schedule_weather_refresh
    from gazette.wire.tasks import schedule_wire_polling

    queued = []
    for name, schedule in (
        ("weather refresh", lambda: schedule_weather_refresh(delay=0)),
        ("wire poll", lambda: schedule_wire_polling(delay=0)),
        ("edition build", schedule_daily_build),
    ):
        if schedule() is not None:
            queued.append(name)
    return queued


class Command(BaseCommand):
    help = "Run queued background tasks until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--no-recurring",
            action="store_true",
            help="do not queue the weather refresh, wire poll and edition build",
        )

    def handle(self, *args, **options):
        if not options["no_recurring"]:
            queued = queue_recurring_work()
            if queued:
                self.stdout.write(f"Queued: {', '.join(queued)}.")
        worker_options = {"interval": options["interval"], "no_startup_delay": True}
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
