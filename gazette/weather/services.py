"""Weather: the background task asks the configured service, pages read the result.

`refresh_weather` is the only write. A good reading replaces the stored one; a
failure (no answer, an error, malformed JSON, a null temperature) is recorded on
the row and leaves the last good reading in place, which pages show for 3 hours.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from gazette.weather import selectors
from gazette.weather.models import Observation
from gazette.weather.providers import (
    ForecastPeriod,
    Reading,
    WeatherProvider,
    WeatherUnavailable,
    configured_provider,
)

logger = logging.getLogger(__name__)


def refresh_weather(*, provider: WeatherProvider | None = None) -> Observation:
    """Fetch the station's latest reading and the forecast, and store what is good.

    Never raises for the service's failures: they go to `last_error`."""
    provider = provider or configured_provider()
    errors: list[str] = []
    reading: Reading | None = None
    forecast: list[ForecastPeriod] | None = None
    try:
        reading = provider.fetch_reading()
        if reading.temperature_celsius is None:
            errors.append("reading without a temperature")
            reading = None
    except WeatherUnavailable as error:
        errors.append(f"reading: {error}")
    try:
        forecast = provider.fetch_forecast()
    except WeatherUnavailable as error:
        errors.append(f"forecast: {error}")
    for error in errors:
        logger.warning("weather %s %s: %s", provider.name, provider.station, error)
    observation = store_weather(
        provider, reading=reading, forecast=forecast, error="; ".join(errors)
    )
    # After the commit, so pages see only what the database keeps. No expiry: the
    # next refresh replaces it, and pages judge its age by observed_at.
    cache.set(
        selectors.cache_key(provider),
        selectors.Conditions.from_observation(observation),
        timeout=None,
    )
    return observation


@transaction.atomic
def store_weather(
    provider: WeatherProvider,
    *,
    reading: Reading | None,
    forecast: list[ForecastPeriod] | None,
    error: str,
) -> Observation:
    """Record one refresh: keep what came back good, note what failed."""
    now = timezone.now()
    observation, _ = Observation.objects.select_for_update().get_or_create(
        provider=provider.name, station=provider.station
    )
    fields = ["last_attempt_at", "last_error"]
    observation.last_attempt_at = now
    observation.last_error = error
    if reading is not None:
        observation.temperature_celsius = reading.temperature_celsius
        observation.description = reading.description[:200]
        observation.observed_at = reading.observed_at
        observation.fetched_at = now
        fields += ["temperature_celsius", "description", "observed_at", "fetched_at"]
    if forecast is not None:
        observation.forecast = [
            {
                "name": period.name,
                "starts_at": period.starts_at.isoformat(),
                "ends_at": period.ends_at.isoformat(),
                "temperature_celsius": period.temperature_celsius,
                "description": period.description,
            }
            for period in forecast
        ]
        observation.forecast_fetched_at = now
        fields += ["forecast", "forecast_fetched_at"]
    observation.save(update_fields=fields)
    return observation


def summarise(observation: Observation) -> str:
    """One line for the task result and the command: what is stored, what failed."""
    if observation.temperature_celsius is None:
        stored = "no reading stored"
    else:
        stored = (
            f"{observation.temperature_celsius:.1f} °C {observation.description}"
            f" observed {observation.observed_at:%Y-%m-%d %H:%M %Z}"
        )
    return (
        f"{stored}; failed: {observation.last_error}"
        if observation.last_error
        else stored
    )
