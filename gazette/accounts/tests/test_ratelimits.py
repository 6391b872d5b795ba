import time
from datetime import timedelta

import pytest
from django.test import RequestFactory

from gazette.accounts import ratelimits
from gazette.accounts.errors import RateLimited
from gazette.accounts.ratelimits import Rate, parse_rate


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("5/15m", Rate(count=5, seconds=900)),
        ("10/h", Rate(count=10, seconds=3600)),
        ("3 / 1d", Rate(count=3, seconds=86400)),
        ("30/45s", Rate(count=30, seconds=45)),
    ],
)
def test_rates_read_as_a_count_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["5", "five/15m", "5/15w", ""])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ValueError, match="A rate looks like 5/15m"):
        parse_rate(text)


def test_a_limit_refuses_once_spent_and_opens_with_the_next_window(time_machine):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    rate = Rate(count=2, seconds=600)
    for _ in range(2):
        ratelimits.spend("test", "reader@example.com", rate, message="Too many.")
    with pytest.raises(RateLimited) as refused:
        ratelimits.spend("test", "READER@example.com", rate, message="Too many.")
    assert refused.value.message == "Too many. Try again in 10 minutes."
    assert refused.value.retry_after == 600
    ratelimits.spend("test", "other@example.com", rate, message="Too many.")
    time_machine.shift(timedelta(minutes=10))
    ratelimits.spend("test", "reader@example.com", rate, message="Too many.")


def test_the_cache_never_holds_the_address_in_clear(time_machine):
    from django.core.cache import cache

    ratelimits.record_hit("test", "reader@example.com", Rate(count=1, seconds=60))
    assert not [key for key in cache._cache if "reader@example.com" in key]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "203.0.113.7", "127.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (2, "203.0.113.7", "127.0.0.1"),
    ],
)
def test_the_client_address_looks_past_trusted_proxies_only(
    settings, proxies, forwarded, address
):
    settings.GAZETTE_PROXY_COUNT = proxies
    request = RequestFactory().get("/", headers={"X-Forwarded-For": forwarded})
    assert ratelimits.client_address(request) == address


def test_a_turn_comes_once_in_any_stretch_of_its_length(time_machine):
    time_machine.move_to("2024-12-13 08:09:00+00:00", tick=False)
    assert ratelimits.take_turn("test", "reader@example.com", 600)
    # A fixed ten-minute window would open again at 08:10; a turn waits till 08:19.
    time_machine.shift(timedelta(minutes=5))
    assert not ratelimits.take_turn("test", "READER@example.com", 600)
    assert ratelimits.take_turn("test", "other@example.com", 600)
    time_machine.shift(timedelta(minutes=5))
    assert ratelimits.take_turn("test", "reader@example.com", 600)


def test_a_hit_given_back_frees_its_place_in_the_window(time_machine):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    rate = Rate(count=1, seconds=600)
    now = time.time()
    ratelimits.spend("test", "reader@example.com", rate, message="Too many.", now=now)
    ratelimits.give_back("test", "reader@example.com", rate, now=now)
    ratelimits.give_back("test", "reader@example.com", rate, now=now)
    ratelimits.spend("test", "reader@example.com", rate, message="Too many.")
    with pytest.raises(RateLimited):
        ratelimits.spend("test", "reader@example.com", rate, message="Too many.")
