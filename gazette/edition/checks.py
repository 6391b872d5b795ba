"""System checks: an edition setting the daily build cannot use stops the check."""

from django.conf import settings
from django.core import checks


@checks.register()
def check_edition_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The build hour is an hour of the day; the rebuild delay is not negative."""
    errors: list[checks.CheckMessage] = []
    if not 0 <= settings.GAZETTE_EDITION_BUILD_HOUR <= 23:
        errors.append(
            checks.Error(
                f"GAZETTE_EDITION_BUILD_HOUR is {settings.GAZETTE_EDITION_BUILD_HOUR}",
                hint="Use an hour from 0 to 23, in the paper's time zone.",
                id="gazette.edition.E001",
            )
        )
    if settings.GAZETTE_EDITION_REBUILD_DELAY_SECONDS < 0:
        errors.append(
            checks.Error(
                "GAZETTE_EDITION_REBUILD_DELAY_SECONDS is "
                f"{settings.GAZETTE_EDITION_REBUILD_DELAY_SECONDS}",
                hint="Use 0 or more seconds.",
                id="gazette.edition.E002",
            )
        )
    return errors
