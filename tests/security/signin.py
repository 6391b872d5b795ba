"""Checkers of sign-in, sign-up and password-reset abuse, and a password hasher
that counts its work.

Each checker returns the problems it found as sentences, an empty list when there
are none. The tests run them on Gazette as configured and, as controls, with a
limit turned up or a difference put in, which they must flag.
"""

import itertools
import re
from collections.abc import Callable
from typing import ClassVar

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from gazette.accounts.models import User
from gazette.accounts.selectors import documents_to_accept

SIGN_IN = "/account/sign-in/"
SIGN_UP = "/account/sign-up/"
PASSWORD_RESET = "/account/password/reset/"
WRONG_PASSWORDS = (f"guess number {number}" for number in itertools.count(1))
_addresses = itertools.count(2)


class CountingHasher(Argon2PasswordHasher):
    """Argon2 at its cheapest, noting every password it hashes or checks.

    It keeps Argon2's name, so the hashes it makes are ordinary Argon2 hashes;
    `on_verify`, when set, runs once at the start of the next check (to send
    another request while this one is still hashing).
    """

    time_cost = 1
    memory_cost = 64
    parallelism = 1
    calls: ClassVar[list[str]] = []
    on_verify: ClassVar[Callable[[], None] | None] = None

    def encode(self, password, salt):
        type(self).calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password, encoded):
        type(self).calls.append("verify")
        callback, type(self).on_verify = type(self).on_verify, None
        if callback is not None:
            callback()
        return super().verify(password, encoded)


def loopback() -> str:
    """A different loopback address each time: 127.0.0.2, 127.0.0.3, ..."""
    number = next(_addresses)
    return f"127.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def forged_forwarded_for() -> str:
    """An X-Forwarded-For a client made up: a new documentation address each time."""
    number = next(_addresses)
    return f"198.51.{number // 256 % 256}.{number % 256}"


def attempt(email: str, password: str) -> Client:
    """One sign-in from a new browser, a new loopback address and a forged
    X-Forwarded-For, as a botnet or a rotating proxy would send it."""
    client = Client(REMOTE_ADDR=loopback())
    client.post(
        SIGN_IN,
        {"email": email, "password": password},
        headers={"X-Forwarded-For": forged_forwarded_for()},
    )
    return client


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lockout_problems(email: str, password: str, *, most: int) -> list[str]:
    """Fail to sign in to one account `most` + 5 times from rotating addresses,
    then give the right password: it must be refused, and no more than `most`
    passwords hashed in all (a locked account is answered without hashing)."""
    CountingHasher.calls.clear()
    for _ in range(most + 5):
        attempt(email, next(WRONG_PASSWORDS))
    hashed = len(CountingHasher.calls)
    right = attempt(email, password)
    problems = []
    if hashed > most:
        problems.append(f"{hashed} wrong passwords were checked, more than {most}")
    if is_signed_in(right):
        problems.append(f"the right password signed in after {most + 5} failures")
    if len(CountingHasher.calls) > hashed:
        problems.append("the attempt after the lockout was hashed")
    return problems


def parallel_lockout_problems(email: str, *, most: int, attempts: int) -> list[str]:
    """Send `attempts` wrong passwords so that each arrives while the one before
    is still being hashed, as requests sent all at once do: no more than `most`
    may be checked."""
    CountingHasher.calls.clear()

    def send_from(number: int) -> None:
        if number > attempts:
            return
        CountingHasher.on_verify = lambda: send_from(number + 1)
        attempt(email, next(WRONG_PASSWORDS))
        if CountingHasher.on_verify is not None:
            # Refused before hashing: the next one goes now.
            CountingHasher.on_verify = None
            send_from(number + 1)

    send_from(1)
    checked = CountingHasher.calls.count("verify")
    if checked > most:
        return [f"{checked} of {attempts} parallel attempts were checked, over {most}"]
    return []


def answer_of(client: Client, response, *, typed: str) -> tuple[int, str]:
    """A response as the person sees it: its status and its text, with what they
    typed, the form's one-off tokens and the page's nonce taken out."""
    text = response.content.decode()
    text = text.replace(typed, "TYPED")
    text = re.sub(
        r'name="(csrfmiddlewaretoken|submission)" value="[^"]*"', "TOKEN", text
    )
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    return response.status_code, text


def sign_in_answer(email: str, password: str) -> tuple[int, str, int]:
    """What a failed sign-in answers, and how many passwords it hashed or checked."""
    CountingHasher.calls.clear()
    client = Client(REMOTE_ADDR=loopback())
    response = client.post(SIGN_IN, {"email": email, "password": password})
    status, text = answer_of(client, response, typed=email)
    return status, text, len(CountingHasher.calls)


def look_alike_problems(answers: dict[str, tuple]) -> list[str]:
    """How the answers to failed sign-ins (or to sign-ups) differ: status, page,
    hashing work (which a stopwatch could tell apart), or being signed in."""
    (first_name, first), *others = answers.items()
    labels = ["status", "page", "passwords hashed", "being signed in"]
    problems = []
    for name, answer in others:
        for part, label in enumerate(labels[: len(first)]):
            if answer[part] != first[part]:
                shown = "" if part == 1 else f": {first[part]} and {answer[part]}"
                problems.append(f"{first_name} and {name} differ in {label}{shown}")
    return problems


def sign_up_form(email: str, display_name: str) -> dict:
    """The sign-up form filled in, every document accepted."""
    data = {
        "email": email,
        "display_name": display_name,
        "password": "tide pools at dawn 42",
    }
    for document in documents_to_accept():
        data[f"accept_{document.slug}"] = "on"
        data[f"version_{document.slug}"] = document.version
    return data


def sign_up_answer(email: str, display_name: str) -> tuple[int, str, int, bool]:
    """What a sign-up answers, as the person sees it: the status and the pages it
    leads through, how many passwords it hashed, and whether it signed them in."""
    CountingHasher.calls.clear()
    client = Client(REMOTE_ADDR=loopback())
    response = client.post(SIGN_UP, sign_up_form(email, display_name), follow=True)
    status, text = answer_of(client, response, typed=email)
    shown = f"{response.redirect_chain} {text}".replace(display_name, "NAME")
    return status, shown, len(CountingHasher.calls), is_signed_in(client)


def sign_up_problems(
    *, attempts: int, most: int, headers: Callable[[], dict]
) -> list[str]:
    """Sign up `attempts` accounts from one client address (whatever it forges in
    `headers`): no more than `most` may be opened."""
    before = User.objects.count()
    for number in range(attempts):
        data = sign_up_form(f"flood{number}@example.com", f"Flood Reader {number}")
        Client().post(SIGN_UP, data, headers=headers())
    opened = User.objects.count() - before
    if opened > most:
        return [f"{opened} accounts were opened from one address, more than {most}"]
    return []
