"""Stored pages and the purge time of each tag, in the `pages` cache."""

import hashlib
import time
from dataclasses import dataclass
from email.utils import formatdate
from functools import cached_property

from django.conf import settings
from django.core.cache import caches

TAGS_HEADER = "X-Page-Cache-Tags"
PAGE_PREFIX = "page:"
PURGED_PREFIX = "purged:"


def pages():
    return caches["pages"]


@dataclass(frozen=True)
class StoredPage:
    """A rendered page: what the WSGI wrapper sends again, and when it was made."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    tags: tuple[str, ...]
    rendered_at: float
    nonce: str = ""
    # Hashed once, when stored: a hit must not read the whole page again.
    etag: str = ""

    def __post_init__(self):
        if not self.etag:
            digest = hashlib.blake2b(self.body, digest_size=12).hexdigest()
            object.__setattr__(self, "etag", f'"{digest}"')

    # What every hit reads, made once a page a process.

    @cached_property
    def last_modified(self) -> str:
        return formatdate(self.rendered_at, usegmt=True)

    @cached_property
    def purge_names(self) -> tuple[str, ...]:
        """Where the purge times of the page's tags are kept."""
        return tuple(PURGED_PREFIX + tag for tag in self.tags)

    @cached_property
    def around_nonce(self) -> list[bytes]:
        """The body cut where its nonce attributes are, for a copy to be sent
        with another nonce between the pieces (made once a page a process)."""
        return self.body.split(nonce_attribute(self.nonce))


def nonce_attribute(nonce: str) -> bytes:
    return f'nonce="{nonce}"'.encode()


def page_key(host: str, path: str, query: str) -> str:
    """One key per host, path and query string (its parameters in order)."""
    ordered = "&".join(sorted(query.split("&"))) if query else ""
    digest = hashlib.blake2b(
        f"{host}\n{path}\n{ordered}".encode(), digest_size=16
    ).hexdigest()
    return PAGE_PREFIX + digest


# What this process read from the shared cache in the last
# GAZETTE_PAGE_CACHE_LOCAL_SECONDS: a page asked for again at once (the common
# case when a story breaks) costs no trip to the files or to Redis.
_recent: dict[str | tuple[str, ...], tuple[float, object]] = {}
_clock = time.monotonic


def _remembered(key: str | tuple[str, ...], read):
    seconds = settings.GAZETTE_PAGE_CACHE_LOCAL_SECONDS
    if seconds <= 0:
        return read()
    now = _clock()
    held = _recent.get(key)
    if held is not None and held[0] > now:
        return held[1]
    value = read()
    if len(_recent) > 10_000:
        _recent.clear()
    _recent[key] = (now + seconds, value)
    return value


def forget_recent() -> None:
    _recent.clear()


def fresh_page(key: str) -> StoredPage | None:
    """The stored page, unless one of its tags was purged after it was rendered."""
    page = _remembered(key, lambda: pages().get(key))
    if page is None or _purged_since(page.purge_names, page.rendered_at):
        return None
    return page


def purged_since(tags: tuple[str, ...], moment: float) -> bool:
    """Whether one of these tags was purged at or after this moment."""
    return _purged_since(tuple(PURGED_PREFIX + tag for tag in tags), moment)


def _purged_since(names: tuple[str, ...], moment: float) -> bool:
    purged = _remembered(names, lambda: pages().get_many(names))
    return any(purged_at >= moment for purged_at in purged.values())


def store_page(key: str, page: StoredPage) -> None:
    pages().set(key, page, timeout=settings.GAZETTE_PAGE_CACHE_SECONDS)
    _recent.pop(key, None)


def purge(*tags: str) -> None:
    """Every stored page with one of these tags is stale from now on."""
    now = time.time()
    # Kept past the longest life of a page, so no page outlives its purge.
    pages().set_many(
        {PURGED_PREFIX + tag: now for tag in tags},
        timeout=settings.GAZETTE_PAGE_CACHE_SECONDS + 60,
    )
    # This process sees its own purges at once; others within their
    # GAZETTE_PAGE_CACHE_LOCAL_SECONDS.
    _recent.clear()
