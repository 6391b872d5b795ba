"""Background work for Today's Paper: the daily build and rebuilds after changes.

The daily build keeps itself going, as the weather refresh does: each run of
`build_daily_edition_task` builds the day's paper and queues the next run for
GAZETTE_EDITION_BUILD_HOUR o'clock, in the paper's time zone, on the next day, so
one run queued by `gazette edition schedule` keeps the paper coming out for as
long as `gazette worker` runs. Only one daily build waits at a time.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gazette.edition import services
from gazette.edition.models import Edition


@task()
def build_daily_edition_task(day: str) -> str:
    """Build the paper of the day it was queued for, then queue the next day's."""
    try:
        return services.summarise(services.build_edition(date.fromisoformat(day)))
    except services.NothingToPrint as refusal:
        return str(refusal)
    finally:
        schedule_daily_build()


@task()
def build_edition_task(edition_id: int) -> str:
    """Build one edition's PDF again (after its stories changed, or on request)."""
    edition = Edition.objects.get(pk=edition_id)
    try:
        return services.summarise(services.build_edition(edition.date))
    except services.NothingToPrint as refusal:
        return str(refusal)


def next_build_time(now: datetime | None = None) -> datetime:
    """The next GAZETTE_EDITION_BUILD_HOUR o'clock in the paper's time zone."""
    local = timezone.localtime(now or timezone.now())
    at = time(hour=int(settings.GAZETTE_EDITION_BUILD_HOUR))
    zone = timezone.get_current_timezone()
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate


def is_daily_build_waiting() -> bool:
    """Whether a daily build is already queued (only the database queue can tell)."""
    if not isinstance(build_daily_edition_task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=build_daily_edition_task.module_path,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_daily_build(*, at: datetime | None = None) -> TaskResult | None:
    """Queue the next daily build, unless one waits already or the task queue
    cannot hold a task for later (it runs them at once)."""
    if not build_daily_edition_task.get_backend().supports_defer:
        return None
    if is_daily_build_waiting():
        return None
    run_after = at or next_build_time()
    day = timezone.localdate(run_after)
    return build_daily_edition_task.using(run_after=run_after).enqueue(day.isoformat())


def queue_rebuild(edition_id: int, *, run_after: datetime) -> TaskResult:
    """Queue an edition's rebuild for a time, or now where the queue cannot wait."""
    if build_edition_task.get_backend().supports_defer:
        return build_edition_task.using(run_after=run_after).enqueue(edition_id)
    return build_edition_task.enqueue(edition_id)
