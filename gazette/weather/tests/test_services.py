import time
from datetime import timedelta

import pytest
import time_machine

from gazette.weather.models import Observation
from gazette.weather.services import refresh_weather
from gazette.weather.tests.conftest import (
    FORECAST_PATH,
    MASTHEAD_LINK,
    NOW,
    OBSERVATION_PATH,
    POINT_PATH,
    nws_observation,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_normal_observation_shows_in_fahrenheit_in_the_masthead(nws, client):
    refresh_weather()
    stored = Observation.objects.get()
    assert (stored.provider, stored.station) == ("nws", "PHNL")
    assert stored.temperature_celsius == 23.9
    assert stored.last_error == ""
    page = text_of(client.get("/weather/"))
    assert MASTHEAD_LINK in page


@time_machine.travel(NOW, tick=False)
def test_the_service_is_asked_with_the_identifying_user_agent(nws, settings):
    settings.GAZETTE_WEATHER_USER_AGENT = "(Gazette, newsroom@example.com)"
    refresh_weather()
    [observation_request] = [
        request for request in nws.requests if request["path"] == OBSERVATION_PATH
    ]
    assert observation_request["User-Agent"] == "(Gazette, newsroom@example.com)"
    assert observation_request["Accept"] == "application/geo+json"


@time_machine.travel(NOW, tick=False)
def test_celsius_papers_see_celsius(nws, client, settings):
    settings.GAZETTE_WEATHER_UNIT = "C"
    refresh_weather()
    assert "24° <span>Partly Cloudy</span>" in text_of(client.get("/weather/"))


@pytest.mark.parametrize(
    ("hours_later", "shown"), [(2, "75° <span>Partly Cloudy"), (4, None)]
)
def test_a_null_temperature_keeps_the_last_reading_for_three_hours(
    nws, client, hours_later, shown
):
    with time_machine.travel(NOW, tick=False):
        refresh_weather()
    nws.serve(
        OBSERVATION_PATH,
        nws_observation(None, timestamp="2024-12-13T23:53:00+00:00", text=""),
    )
    with time_machine.travel(NOW + timedelta(hours=hours_later), tick=False):
        stored = refresh_weather()
        page = text_of(client.get("/weather/"))
    assert stored.last_error == "reading without a temperature"
    assert stored.temperature_celsius == 23.9
    if shown:
        assert shown in page
    else:
        assert "masthead__weather" not in page
        assert "The current reading is not available." in page


FAILURES = {
    "HTTP 500": ({"status": 500, "content_type": "application/problem+json"}, "500"),
    "timeout": ({"delay": 1.5}, "no answer"),
    "malformed JSON": ({}, "malformed JSON"),
}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize(("hours_later", "is_shown"), [(1, True), (4, False)])
def test_a_failing_service_is_recorded_and_pages_render_at_once(
    nws, client, failure, hours_later, is_shown
):
    with time_machine.travel(NOW, tick=False):
        refresh_weather()
    options, message = FAILURES[failure]
    body = (
        b'{"properties": {"temperature": '
        if failure == "malformed JSON"
        else (b'{"title": "Unexpected Problem", "status": 500}')
    )
    nws.serve(OBSERVATION_PATH, body, **options)
    with time_machine.travel(NOW + timedelta(hours=hours_later)):
        stored = refresh_weather()
        started = time.monotonic()
        response = client.get("/weather/")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 0.3
    assert message in stored.last_error
    assert stored.temperature_celsius == 23.9
    assert ("75° <span>Partly Cloudy" in text_of(response)) is is_shown


def test_a_service_that_never_answered_leaves_the_masthead_empty(
    weather_server, client
):
    weather_server.serve(OBSERVATION_PATH, b"", status=500)
    stored = refresh_weather()
    assert "HTTP 500" in stored.last_error
    assert stored.temperature_celsius is None
    response = client.get("/")
    assert response.status_code == 200
    assert "masthead__weather" not in text_of(response)
    assert "°" not in text_of(client.get("/weather/"))


@time_machine.travel(NOW, tick=False)
def test_the_forecast_follows_the_point_to_its_forecast_url(nws):
    stored = refresh_weather()
    assert [period["name"] for period in stored.forecast] == [
        "This Afternoon",
        "Tonight",
        "Saturday",
    ]
    assert round(stored.forecast[0]["temperature_celsius"], 1) == 27.8
    assert [request["path"] for request in nws.requests] == [
        OBSERVATION_PATH,
        POINT_PATH,
        FORECAST_PATH,
    ]


@time_machine.travel(NOW, tick=False)
def test_a_failed_forecast_keeps_the_reading(nws):
    nws.serve(FORECAST_PATH, b"", status=503)
    stored = refresh_weather()
    assert stored.temperature_celsius == 23.9
    assert stored.forecast == []
    assert "forecast: HTTP 503" in stored.last_error
