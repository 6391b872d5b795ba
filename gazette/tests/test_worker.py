"""`gazette worker` starts the recurring work once, however often it starts."""

import pytest
from django_tasks_db.models import DBTaskResult

from gazette.management.commands.worker import queue_recurring_work
from gazette.wire.models import WireFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_a_starting_worker_queues_the_weather_the_wire_and_the_edition(
    database_queue,
):
    WireFeed.objects.create(
        name="AP", kind=WireFeed.Kind.URL, location="http://127.0.0.1:9/feed"
    )
    assert queue_recurring_work() == ["weather refresh", "wire poll", "edition build"]
    assert queued_paths() == [
        "gazette.edition.tasks.build_daily_edition_task",
        "gazette.weather.tasks.refresh_weather_task",
        "gazette.wire.tasks.poll_due_wire_feeds_task",
    ]
    assert queue_recurring_work() == [], "a second worker adds nothing"
    assert len(queued_paths()) == 3


def test_without_feeds_the_wire_is_not_polled(database_queue):
    assert "wire poll" not in queue_recurring_work()
