from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "gazette.weather"
    verbose_name = "Weather"

    def ready(self) -> None:
        from gazette.weather import checks  # noqa: F401  (registers the checks)
