from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gazette.edition import services, tasks
from gazette.edition.models import Edition, EditionStory
from gazette.edition.tests.conftest import FRIDAY, NOW, pdf_text, story
from gazette.newsroom.models import Article
from gazette.newsroom.services import (
    correct_article,
    publish_article,
    save_article,
    schedule_article,
    unpublish_article,
)
from gazette.weather.services import refresh_weather
from gazette.weather.tests.conftest import (
    FORECAST_PATH,
    OBSERVATION_PATH,
    POINT_PATH,
    nws_forecast,
    nws_observation,
    nws_point,
)

pytestmark = pytest.mark.django_db

THURSDAY = FRIDAY - timedelta(days=1)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_rebuilds():
    return DBTaskResult.objects.filter(
        task_path=tasks.build_edition_task.module_path,
        status=TaskResultStatus.READY,
    )


def run_as_the_worker_does(queued: DBTaskResult) -> None:
    """Claim a queued task, call it with its arguments, record the result."""
    queued.claim("test-worker")
    arguments = queued.args_kwargs
    queued.set_successful(queued.task.call(*arguments["args"], **arguments["kwargs"]))


def test_building_files_the_days_pdf(fridays_paper):
    edition = services.build_edition(FRIDAY)
    assert edition.status == Edition.Status.BUILT
    assert edition.built_at == timezone.now()
    assert edition.page_count >= 2
    assert edition.pdf.name.startswith("2024/12/honolulu-star-advertiser-2024-12-13-")
    with edition.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert len(pdf_text(edition.pdf.path)) == edition.page_count


def test_building_again_replaces_the_pdf(
    fridays_paper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.build_edition(FRIDAY)
    first_path = first.pdf.path
    with django_capture_on_commit_callbacks(execute=True):
        second = services.build_edition(FRIDAY)
    assert second.pk == first.pk
    assert second.pdf.path != first_path
    assert Edition.objects.get().pdf.name == second.pdf.name
    assert not Path(first_path).exists()


def test_a_day_without_stories_is_refused_and_the_reason_kept(friday):
    story("Thursday's story", day=THURSDAY)
    with pytest.raises(services.NothingToPrint) as refusal:
        services.build_edition(FRIDAY)
    message = (
        "No stories were published on Friday, December 13, 2024: nothing to print."
    )
    assert str(refusal.value) == message
    edition = Edition.objects.get(date=FRIDAY)
    assert edition.status == Edition.Status.FAILED
    assert edition.build_error == message
    assert not edition.pdf


def test_a_day_to_come_is_not_printed(friday):
    with pytest.raises(services.NothingToPrint, match="is not out yet"):
        services.build_edition(FRIDAY + timedelta(days=1))
    assert not Edition.objects.exists()


def test_a_failed_rebuild_keeps_the_pdf_readers_have(fridays_paper):
    edition = services.build_edition(FRIDAY)
    Article.objects.update(status=Article.Status.DRAFT)
    with pytest.raises(services.NothingToPrint):
        services.build_edition(FRIDAY)
    edition.refresh_from_db()
    assert edition.has_pdf
    assert "nothing to print" in edition.build_error


# Rebuilding when a story changes ----------------------------------------------


@pytest.mark.parametrize(
    "change",
    ["correct", "edit", "unpublish"],
)
def test_a_change_to_a_story_in_a_days_paper_queues_its_rebuild(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks, change
):
    edition = Edition.objects.create(date=FRIDAY)
    article = fridays_paper["sports"]
    with django_capture_on_commit_callbacks(execute=True):
        if change == "correct":
            correct_article(article, actor=editor, text="The score was 3-2.")
        elif change == "edit":
            article.headline = "Rainbow Wahine rally to win in five sets"
            save_article(article, actor=editor)
        else:
            unpublish_article(article, actor=editor)
    [rebuild] = waiting_rebuilds()
    assert rebuild.args_kwargs["args"] == [edition.pk]
    assert rebuild.run_after == NOW + timedelta(seconds=120)


def test_a_burst_of_changes_queues_one_rebuild(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    Edition.objects.create(date=FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        for article in list(fridays_paper.values())[:4]:
            correct_article(article, actor=editor, text="A fix.")
    assert waiting_rebuilds().count() == 1
    assert Edition.objects.get().rebuild_due_at == NOW + timedelta(seconds=120)


def test_the_rebuild_clears_the_way_for_the_next_change(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    Edition.objects.create(date=FRIDAY)
    article = fridays_paper["lead"]
    with django_capture_on_commit_callbacks(execute=True):
        correct_article(article, actor=editor, text="A fix.")
    [rebuild] = waiting_rebuilds()
    run_as_the_worker_does(rebuild)
    assert Edition.objects.get().rebuild_due_at is None
    with django_capture_on_commit_callbacks(execute=True):
        correct_article(article, actor=editor, text="Another fix.")
    assert waiting_rebuilds().count() == 1


def test_a_lost_rebuild_does_not_stop_the_next(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    Edition.objects.create(date=FRIDAY)
    Edition.objects.update(rebuild_due_at=NOW - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        correct_article(fridays_paper["lead"], actor=editor, text="A fix.")
    assert waiting_rebuilds().count() == 1


@pytest.mark.parametrize("day", ["other day", "not in the curated paper"])
def test_a_story_outside_a_paper_does_not_rebuild_it(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks, day
):
    edition = Edition.objects.create(date=FRIDAY)
    if day == "other day":
        article = fridays_paper["thursday"]
    else:
        EditionStory.objects.create(edition=edition, article=fridays_paper["lead"])
        article = fridays_paper["sports"]
    with django_capture_on_commit_callbacks(execute=True):
        correct_article(article, actor=editor, text="A fix.")
    assert not waiting_rebuilds().exists()


def test_a_story_published_on_an_uncurated_day_joins_its_paper(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    Edition.objects.create(date=FRIDAY)
    draft = story("Breaking news", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(draft, actor=editor)
    assert waiting_rebuilds().count() == 1


def test_a_story_scheduled_for_this_afternoon_is_rebuilt_in_once_it_is_out(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    Edition.objects.create(date=FRIDAY)
    draft = story("Council vote at three", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        # A correction queues a rebuild in two minutes ...
        correct_article(fridays_paper["lead"], actor=editor, text="A fix.")
        # ... which the afternoon's story cannot join: it gets its own.
        schedule_article(draft, actor=editor, at=NOW + timedelta(hours=4))
        # A change in the meantime joins the first.
        correct_article(fridays_paper["sports"], actor=editor, text="A fix.")
    assert sorted(rebuild.run_after for rebuild in waiting_rebuilds()) == [
        NOW + timedelta(seconds=120),
        NOW + timedelta(hours=4, seconds=120),
    ]


def test_moving_a_story_to_another_day_rebuilds_the_day_it_left(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    thursday = Edition.objects.create(date=THURSDAY)
    article = fridays_paper["thursday"]
    article.published_at = article.published_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article, actor=editor)
    [rebuild] = waiting_rebuilds()
    assert rebuild.args_kwargs["args"] == [thursday.pk]


def test_a_corrected_headline_reaches_the_pdf(
    fridays_paper, editor, django_capture_on_commit_callbacks
):
    services.build_edition(FRIDAY)
    article = fridays_paper["business"]
    article.headline = "Visitor spending climbs for a third month"
    # The test queue runs the rebuild at once, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article, actor=editor)
    edition = Edition.objects.get()
    text = " ".join(pdf_text(edition.pdf.path))
    assert "Visitor spending climbs for a third month" in text
    assert "Visitor spending edges up" not in text
    assert edition.rebuild_due_at is None


# Arranging the paper -----------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_editors_arrange_the_paper(request, fridays_paper, role, allowed):
    actor = request.getfixturevalue(role)
    edition = Edition(date=FRIDAY)
    if not allowed:
        with pytest.raises(PermissionDenied, match="Only an editor"):
            services.save_edition(edition, actor=actor)
        return
    services.save_edition(edition, actor=actor)
    placement = EditionStory(edition=edition, article=fridays_paper["sports"])
    services.place_story(placement, actor=actor)
    assert [a.headline for a in services.selectors.edition_for(FRIDAY).front] == [
        "Rainbow Wahine win in five sets"
    ]


def test_arranging_a_days_paper_queues_its_rebuild(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    edition = Edition.objects.create(date=FRIDAY)
    placement = EditionStory(edition=edition, article=fridays_paper["sports"])
    with django_capture_on_commit_callbacks(execute=True):
        services.place_story(placement, actor=editor)
    assert waiting_rebuilds().count() == 1
    Edition.objects.update(rebuild_due_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_story(placement, actor=editor)
    assert waiting_rebuilds().count() == 2


def test_arranging_a_paper_ahead_waits_for_its_day(
    database_queue, fridays_paper, editor, django_capture_on_commit_callbacks
):
    saturday = Edition(date=FRIDAY + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.save_edition(saturday, actor=editor)
        services.place_story(
            EditionStory(edition=saturday, article=fridays_paper["lead"]),
            actor=editor,
        )
    assert not waiting_rebuilds().exists()


# Weather -------------------------------------------------------------------------


def test_the_front_page_prints_the_days_weather_and_keeps_it(
    fridays_paper, weather_server
):
    weather_server.serve(
        OBSERVATION_PATH,
        nws_observation(23.9, timestamp="2024-12-13T20:53:00+00:00"),
    )
    forecast_url = weather_server.serve(FORECAST_PATH, nws_forecast())
    weather_server.serve(POINT_PATH, nws_point(forecast_url))
    refresh_weather()
    edition = services.build_edition(FRIDAY)
    assert edition.weather["description"] == "Partly Cloudy"
    front = pdf_text(edition.pdf.path)[0]
    assert "WEATHER 75° Partly Cloudy This Afternoon 82° Partly Sunny" in front
    assert "Tonight 70° Isolated Showers" in front
    # Rebuilt on Saturday, Friday's paper keeps Friday's weather.
    weather_server.serve(
        OBSERVATION_PATH,
        nws_observation(18.0, text="Rain", timestamp="2024-12-14T20:00:00+00:00"),
    )
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        refresh_weather()
        rebuilt = services.build_edition(FRIDAY)
    front = pdf_text(rebuilt.pdf.path)[0]
    assert "WEATHER 75° Partly Cloudy" in front
    assert "Rain" not in front


def test_without_a_reading_the_front_page_points_to_the_forecast(fridays_paper):
    edition = services.build_edition(FRIDAY)
    front = pdf_text(edition.pdf.path)[0]
    assert "°" not in front
    assert "WEATHER The forecast: http://127.0.0.1:8000/ weather/" in front


@pytest.mark.parametrize(
    ("role", "allowed"), [("administrator", True), ("editor", False)]
)
def test_an_administrator_discards_an_edition_and_its_pdf(
    request, fridays_paper, django_capture_on_commit_callbacks, role, allowed
):
    edition = services.build_edition(FRIDAY)
    path = Path(edition.pdf.path)
    actor = request.getfixturevalue(role)
    with django_capture_on_commit_callbacks(execute=True):
        if allowed:
            services.discard_edition(edition, actor=actor)
        else:
            with pytest.raises(PermissionDenied, match="Only an administrator"):
                services.discard_edition(edition, actor=actor)
    assert Edition.objects.exists() is not allowed
    assert path.exists() is not allowed
