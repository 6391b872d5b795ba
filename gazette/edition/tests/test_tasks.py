import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gazette.edition import tasks
from gazette.edition.models import Edition
from gazette.edition.tests.conftest import FRIDAY, NOW, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_daily_builds():
    return DBTaskResult.objects.filter(
        task_path=tasks.build_daily_edition_task.module_path,
        status=TaskResultStatus.READY,
    )


def run_queued(queued: DBTaskResult):
    """Run a waiting task as `gazette worker` does: claim, call, record."""
    queued.claim("test-worker")
    arguments = queued.args_kwargs
    value = queued.task.call(*arguments["args"], **arguments["kwargs"])
    queued.set_successful(value)
    return value


@pytest.mark.parametrize(
    ("now", "hour", "expected"),
    [
        # 11:00 on Friday in Honolulu: 5 o'clock has passed, so Saturday's.
        (NOW, 5, datetime(2024, 12, 14, 15, 0, tzinfo=UTC)),
        # Before 23:00 on Friday: Friday's.
        (NOW, 23, datetime(2024, 12, 14, 9, 0, tzinfo=UTC)),
        # 04:30 on Friday in Honolulu: Friday's, at 5.
        (datetime(2024, 12, 13, 14, 30, tzinfo=UTC), 5,
         datetime(2024, 12, 13, 15, 0, tzinfo=UTC)),
        # Exactly at the hour: the next day's.
        (datetime(2024, 12, 13, 15, 0, tzinfo=UTC), 5,
         datetime(2024, 12, 14, 15, 0, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_the_daily_build_runs_at_the_configured_hour_in_honolulu(
    settings, now, hour, expected
):
    settings.GAZETTE_EDITION_BUILD_HOUR = hour
    assert tasks.next_build_time(now) == expected


@time_machine.travel(NOW, tick=False)
def test_the_daily_build_keeps_itself_going(database_queue, settings):
    settings.GAZETTE_EDITION_BUILD_HOUR = 5
    story("Friday's story", hour=6)
    stdout = io.StringIO()
    call_command("edition", "schedule", stdout=stdout)
    assert "Daily build queued for 2024-12-14 05:00 HST" in stdout.getvalue()
    call_command("edition", "schedule", stdout=io.StringIO())
    [queued] = waiting_daily_builds()
    assert queued.run_after == datetime(2024, 12, 14, 15, 0, tzinfo=UTC)
    assert queued.args_kwargs["args"] == ["2024-12-14"]
    # The worker runs it at 05:00 on Saturday: Saturday's paper, queued next day.
    with time_machine.travel(queued.run_after, tick=False):
        story("Saturday's story", day=FRIDAY + timedelta(days=1), hour=4)
        result = run_queued(queued)
    assert result.startswith("Saturday, December 14, 2024: ")
    assert Edition.objects.get(date=FRIDAY + timedelta(days=1)).has_pdf
    [following] = waiting_daily_builds()
    assert following.run_after == datetime(2024, 12, 15, 15, 0, tzinfo=UTC)
    assert following.args_kwargs["args"] == ["2024-12-15"]


@time_machine.travel(NOW, tick=False)
def test_a_daily_build_with_nothing_to_print_still_queues_the_next(database_queue):
    tasks.schedule_daily_build(at=NOW)
    [queued] = waiting_daily_builds()
    assert run_queued(queued) == (
        "No stories were published on Friday, December 13, 2024: nothing to print."
    )
    assert Edition.objects.get().build_error.startswith("No stories were published")
    assert waiting_daily_builds().count() == 1


def test_without_a_queue_that_waits_nothing_is_scheduled():
    stdout = io.StringIO()
    call_command("edition", "schedule", stdout=stdout)
    assert "Nothing queued" in stdout.getvalue()
    assert not DBTaskResult.objects.exists()
