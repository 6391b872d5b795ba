"""The paper's comment guidelines, clause by clause, as decisions and notices cite them.

A rejection, a sanction or a warning before posting names one clause, so that
the reader learns which rule was applied and the transparency report can count
decisions by reason.
"""

CLAUSES: dict[str, str] = {
    "personal_attack": "No personal attacks: argue with the idea, not the person.",
    "offensive": "Keep it in good taste: no obscenity, slurs or strong language.",
    "banned_words": "Words the paper does not allow in the discussion.",
    "spam": "No spam, advertising or repeated posting.",
    "off_topic": "Stay on the topic of the story.",
    "links": "Links are checked by a moderator before they appear.",
    "other": "Other breaches of the comment guidelines.",
}


def clause(key: str) -> str:
    """The text of a guideline clause; an unknown key is refused."""
    try:
        return CLAUSES[key]
    except KeyError:
        choices = ", ".join(CLAUSES)
        raise ValueError(
            f"Unknown guideline {key!r}; choose one of {choices}."
        ) from None
