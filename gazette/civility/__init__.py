"""Offline civility checks for reader comments: word lists and a civility model.

Pure Python, no Django and no database: the discussion app calls these and
records their reasons. See README.md for the design and the measured quality.
"""

from gazette.civility.evaluation import (
    DEFAULT_THRESHOLDS,
    Evaluation,
    Thresholds,
    evaluate,
    read_labeled_csv,
)
from gazette.civility.http_provider import (
    FallbackProvider,
    HttpModerationProvider,
    ModerationServiceError,
)
from gazette.civility.model import (
    CivilityModelError,
    CivilityProvider,
    CivilityScore,
    LinearCivilityModel,
    load,
    save,
    shipped_model,
)
from gazette.civility.providers import provider_from_config
from gazette.civility.training import train
from gazette.civility.wordlist import (
    Screening,
    WordList,
    WordListError,
    WordMatch,
    screen_words,
    validate_entries,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "CivilityModelError",
    "CivilityProvider",
    "CivilityScore",
    "Evaluation",
    "FallbackProvider",
    "HttpModerationProvider",
    "LinearCivilityModel",
    "ModerationServiceError",
    "Screening",
    "Thresholds",
    "WordList",
    "WordListError",
    "WordMatch",
    "evaluate",
    "load",
    "provider_from_config",
    "read_labeled_csv",
    "save",
    "screen_words",
    "shipped_model",
    "train",
    "validate_entries",
]
