"""gazette wire poll: keep the configured feeds polled, or poll them now."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from gazette.wire import services, tasks
from gazette.wire.models import WireFeed


class Command(BaseCommand):
    help = "Wire feeds: `poll` queues background polling; `poll --now` polls here."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["poll", "feeds"])
        parser.add_argument(
            "--now",
            action="store_true",
            help="poll the due feeds in this process and print what came in",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="with --now, poll every active feed, due or not",
        )

    def handle(self, *args, **options):
        if options["action"] == "feeds":
            for feed in WireFeed.objects.select_related("section"):
                state = "active" if feed.is_active else "paused"
                self.stdout.write(
                    f"{feed.name} [{feed.kind}, {feed.mode}, {state}] {feed.location}"
                    f" — last polled {feed.last_polled_at or 'never'}: "
                    f"{feed.last_result or '-'}"
                )
            return
        if not options["now"]:
            queued = tasks.schedule_wire_polling(delay=0)
            if queued is None:
                self.stdout.write(
                    "Nothing queued: no active feed, a poll already waits, or the "
                    "task queue runs tasks at once (use --now)."
                )
            else:
                self.stdout.write(
                    "Polling queued; `gazette worker` keeps the feeds polled."
                )
            return
        counts: Counter = Counter()
        if options["all"]:
            for feed in WireFeed.objects.filter(is_active=True):
                counts.update(self.poll(feed))
        else:
            counts.update(services.poll_due_wire_feeds())
        self.stdout.write(services.summarise(counts))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} item(s) could not be imported")

    def poll(self, feed: WireFeed) -> Counter:
        counts = services.poll_wire_feed(feed)
        self.stdout.write(f"{feed.name}: {feed.last_result}")
        for line in feed.last_error.splitlines():
            self.stderr.write(f"{feed.name}: {line}")
        return counts
