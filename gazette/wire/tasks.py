"""Background work for the wire: polling the configured feeds.

Polling keeps itself going: each run of `poll_due_wire_feeds_task` polls the feeds
that are due and queues the next run GAZETTE_WIRE_POLL_SECONDS later, so one run
queued by `gazette wire poll` (or by saving a feed) keeps the feeds polled for as
long as `gazette worker` runs and a feed is active. Only one run waits at a time.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gazette.wire import services
from gazette.wire.models import WireFeed


@task()
def poll_due_wire_feeds_task() -> str:
    """Poll the feeds that are due, then queue the next poll."""
    counts = services.poll_due_wire_feeds()
    schedule_wire_polling()
    return services.summarise(counts)


@task()
def poll_wire_feed_task(feed_id: int) -> str:
    """Poll one feed now, whether or not it is due."""
    feed = WireFeed.objects.select_related("section").get(pk=feed_id)
    return services.summarise(services.poll_wire_feed(feed))


def is_poll_waiting() -> bool:
    """Whether a poll is already queued (only the database queue can tell)."""
    if not isinstance(poll_due_wire_feeds_task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=poll_due_wire_feeds_task.module_path,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_wire_polling(*, delay: float | None = None) -> TaskResult | None:
    """Queue the next poll of the feeds, unless one waits already or no feed is
    active, or the task queue cannot hold a task for later (it runs them at once)."""
    if not poll_due_wire_feeds_task.get_backend().supports_defer:
        return None
    if not WireFeed.objects.filter(is_active=True).exists() or is_poll_waiting():
        return None
    if delay is None:
        delay = settings.GAZETTE_WIRE_POLL_SECONDS
    run_after = timezone.now() + timedelta(seconds=delay)
    return poll_due_wire_feeds_task.using(run_after=run_after).enqueue()
