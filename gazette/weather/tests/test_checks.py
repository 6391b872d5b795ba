import pytest

from gazette.weather.checks import check_weather_provider


@pytest.mark.parametrize(
    ("provider", "unit", "errors"),
    [
        ("nws", "F", []),
        ("open-meteo", "C", []),
        ("accuweather", "F", ["gazette.weather.E001"]),
        ("nws", "K", ["gazette.weather.E002"]),
    ],
)
def test_unknown_weather_settings_stop_the_site_from_starting(
    settings, provider, unit, errors
):
    settings.GAZETTE_WEATHER_PROVIDER = provider
    settings.GAZETTE_WEATHER_UNIT = unit
    assert [error.id for error in check_weather_provider(None)] == errors
