import pytest

from gazette.edition.checks import check_edition_settings


@pytest.mark.parametrize(
    ("hour", "delay", "errors"),
    [
        (5, 120, []),
        (0, 0, []),
        (23, 120, []),
        (24, 120, ["gazette.edition.E001"]),
        (-1, 120, ["gazette.edition.E001"]),
        (5, -1, ["gazette.edition.E002"]),
    ],
)
def test_edition_settings_the_build_cannot_use_stop_the_check(
    settings, hour, delay, errors
):
    settings.GAZETTE_EDITION_BUILD_HOUR = hour
    settings.GAZETTE_EDITION_REBUILD_DELAY_SECONDS = delay
    assert [error.id for error in check_edition_settings(None)] == errors
