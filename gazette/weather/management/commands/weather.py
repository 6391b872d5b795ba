"""gazette weather refresh: keep the weather refreshed, or refresh it now."""

from django.core.management.base import BaseCommand

from gazette.weather import services, tasks


class Command(BaseCommand):
    help = "Weather: `refresh` queues background refreshes; `refresh --now` asks here."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument(
            "--now",
            action="store_true",
            help="ask the weather service in this process and print what it said",
        )

    def handle(self, *args, **options):
        if not options["now"]:
            queued = tasks.schedule_weather_refresh(delay=0)
            if queued is None:
                self.stdout.write(
                    "Nothing queued: a refresh already waits, or the task queue "
                    "runs tasks at once (use --now)."
                )
            else:
                self.stdout.write(
                    "Refresh queued; `gazette worker` keeps the weather current."
                )
            return
        observation = services.refresh_weather()
        self.stdout.write(services.summarise(observation))
