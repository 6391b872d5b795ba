"""The moderation policy in force: the environment's settings, as staff changed them.

Staff edit thresholds, pre-moderation and limits in the back office
(models.ModerationPolicy); an empty field keeps the GAZETTE_* setting. The
checks read current_policy(), which the cache holds for a minute at most and
which a change in the back office clears at once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

CACHE_KEY = "discussion:moderation-policy"
CACHE_SECONDS = 60

# Each field of the policy, the setting it overrides, and its bounds.
FIELDS = {
    "civility_hold": ("GAZETTE_CIVILITY_HOLD", None),
    "civility_reject": ("GAZETTE_CIVILITY_REJECT", None),
    "premoderate_all": ("GAZETTE_PREMODERATE_ALL", None),
    "premoderate_first_comments": ("GAZETTE_PREMODERATE_FIRST_COMMENTS", 1000),
    "premoderate_rejection_rate": ("GAZETTE_PREMODERATE_REJECTION_RATE", None),
    "min_interval_seconds": ("GAZETTE_COMMENT_MIN_INTERVAL_SECONDS", 86_400),
    "new_account_interval_seconds": (
        "GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS",
        86_400,
    ),
    "hourly_limit": ("GAZETTE_COMMENT_HOURLY_LIMIT", 10_000),
    "repeat_minutes": ("GAZETTE_COMMENT_REPEAT_MINUTES", 10_080),
    "hold_links": ("GAZETTE_COMMENT_HOLD_LINKS", None),
    "reports_to_hide": ("GAZETTE_COMMENT_REPORTS_TO_HIDE", 1000),
}


@dataclass(frozen=True)
class Policy:
    civility_hold: float
    civility_reject: float
    premoderate_all: bool
    premoderate_sections: frozenset[str]
    premoderate_first_comments: int
    premoderate_rejection_rate: float
    min_interval_seconds: int
    new_account_interval_seconds: int
    hourly_limit: int
    repeat_minutes: int
    hold_links: bool
    reports_to_hide: int


def _saved() -> dict:
    from gazette.discussion.models import ModerationPolicy

    saved = cache.get(CACHE_KEY)
    if saved is None:
        row = ModerationPolicy.objects.first()
        saved = {}
        if row is not None:
            saved = {name: getattr(row, name) for name in FIELDS}
            saved["premoderate_sections"] = sorted(
                row.premoderate_sections.values_list("slug", flat=True)
            )
        cache.set(CACHE_KEY, saved, CACHE_SECONDS)
    return saved


def current_policy() -> Policy:
    """The policy the checks apply now."""
    saved = _saved()
    values = {
        name: getattr(settings, setting) if saved.get(name) is None else saved[name]
        for name, (setting, _) in FIELDS.items()
    }
    sections = {*settings.GAZETTE_PREMODERATE_SECTIONS}
    sections.update(saved.get("premoderate_sections", ()))
    return Policy(premoderate_sections=frozenset(sections), **values)


def forget_policy() -> None:
    """A change in the back office applies to the next comment."""
    cache.delete(CACHE_KEY)


def policy_problems(policy) -> list[str]:
    """What is wrong with a policy staff are saving, in words they can act on."""
    from gazette.discussion.pipeline import settings_problems

    def value(name):
        saved = getattr(policy, name)
        return getattr(settings, FIELDS[name][0]) if saved is None else saved

    problems = settings_problems(
        hold=value("civility_hold"), reject=value("civility_reject")
    )
    rate = value("premoderate_rejection_rate")
    if not 0 <= rate <= 1:
        problems.append(
            f"The rejection rate that pre-moderates a reader must be between 0 "
            f"and 1, not {rate}."
        )
    for name, (_, most) in FIELDS.items():
        saved = getattr(policy, name)
        if most is not None and saved is not None and saved > most:
            label = name.replace("_", " ")
            problems.append(f"The {label} must be at most {most:,}, not {saved:,}.")
    if value("reports_to_hide") < 1:
        problems.append("At least one report must be needed to hide a comment.")
    return problems
