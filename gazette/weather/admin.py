from django.contrib import admin

from gazette.weather.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Read-only: the refresh task is the only writer."""

    list_display = [
        "provider",
        "station",
        "temperature_celsius",
        "description",
        "observed_at",
        "last_attempt_at",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
