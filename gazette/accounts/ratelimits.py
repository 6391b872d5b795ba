"""Rate limits on sign-in, sign-up and account mail, counted in Django's cache.

With REDIS_URL set every app process shares the counts; the default per-process
memory cache counts each process apart (DESIGN.md, "Known pitfalls"). A limit is a
count per fixed window, written "5/15m" (s, m, h or d); a turn (take_turn) is at
most one in any stretch of so many seconds. Keys hold an HMAC of the email or
client address, so the cache never holds either in clear.
Time comes from `time.time()`, which tests move with time-machine.
"""

import math
import re
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from gazette.accounts.errors import RateLimited

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """Read "5/15m" as five per fifteen minutes; "10/h" as ten an hour."""
    match = RATE.match(text)
    if not match:
        raise ValueError(f"A rate looks like 5/15m, not {text!r}.")
    count, amount, unit = match.groups()
    return Rate(count=int(count), seconds=int(amount or 1) * UNIT_SECONDS[unit])


def rate_setting(name: str) -> Rate:
    return parse_rate(getattr(settings, name))


def client_address(request: HttpRequest) -> str:
    """The reader's IP address, looking past GAZETTE_PROXY_COUNT trusted proxies."""
    hops = int(getattr(settings, "GAZETTE_PROXY_COUNT", 0))
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _digest(identity: str) -> str:
    return salted_hmac("gazette.accounts.ratelimits", identity.lower()).hexdigest()


def _window(scope: str, identity: str, rate: Rate, now: float) -> tuple[str, int]:
    digest = _digest(identity)
    number = int(now // rate.seconds)
    seconds_left = max(1, math.ceil((number + 1) * rate.seconds - now))
    return f"ratelimit:{scope}:{digest[:32]}:{number}", seconds_left


def _wait_message(seconds: int) -> str:
    if seconds < 90:
        return "Try again in a minute."
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"Try again in {minutes} minutes."
    return f"Try again in {math.ceil(minutes / 60)} hours."


def ensure_allowed(
    scope: str, identity: str, rate: Rate, *, message: str, now: float | None = None
) -> None:
    """Refuse when this window already holds `rate.count` hits for the identity."""
    if not identity:
        return
    key, seconds_left = _window(
        scope, identity, rate, time.time() if now is None else now
    )
    if (cache.get(key) or 0) >= rate.count:
        raise RateLimited(
            f"{message} {_wait_message(seconds_left)}", retry_after=seconds_left
        )


def record_hit(
    scope: str, identity: str, rate: Rate, *, now: float | None = None
) -> int:
    """Count one attempt for the identity in the current window; return the count."""
    if not identity:
        return 0
    key, seconds_left = _window(
        scope, identity, rate, time.time() if now is None else now
    )
    cache.add(key, 0, timeout=seconds_left + 1)
    try:
        return cache.incr(key)
    except ValueError:
        # The window closed between add and incr: this hit opens the next one.
        cache.set(key, 1, timeout=seconds_left + 1)
        return 1


def give_back(scope: str, identity: str, rate: Rate, *, now: float) -> None:
    """Take back a hit counted at `now` (an attempt that turned out to succeed)."""
    if not identity:
        return
    key, _ = _window(scope, identity, rate, now)
    # ValueError: the window closed meanwhile, and its count is gone with it.
    with suppress(ValueError):
        if (cache.get(key) or 0) > 0:
            cache.decr(key)


def take_turn(scope: str, identity: str, seconds: int) -> bool:
    """Whether the identity may have its turn now: True at most once in any
    `seconds` (a sliding wait from the last turn, not a fixed window)."""
    if not identity or seconds <= 0:
        return True
    return cache.add(f"turn:{scope}:{_digest(identity)[:32]}", 1, timeout=seconds)


def spend(
    scope: str, identity: str, rate: Rate, *, message: str, now: float | None = None
) -> None:
    """Count this attempt, and refuse it when it is one more than the limit allows.

    Counting first keeps two processes from both slipping under the limit.
    """
    now = time.time() if now is None else now
    if record_hit(scope, identity, rate, now=now) > rate.count:
        _, seconds_left = _window(scope, identity, rate, now)
        raise RateLimited(
            f"{message} {_wait_message(seconds_left)}", retry_after=seconds_left
        )
