from django.db import models


class Observation(models.Model):
    """The last good reading of one station, its forecast, and how the latest
    refresh went. Written only by `services.refresh_weather`; pages read it
    through `selectors.current_conditions`, from the cache."""

    provider = models.CharField(max_length=20)
    station = models.CharField(max_length=64)
    temperature_celsius = models.FloatField(null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Periods as the providers give them, normalised: name, starts_at, ends_at
    # (ISO 8601), temperature_celsius, description.
    forecast = models.JSONField(default=list, blank=True)
    forecast_fetched_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "station"], name="weather_one_row_per_station"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.station}"
