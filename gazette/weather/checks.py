"""System checks: a weather setting the refresh cannot use stops `gazette check`."""

from django.conf import settings
from django.core import checks

from gazette.weather.providers import PROVIDERS


@checks.register()
def check_weather_provider(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """GAZETTE_WEATHER_PROVIDER names a known service; the unit is F or C."""
    errors: list[checks.CheckMessage] = []
    if settings.GAZETTE_WEATHER_PROVIDER not in PROVIDERS:
        errors.append(
            checks.Error(
                f"GAZETTE_WEATHER_PROVIDER is {settings.GAZETTE_WEATHER_PROVIDER!r}",
                hint=f"Use one of: {', '.join(sorted(PROVIDERS))}.",
                id="gazette.weather.E001",
            )
        )
    if settings.GAZETTE_WEATHER_UNIT.strip().upper() not in {"F", "C"}:
        errors.append(
            checks.Error(
                f"GAZETTE_WEATHER_UNIT is {settings.GAZETTE_WEATHER_UNIT!r}",
                hint="Use F or C.",
                id="gazette.weather.E002",
            )
        )
    return errors
