"""Reads for the masthead and the weather page: from the cache, never from a service.

The refresh task writes the cache and the database; a page costs one cache get,
and one query only when the cache is empty (a restart, or a per-process cache in
a web process beside the worker).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from gazette.weather.models import Observation
from gazette.weather.providers import WeatherProvider, configured_provider

# A reading older than this is no longer the current temperature.
FRESH_FOR = timedelta(hours=3)
# How long a web process trusts what it read from the database.
FALLBACK_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Conditions:
    """What the cache holds: the last good reading (if any) and the forecast."""

    temperature_celsius: float | None = None
    description: str = ""
    observed_at: datetime | None = None
    forecast: list[dict] = field(default_factory=list)

    @classmethod
    def from_observation(cls, observation: Observation | None) -> "Conditions":
        if observation is None:
            return cls()
        return cls(
            temperature_celsius=observation.temperature_celsius,
            description=observation.description,
            observed_at=observation.observed_at,
            forecast=list(observation.forecast),
        )

    @property
    def is_fresh(self) -> bool:
        return (
            self.temperature_celsius is not None
            and self.observed_at is not None
            and timezone.now() - self.observed_at < FRESH_FOR
        )


def cache_key(provider: WeatherProvider) -> str:
    """Keyed by provider and station, so a new configuration never shows the old."""
    return f"weather:conditions:{provider.name}:{provider.station}"


def stored_conditions() -> Conditions:
    """The cached conditions, read from the database when the cache has none."""
    provider = configured_provider()
    key = cache_key(provider)
    conditions = cache.get(key)
    if conditions is None:
        observation = Observation.objects.filter(
            provider=provider.name, station=provider.station
        ).first()
        conditions = Conditions.from_observation(observation)
        cache.set(key, conditions, FALLBACK_CACHE_SECONDS)
    return conditions


def current_conditions() -> Conditions | None:
    """The paper's current weather, or None when the last reading is 3 hours old."""
    conditions = stored_conditions()
    return conditions if conditions.is_fresh else None


def upcoming_forecast() -> list[dict]:
    """The forecast periods that have not ended yet, soonest first."""
    now = timezone.now()
    periods = []
    for period in stored_conditions().forecast:
        ends_at = datetime.fromisoformat(period["ends_at"])
        if ends_at > now:
            periods.append(
                {
                    **period,
                    "starts_at": datetime.fromisoformat(period["starts_at"]),
                    "ends_at": ends_at,
                }
            )
    return periods


def display_unit() -> str:
    """ "F" or "C", as GAZETTE_WEATHER_UNIT says."""
    return "C" if settings.GAZETTE_WEATHER_UNIT.strip().upper() == "C" else "F"
