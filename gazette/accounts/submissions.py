"""One form, one effect: a double-clicked submit is answered, never done twice.

Each form carries a random `submission` token. The first request with it claims
the token in the cache (an atomic add, shared across processes with Redis); a
repeat is sent where the first went, or, while the first is still running, to
the page it will end on. A refused form gives its token back, so the reader can
correct it and send it again.
"""

import secrets

from django.core.cache import cache

PENDING = ""
KEEP_SECONDS = 60 * 60


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _key(token: str) -> str:
    return f"submission:{token}"


def claim(token: str) -> bool:
    """Take the token for this request; False when another request already has."""
    if not token:
        return True
    return cache.add(_key(token), PENDING, timeout=KEEP_SECONDS)


def outcome(token: str) -> str | None:
    """Where the first request with this token sent the reader, once it finished."""
    return cache.get(_key(token)) or None


def settle(token: str, url: str) -> str:
    """Remember where this submission ended, for any repeat of it."""
    if token:
        cache.set(_key(token), url, timeout=KEEP_SECONDS)
    return url


def release(token: str) -> None:
    """Give the token back: nothing was done, the reader may send the form again."""
    if token:
        cache.delete(_key(token))
