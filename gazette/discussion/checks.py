"""System checks for the moderation settings: a wrong value is named at start-up."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def moderation_settings(app_configs, **kwargs) -> list[Error]:
    """Thresholds between 0 and 1 in order, a known score, limits not negative."""
    from gazette.discussion.pipeline import SCORES, settings_problems

    problems = settings_problems(
        hold=settings.GAZETTE_CIVILITY_HOLD, reject=settings.GAZETTE_CIVILITY_REJECT
    )
    if settings.GAZETTE_CIVILITY_SCORE not in SCORES:
        problems.append(
            f"GAZETTE_CIVILITY_SCORE must be one of {', '.join(SCORES)}, not "
            f"{settings.GAZETTE_CIVILITY_SCORE!r}."
        )
    for name in (
        "GAZETTE_COMMENT_MIN_INTERVAL_SECONDS",
        "GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS",
        "GAZETTE_COMMENT_HOURLY_LIMIT",
        "GAZETTE_COMMENT_REPEAT_MINUTES",
        "GAZETTE_PREMODERATE_FIRST_COMMENTS",
        "GAZETTE_STRIKE_EXPIRY_DAYS",
    ):
        if getattr(settings, name) < 0:
            problems.append(f"{name} must not be negative.")
    if not 0 <= settings.GAZETTE_PREMODERATE_REJECTION_RATE <= 1:
        problems.append("GAZETTE_PREMODERATE_REJECTION_RATE must be between 0 and 1.")
    return [
        Error(problem, id=f"gazette.discussion.E{number:03d}")
        for number, problem in enumerate(problems, start=1)
    ]
