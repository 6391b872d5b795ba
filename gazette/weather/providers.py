"""Weather services behind one interface: a reading and a forecast for the paper's city.

The US National Weather Service (api.weather.gov) serves American papers; Open-Meteo
serves a paper anywhere. GAZETTE_WEATHER_PROVIDER chooses. Only the background task
calls a provider: a reader's request never waits on one.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any, Protocol

from django.conf import settings


class WeatherUnavailable(Exception):
    """The service did not answer, or answered something that is not a reading."""


@dataclass(frozen=True)
class Reading:
    """One observation; temperature_celsius is None when the station sent none."""

    temperature_celsius: float | None
    description: str
    observed_at: datetime


@dataclass(frozen=True)
class ForecastPeriod:
    name: str
    starts_at: datetime
    ends_at: datetime
    temperature_celsius: float
    description: str


class WeatherProvider(Protocol):
    name: str

    @property
    def station(self) -> str: ...

    def fetch_reading(self) -> Reading: ...

    def fetch_forecast(self) -> list[ForecastPeriod]: ...


def get_json(url: str, *, headers: dict[str, str] | None = None) -> Any:
    """GET a JSON document within GAZETTE_WEATHER_TIMEOUT seconds."""
    request = urllib.request.Request(
        url,
        headers={"User-Agent": settings.GAZETTE_WEATHER_USER_AGENT, **(headers or {})},
    )
    try:
        with urllib.request.urlopen(
            request, timeout=settings.GAZETTE_WEATHER_TIMEOUT
        ) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        raise WeatherUnavailable(f"HTTP {error.code} from {url}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise WeatherUnavailable(f"no answer from {url}: {error}") from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise WeatherUnavailable(f"malformed JSON from {url}: {error}") from error


def fahrenheit_to_celsius(value: float) -> float:
    return (value - 32) * 5 / 9


class NationalWeatherService:
    """api.weather.gov: the latest observation of a station, and the forecast for
    a point (/points/{lat},{lon} names the forecast URL of its grid square).

    The service refuses requests without an identifying User-Agent."""

    name = "nws"
    headers = {"Accept": "application/geo+json"}

    @property
    def station(self) -> str:
        return settings.GAZETTE_WEATHER_STATION

    def url(self, path: str) -> str:
        return settings.GAZETTE_WEATHER_NWS_URL.rstrip("/") + path

    def fetch_reading(self) -> Reading:
        station = urllib.parse.quote(self.station, safe="")
        document = get_json(
            self.url(f"/stations/{station}/observations/latest"),
            headers=self.headers,
        )
        try:
            properties = document["properties"]
            temperature = properties["temperature"] or {}
            value = temperature.get("value")
            if value is not None:
                value = float(value)
                if temperature.get("unitCode", "").endswith("degF"):
                    value = fahrenheit_to_celsius(value)
            return Reading(
                temperature_celsius=value,
                description=properties.get("textDescription") or "",
                observed_at=parse_timestamp(properties["timestamp"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise WeatherUnavailable(f"not an observation: {error!r}") from error

    def fetch_forecast(self) -> list[ForecastPeriod]:
        # The service redirects points given with more than four decimals.
        latitude = f"{float(settings.GAZETTE_WEATHER_LATITUDE):.4f}"
        longitude = f"{float(settings.GAZETTE_WEATHER_LONGITUDE):.4f}"
        point = get_json(
            self.url(f"/points/{latitude},{longitude}"), headers=self.headers
        )
        try:
            forecast_url = point["properties"]["forecast"]
        except (KeyError, TypeError) as error:
            raise WeatherUnavailable(f"point without a forecast: {error!r}") from error
        if not isinstance(forecast_url, str) or not forecast_url.startswith("http"):
            raise WeatherUnavailable(f"point without a forecast URL: {forecast_url!r}")
        document = get_json(forecast_url, headers=self.headers)
        try:
            periods = []
            for period in document["properties"]["periods"]:
                temperature = float(period["temperature"])
                if period.get("temperatureUnit", "F") == "F":
                    temperature = fahrenheit_to_celsius(temperature)
                periods.append(
                    ForecastPeriod(
                        name=period["name"],
                        starts_at=parse_timestamp(period["startTime"]),
                        ends_at=parse_timestamp(period["endTime"]),
                        temperature_celsius=temperature,
                        description=period.get("shortForecast") or "",
                    )
                )
            return periods
        except (KeyError, TypeError, ValueError) as error:
            raise WeatherUnavailable(f"not a forecast: {error!r}") from error


# WMO weather interpretation codes (WMO 4677, as Open-Meteo documents them).
WMO_CODES = {
    0: "Clear",
    1: "Mostly Clear",
    2: "Partly Cloudy",
    3: "Overcast",
    45: "Fog",
    48: "Freezing Fog",
    51: "Light Drizzle",
    53: "Drizzle",
    55: "Heavy Drizzle",
    56: "Light Freezing Drizzle",
    57: "Freezing Drizzle",
    61: "Light Rain",
    63: "Rain",
    65: "Heavy Rain",
    66: "Light Freezing Rain",
    67: "Freezing Rain",
    71: "Light Snow",
    73: "Snow",
    75: "Heavy Snow",
    77: "Snow Grains",
    80: "Light Rain Showers",
    81: "Rain Showers",
    82: "Heavy Rain Showers",
    85: "Snow Showers",
    86: "Heavy Snow Showers",
    95: "Thunderstorms",
    96: "Thunderstorms With Hail",
    99: "Thunderstorms With Heavy Hail",
}


def describe_wmo_code(code: Any) -> str:
    try:
        return WMO_CODES.get(int(code), "")
    except (TypeError, ValueError):
        return ""


class OpenMeteo:
    """api.open-meteo.com: current conditions and a daily forecast for any point.

    Asked for the point's own time zone (timezone=auto), it gives local times
    and their offset from UTC."""

    name = "open-meteo"

    @property
    def station(self) -> str:
        latitude = float(settings.GAZETTE_WEATHER_LATITUDE)
        longitude = float(settings.GAZETTE_WEATHER_LONGITUDE)
        return f"{latitude:.4f},{longitude:.4f}"

    def fetch(self, **query: str) -> dict:
        parameters = {
            "latitude": str(settings.GAZETTE_WEATHER_LATITUDE),
            "longitude": str(settings.GAZETTE_WEATHER_LONGITUDE),
            "temperature_unit": "celsius",
            "timezone": "auto",
            **query,
        }
        base = settings.GAZETTE_WEATHER_OPEN_METEO_URL.rstrip("/")
        document = get_json(f"{base}/v1/forecast?{urllib.parse.urlencode(parameters)}")
        if not isinstance(document, dict):
            raise WeatherUnavailable("not an Open-Meteo document")
        return document

    def fetch_reading(self) -> Reading:
        document = self.fetch(current="temperature_2m,weather_code")
        try:
            offset = dt_timezone(timedelta(seconds=document["utc_offset_seconds"]))
            current = document["current"]
            value = current.get("temperature_2m")
            return Reading(
                temperature_celsius=None if value is None else float(value),
                description=describe_wmo_code(current.get("weather_code")),
                observed_at=datetime.fromisoformat(current["time"]).replace(
                    tzinfo=offset
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise WeatherUnavailable(f"not current conditions: {error!r}") from error

    def fetch_forecast(self) -> list[ForecastPeriod]:
        document = self.fetch(
            daily="weather_code,temperature_2m_max,temperature_2m_min",
            forecast_days="4",
        )
        try:
            offset = dt_timezone(timedelta(seconds=document["utc_offset_seconds"]))
            daily = document["daily"]
            periods = []
            for day, code, high, low in zip(
                daily["time"],
                daily["weather_code"],
                daily["temperature_2m_max"],
                daily["temperature_2m_min"],
                strict=True,
            ):
                if high is None or low is None:
                    continue
                midnight = datetime.combine(
                    date.fromisoformat(day), datetime.min.time()
                )
                start = midnight.replace(tzinfo=offset)
                weekday = start.strftime("%A")
                description = describe_wmo_code(code)
                periods += [
                    ForecastPeriod(
                        weekday, start, start + timedelta(hours=18), high, description
                    ),
                    ForecastPeriod(
                        f"{weekday} Night",
                        start + timedelta(hours=18),
                        start + timedelta(days=1, hours=6),
                        low,
                        description,
                    ),
                ]
            return periods
        except (KeyError, TypeError, ValueError) as error:
            raise WeatherUnavailable(f"not a daily forecast: {error!r}") from error


PROVIDERS: dict[str, type] = {
    NationalWeatherService.name: NationalWeatherService,
    OpenMeteo.name: OpenMeteo,
}


def configured_provider() -> WeatherProvider:
    """The service GAZETTE_WEATHER_PROVIDER names (nws or open-meteo)."""
    return PROVIDERS[settings.GAZETTE_WEATHER_PROVIDER]()


def parse_timestamp(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value}")
    return moment
