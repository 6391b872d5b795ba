"""Background work for the weather: refreshing the reading every 10 to 15 minutes.

The refresh keeps itself going, as the wire's polling does: each run of
`refresh_weather_task` stores what the service says and queues the next run
GAZETTE_WEATHER_REFRESH_SECONDS later (held between 600 and 900), so one run
queued by `gazette weather refresh` keeps the masthead current for as long as
`gazette worker` runs. Only one run waits at a time.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gazette.weather import services

# The service updates observations about hourly; asking more often than every
# 10 minutes wastes its goodwill, less often than every 15 leaves the page behind.
REFRESH_SECONDS_RANGE = (600, 900)


@task()
def refresh_weather_task() -> str:
    """Refresh the reading and forecast, then queue the next refresh."""
    observation = services.refresh_weather()
    schedule_weather_refresh()
    return services.summarise(observation)


def refresh_interval() -> int:
    """GAZETTE_WEATHER_REFRESH_SECONDS, held within 10 to 15 minutes."""
    low, high = REFRESH_SECONDS_RANGE
    return min(max(int(settings.GAZETTE_WEATHER_REFRESH_SECONDS), low), high)


def is_refresh_waiting() -> bool:
    """Whether a refresh is already queued (only the database queue can tell)."""
    if not isinstance(refresh_weather_task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=refresh_weather_task.module_path,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_weather_refresh(*, delay: float | None = None) -> TaskResult | None:
    """Queue the next refresh, unless one waits already or the task queue cannot
    hold a task for later (it runs them at once)."""
    if not refresh_weather_task.get_backend().supports_defer:
        return None
    if is_refresh_waiting():
        return None
    if delay is None:
        delay = refresh_interval()
    run_after = timezone.now() + timedelta(seconds=delay)
    return refresh_weather_task.using(run_after=run_after).enqueue()
