import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gazette.weather import tasks
from gazette.weather.models import Observation
from gazette.weather.tests.conftest import OBSERVATION_PATH, nws_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_refreshes():
    return DBTaskResult.objects.filter(
        task_path=tasks.refresh_weather_task.module_path,
        status=TaskResultStatus.READY,
    )


def run_queued_refresh():
    """Run the waiting refresh as `gazette worker` does: claim, call, record."""
    queued = waiting_refreshes().get()
    queued.claim("test-worker")
    queued.set_successful(queued.task.call())


@pytest.mark.parametrize(("configured", "delay"), [(720, 720), (60, 600), (3600, 900)])
def test_refreshing_keeps_itself_going_every_10_to_15_minutes(
    database_queue, weather_server, settings, configured, delay
):
    settings.GAZETTE_WEATHER_REFRESH_SECONDS = configured
    weather_server.serve(OBSERVATION_PATH, nws_observation(23.9))
    stdout = io.StringIO()
    call_command("weather", "refresh", stdout=stdout)
    assert "Refresh queued" in stdout.getvalue()
    call_command("weather", "refresh", stdout=io.StringIO())
    assert waiting_refreshes().count() == 1
    run_queued_refresh()
    assert Observation.objects.get().temperature_celsius == 23.9
    [next_refresh] = waiting_refreshes()
    assert (
        timedelta(seconds=delay - 20)
        < next_refresh.run_after - timezone.now()
        <= timedelta(seconds=delay)
    )


def test_a_failed_refresh_is_recorded_and_still_queues_the_next(
    database_queue, weather_server
):
    weather_server.serve(OBSERVATION_PATH, b"", status=500)
    call_command("weather", "refresh", stdout=io.StringIO())
    run_queued_refresh()
    assert "HTTP 500" in Observation.objects.get().last_error
    assert waiting_refreshes().count() == 1


@time_machine.travel(datetime(2024, 12, 13, 21, 0, tzinfo=UTC), tick=False)
def test_refresh_now_asks_the_service_here(weather_server):
    weather_server.serve(OBSERVATION_PATH, nws_observation(23.9))
    stdout = io.StringIO()
    call_command("weather", "refresh", "--now", stdout=stdout)
    assert "23.9 °C Partly Cloudy observed 2024-12-13 20:53" in stdout.getvalue()


def test_the_task_returns_what_it_stored_without_raising(weather_server):
    weather_server.serve(OBSERVATION_PATH, b"not json")
    result = tasks.refresh_weather_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert "malformed JSON" in result.return_value
