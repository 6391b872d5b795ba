from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.weather.services import refresh_weather
from gazette.weather.tests.conftest import (
    MASTHEAD_LINK,
    NOW,
    OBSERVATION_PATH,
    nws_observation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_reading(nws):
    with time_machine.travel(NOW, tick=False):
        refresh_weather()
    nws.httpd.shutdown()


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_masthead_shows_the_temperature_and_links_to_the_weather_page(
    stored_reading, client
):
    page = client.get("/").content.decode()
    assert MASTHEAD_LINK in page


@time_machine.travel(NOW + timedelta(hours=3, minutes=1), tick=False)
def test_masthead_shows_nothing_once_the_reading_is_three_hours_old(
    stored_reading, client
):
    page = client.get("/").content.decode()
    assert "masthead__weather" not in page
    assert "°" not in page


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_a_restart_keeps_the_reading(stored_reading, client):
    cache.clear()
    assert "75° <span>Partly Cloudy" in client.get("/").content.decode()


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_weather_page_shows_the_reading_and_the_forecast(stored_reading, client):
    response = client.get("/weather/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "75°F</span> Partly Cloudy" in page
    assert "Observed" in page
    assert "<strong>This Afternoon</strong> 82°F Partly Sunny" in page
    assert "<strong>Tonight</strong> 70°F Isolated Showers" in page


@time_machine.travel(NOW + timedelta(hours=9), tick=False)
def test_weather_page_drops_forecast_periods_that_have_ended(stored_reading, client):
    page = client.get("/weather/").content.decode()
    assert "This Afternoon" not in page
    assert "<strong>Saturday</strong> 81°F" in page


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def test_home_page_costs_no_more_queries_with_the_weather_when_the_cache_is_warm(
    weather_server, client, django_assert_num_queries
):
    client.get("/")
    without_weather = count_queries(client, "/")
    weather_server.serve(OBSERVATION_PATH, nws_observation(23.9))
    with time_machine.travel(NOW, tick=False):
        refresh_weather()
        with django_assert_num_queries(without_weather):
            page = client.get("/").content.decode()
    assert MASTHEAD_LINK in page


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_an_empty_cache_costs_one_query_then_none(stored_reading, client):
    warm = count_queries(client, "/weather/")
    cache.clear()
    assert count_queries(client, "/weather/") == warm + 1
    assert count_queries(client, "/weather/") == warm
