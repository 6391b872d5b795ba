"""The weather services for tests: a real HTTP server on 127.0.0.1 that answers in
the services' own formats (api.weather.gov GeoJSON, Open-Meteo JSON)."""

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache


@dataclass
class Response:
    body: bytes
    status: int = 200
    content_type: str = "application/geo+json"
    delay: float = 0.0


class WeatherServer:
    """Serves responses by path (the query string ignored) and keeps the request
    headers it was sent."""

    def __init__(self):
        self.responses: dict[str, Response] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path, _, query = self.path.partition("?")
                server.requests.append(
                    {"path": path, "query": query, **dict(self.headers)}
                )
                response = server.responses.get(path)
                if response is None:
                    self.send_error(404, "Not Found")
                    return
                if response.delay:
                    time.sleep(response.delay)
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def serve(self, path: str, document, **options) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document)
        if isinstance(body, str):
            body = body.encode()
        self.responses[path] = Response(body=body, **options)
        return self.base_url + path


@pytest.fixture
def weather_server(settings):
    server = WeatherServer()
    server.thread.start()
    settings.GAZETTE_WEATHER_PROVIDER = "nws"
    settings.GAZETTE_WEATHER_STATION = "PHNL"
    settings.GAZETTE_WEATHER_NWS_URL = server.base_url
    settings.GAZETTE_WEATHER_OPEN_METEO_URL = server.base_url
    settings.GAZETTE_WEATHER_TIMEOUT = 0.5
    settings.GAZETTE_WEATHER_UNIT = "F"
    # The project's conftest warms the cache with "no reading"; these tests start
    # from nothing, as a freshly started site does.
    cache.clear()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


OBSERVATION_PATH = "/stations/PHNL/observations/latest"
POINT_PATH = "/points/21.3069,-157.8583"
FORECAST_PATH = "/gridpoints/HFO/153,144/forecast"


def nws_observation(
    temperature: float | None = 23.9,
    *,
    text: str = "Partly Cloudy",
    timestamp: str = "2024-12-13T20:53:00+00:00",
    unit_code: str = "wmoUnit:degC",
) -> dict:
    """The latest observation as api.weather.gov sends it (GeoJSON Feature)."""
    url = "https://api.weather.gov/stations/PHNL/observations/2024-12-13T20:53:00+00:00"
    return {
        "@context": ["https://geojson.org/geojson-ld/geojson-context.jsonld"],
        "id": url,
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-157.93, 21.33]},
        "properties": {
            "@id": url,
            "@type": "wx:ObservationStation",
            "elevation": {"unitCode": "wmoUnit:m", "value": 2},
            "station": "https://api.weather.gov/stations/PHNL",
            "stationId": "PHNL",
            "stationName": "Honolulu, Honolulu International Airport",
            "timestamp": timestamp,
            "rawMessage": "PHNL 132053Z 06012KT 10SM FEW025 SCT040 24/17 A3002",
            "textDescription": text,
            "icon": "https://api.weather.gov/icons/land/day/sct?size=medium",
            "presentWeather": [],
            "temperature": {
                "unitCode": unit_code,
                "value": temperature,
                "qualityControl": "V" if temperature is not None else "Z",
            },
            "dewpoint": {
                "unitCode": "wmoUnit:degC",
                "value": 17.2,
                "qualityControl": "V",
            },
            "windDirection": {
                "unitCode": "wmoUnit:degree_(angle)",
                "value": 60,
                "qualityControl": "V",
            },
            "windSpeed": {
                "unitCode": "wmoUnit:km_h-1",
                "value": 22.2,
                "qualityControl": "V",
            },
            "barometricPressure": {
                "unitCode": "wmoUnit:Pa",
                "value": 101690,
                "qualityControl": "V",
            },
            "relativeHumidity": {
                "unitCode": "wmoUnit:percent",
                "value": 65.4,
                "qualityControl": "V",
            },
            "heatIndex": {
                "unitCode": "wmoUnit:degC",
                "value": None,
                "qualityControl": "V",
            },
        },
    }


def nws_point(forecast_url: str) -> dict:
    """/points/{lat},{lon}: the grid square of a point, naming its forecast URL."""
    return {
        "id": "https://api.weather.gov/points/21.3069,-157.8583",
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-157.8583, 21.3069]},
        "properties": {
            "@id": "https://api.weather.gov/points/21.3069,-157.8583",
            "@type": "wx:Point",
            "cwa": "HFO",
            "gridId": "HFO",
            "gridX": 153,
            "gridY": 144,
            "forecast": forecast_url,
            "forecastHourly": forecast_url + "/hourly",
            "observationStations": "https://api.weather.gov/gridpoints/HFO/153,144/stations",
            "timeZone": "Pacific/Honolulu",
            "radarStation": "PHKI",
        },
    }


def nws_forecast() -> dict:
    """A gridpoint forecast: named 12-hour periods, temperatures in °F."""

    def period(number, name, start, end, temperature, is_daytime, short):
        return {
            "number": number,
            "name": name,
            "startTime": start,
            "endTime": end,
            "isDaytime": is_daytime,
            "temperature": temperature,
            "temperatureUnit": "F",
            "temperatureTrend": "",
            "probabilityOfPrecipitation": {"unitCode": "wmoUnit:percent", "value": 20},
            "windSpeed": "10 to 15 mph",
            "windDirection": "ENE",
            "icon": "https://api.weather.gov/icons/land/day/sct?size=medium",
            "shortForecast": short,
            "detailedForecast": f"{short}. Trade winds.",
        }

    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": []},
        "properties": {
            "units": "us",
            "forecastGenerator": "BaselineForecastGenerator",
            "generatedAt": "2024-12-13T20:30:00+00:00",
            "updateTime": "2024-12-13T19:44:00+00:00",
            "periods": [
                period(
                    1,
                    "This Afternoon",
                    "2024-12-13T10:00:00-10:00",
                    "2024-12-13T18:00:00-10:00",
                    82,
                    True,
                    "Partly Sunny",
                ),
                period(
                    2,
                    "Tonight",
                    "2024-12-13T18:00:00-10:00",
                    "2024-12-14T06:00:00-10:00",
                    70,
                    False,
                    "Isolated Showers",
                ),
                period(
                    3,
                    "Saturday",
                    "2024-12-14T06:00:00-10:00",
                    "2024-12-14T18:00:00-10:00",
                    81,
                    True,
                    "Mostly Sunny",
                ),
            ],
        },
    }


def open_meteo_forecast() -> dict:
    """/v1/forecast with current= and daily= for Honolulu, timezone=auto."""
    return {
        "latitude": 21.3,
        "longitude": -157.875,
        "generationtime_ms": 0.06,
        "utc_offset_seconds": -36000,
        "timezone": "Pacific/Honolulu",
        "timezone_abbreviation": "HST",
        "elevation": 6.0,
        "current_units": {
            "time": "iso8601",
            "interval": "seconds",
            "temperature_2m": "°C",
            "weather_code": "wmo code",
        },
        "current": {
            "time": "2024-12-13T10:45",
            "interval": 900,
            "temperature_2m": 26.2,
            "weather_code": 2,
        },
        "daily_units": {
            "time": "iso8601",
            "weather_code": "wmo code",
            "temperature_2m_max": "°C",
            "temperature_2m_min": "°C",
        },
        "daily": {
            "time": ["2024-12-13", "2024-12-14"],
            "weather_code": [2, 61],
            "temperature_2m_max": [27.8, 27.2],
            "temperature_2m_min": [21.1, 20.6],
        },
    }


MASTHEAD_LINK = (
    '<a class="masthead__weather" href="/weather/">75° <span>Partly Cloudy</span></a>'
)
NOW = datetime(2024, 12, 13, 21, 0, tzinfo=UTC)


@pytest.fixture
def nws(weather_server):
    """The NWS chain served locally: a 23.9 °C observation, the point, its forecast."""
    weather_server.serve(OBSERVATION_PATH, nws_observation(23.9))
    forecast_url = weather_server.serve(FORECAST_PATH, nws_forecast())
    weather_server.serve(POINT_PATH, nws_point(forecast_url))
    return weather_server
