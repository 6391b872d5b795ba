from datetime import UTC, datetime

import pytest
import time_machine

from gazette.weather.models import Observation
from gazette.weather.services import refresh_weather
from gazette.weather.tests.conftest import open_meteo_forecast

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_meteo(weather_server, settings):
    settings.GAZETTE_WEATHER_PROVIDER = "open-meteo"
    weather_server.serve(
        "/v1/forecast", open_meteo_forecast(), content_type="application/json"
    )
    return weather_server


@time_machine.travel(datetime(2024, 12, 13, 21, 0, tzinfo=UTC), tick=False)
def test_open_meteo_gives_the_reading_and_a_daily_forecast(open_meteo, client):
    stored = refresh_weather()
    assert Observation.objects.get().provider == "open-meteo"
    assert stored.station == "21.3069,-157.8583"
    assert stored.observed_at == datetime(2024, 12, 13, 20, 45, tzinfo=UTC)
    assert stored.last_error == ""
    page = client.get("/weather/").content.decode()
    assert "79° <span>Partly Cloudy</span>" in page
    assert "<strong>Friday</strong> 82°F Partly Cloudy" in page
    assert "<strong>Saturday Night</strong> 69°F Light Rain" in page
    queries = [request["query"] for request in open_meteo.requests]
    assert all("latitude=21.3069" in query for query in queries)
    assert any("current=temperature_2m%2Cweather_code" in query for query in queries)


def test_open_meteo_malformed_answer_is_recorded(open_meteo):
    open_meteo.serve("/v1/forecast", {"error": True, "reason": "Invalid"})
    stored = refresh_weather()
    assert "not current conditions" in stored.last_error
    assert stored.temperature_celsius is None
