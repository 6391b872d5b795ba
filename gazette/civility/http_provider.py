"""A civility provider that asks a moderation service over HTTP.

The service receives one POST per comment, with a JSON body::

    {"text": "the comment as the reader typed it"}

and answers 200 with a JSON object holding two numbers from 0 to 1 and,
optionally, its reasons::

    {"attack": 0.93, "offensive": 0.12, "reasons": ["insult aimed at a reader"]}

Other services name their fields differently: `attack_field` and
`offensive_field` take dotted paths into the answer (for example
"attributeScores.INSULT.summaryScore.value"). Any failure (no answer within
the timeout, a status other than 200, a body that is not such JSON) raises
ModerationServiceError, so the moderation pipeline can fall back on the
shipped model: see FallbackProvider.
"""

import json
import logging
import math
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from gazette.civility.model import CivilityProvider, CivilityScore

logger = logging.getLogger("gazette.civility")

MAX_RESPONSE_BYTES = 1_000_000


class ModerationServiceError(RuntimeError):
    """The moderation service could not score a comment."""


def field_at(data: Any, path: str) -> Any:
    """The value at a dotted path in decoded JSON."""
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            raise ModerationServiceError(f"The service's answer has no {path!r}.")
        data = data[part]
    return data


def probability(data: Any, path: str) -> float:
    """A number from 0 to 1 at a dotted path."""
    value = field_at(data, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModerationServiceError(f"The service's {path!r} is not a number.")
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ModerationServiceError(f"The service's {path!r} is not between 0 and 1.")
    return float(value)


class HttpModerationProvider:
    """Score comments by posting them to a moderation service."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 2.0,
        api_key: str = "",
        attack_field: str = "attack",
        offensive_field: str = "offensive",
        reasons_field: str = "reasons",
        name: str = "http",
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(
                "The moderation service URL must start with http:// or https://."
            )
        self.url = url
        self.timeout = timeout
        self.api_key = api_key
        self.attack_field = attack_field
        self.offensive_field = offensive_field
        self.reasons_field = reasons_field
        self.name = name

    def request(self, text: str) -> urllib.request.Request:
        """The POST request for one comment."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = json.dumps({"text": text}).encode("utf-8")
        return urllib.request.Request(
            self.url, data=body, headers=headers, method="POST"
        )

    def fetch(self, text: str) -> Any:
        """Post one comment and decode the service's JSON answer."""
        try:
            with urllib.request.urlopen(
                self.request(text), timeout=self.timeout
            ) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise ModerationServiceError(
                f"The moderation service answered {error.code} {error.reason}."
            ) from error
        except TimeoutError as error:
            raise ModerationServiceError(
                f"The moderation service did not answer within {self.timeout} s."
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise ModerationServiceError(
                f"The moderation service cannot be reached: {error}."
            ) from error
        if len(body) > MAX_RESPONSE_BYTES:
            raise ModerationServiceError(
                "The moderation service's answer is too large."
            )
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ModerationServiceError(
                "The moderation service's answer is not valid JSON."
            ) from error

    def score(self, text: str) -> CivilityScore:
        """Score one comment through the service."""
        data = self.fetch(text)
        reasons = data.get(self.reasons_field, []) if isinstance(data, dict) else []
        if not isinstance(reasons, list):
            reasons = []
        return CivilityScore(
            attack=probability(data, self.attack_field),
            offensive=probability(data, self.offensive_field),
            reasons=[str(reason) for reason in reasons][:10],
            provider=self.name,
        )

    def score_many(self, texts: Iterable[str]) -> list[CivilityScore]:
        """Score several comments, one request each."""
        return [self.score(text) for text in texts]


class FallbackProvider:
    """Ask one provider, and another when the first fails."""

    def __init__(self, primary: CivilityProvider, fallback: CivilityProvider) -> None:
        self.primary = primary
        self.fallback = fallback

    def score(self, text: str) -> CivilityScore:
        """Score with the primary provider, or with the fallback if it fails."""
        try:
            return self.primary.score(text)
        except ModerationServiceError as error:
            logger.warning("Civility provider failed, using the fallback: %s", error)
            score = self.fallback.score(text)
            return CivilityScore(
                attack=score.attack,
                offensive=score.offensive,
                reasons=[*score.reasons, f"fallback: {error}"],
                provider=score.provider,
            )

    def score_many(self, texts: Iterable[str]) -> list[CivilityScore]:
        """Score several comments, each falling back on its own."""
        return [self.score(text) for text in texts]
