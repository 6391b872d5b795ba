"""Choose the civility provider from configuration.

The configuration is a plain mapping (the project reads it from settings):

- ``{"provider": "shipped"}`` or nothing: the model shipped in this package;
- ``{"provider": "model", "path": "var/civility/model.json.gz"}``: a model
  trained on the paper's own decisions (`gazette moderation use MODEL`); if it
  cannot be read, the shipped model is used and the failure is logged;
- ``{"provider": "http", "url": "...", "timeout": 2.0, "api_key": "...",
  "attack_field": "...", "offensive_field": "..."}``: a moderation service,
  falling back on the shipped model whenever it fails.
"""

import logging
from collections.abc import Mapping
from typing import Any

from gazette.civility.http_provider import FallbackProvider, HttpModerationProvider
from gazette.civility.model import (
    CivilityModelError,
    CivilityProvider,
    load,
    shipped_model,
)

logger = logging.getLogger("gazette.civility")

HTTP_OPTIONS = (
    "timeout",
    "api_key",
    "attack_field",
    "offensive_field",
    "reasons_field",
)


def provider_from_config(config: Mapping[str, Any] | None = None) -> CivilityProvider:
    """The provider a configuration names, with the shipped model behind it."""
    config = config or {}
    kind = config.get("provider", "shipped")
    if kind == "shipped":
        return shipped_model()
    if kind == "model":
        return trained_or_shipped(config["path"])
    if kind == "http":
        options = {key: config[key] for key in HTTP_OPTIONS if key in config}
        return FallbackProvider(
            HttpModerationProvider(config["url"], **options), shipped_model()
        )
    raise ValueError(f"Unknown civility provider {kind!r}.")


def trained_or_shipped(path: str) -> CivilityProvider:
    """A trained model from a file, or the shipped model if the file is unusable."""
    try:
        return load(path)
    except CivilityModelError as error:
        logger.error("Using the shipped civility model: %s", error)
        return shipped_model()
