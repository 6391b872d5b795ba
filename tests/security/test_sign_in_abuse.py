"""Sign-in abuse: brute force on one account is locked out after at most 10
failures in a window, answered without hashing a password, from rotating loopback
addresses and forged X-Forwarded-For too; an unknown address and a wrong password
look alike; a password reset answers the same for known and unknown addresses,
mails at most one link per address per 10 minutes, and its link works once and
expires within an hour; sign-ups are limited per client address, and answer the
same whether the address has an account or not.

Each checker (signin.py) also runs with its limit turned up or a difference put
in, which it must flag. Time moves with time-machine; nothing sleeps.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from gazette.accounts.models import User
from gazette.accounts.tests.reading import link_in, text_of
from gazette.mailbox import body_of
from gazette.testing import make_reader
from tests.security.signin import (
    PASSWORD_RESET,
    WRONG_PASSWORDS,
    CountingHasher,
    attempt,
    forged_forwarded_for,
    is_signed_in,
    lockout_problems,
    look_alike_problems,
    parallel_lockout_problems,
    sign_in_answer,
    sign_up_answer,
    sign_up_problems,
)

# The bounds (security battery, item 5).
MOST_FAILURES = 10
RESET_MAIL_MINUTES = 10
RESET_LINK_MINUTES = 60
PASSWORD = "salt spray and koa 7"
NEW_PASSWORD = "trade winds over the reef 9"


@pytest.fixture(autouse=True)
def counted_hashing(settings):
    """Passwords are hashed by the counting hasher (Argon2, cheapest settings)."""
    settings.PASSWORD_HASHERS = ["tests.security.signin.CountingHasher"]
    CountingHasher.calls.clear()
    yield CountingHasher
    CountingHasher.on_verify = None


@pytest.fixture
def account(db):
    """A reader whose password is PASSWORD. Every reader here gets a password of
    their own: make_reader's shared hash is made once a process, and must not be
    made by the counting hasher."""
    return make_reader(email="kai@example.com", password=PASSWORD)


# Brute force ---------------------------------------------------------------------


@pytest.mark.parametrize("proxies", [0, 1])
def test_brute_force_on_one_account_is_locked_out_whatever_the_address(
    settings, account, proxies
):
    """With no proxy trusted the forged header is ignored; with one trusted, the
    forged addresses spread the attempts over many "clients": the account's own
    limit holds either way."""
    settings.GAZETTE_PROXY_COUNT = proxies
    assert lockout_problems(account.email, PASSWORD, most=MOST_FAILURES) == []


def test_attempts_sent_all_at_once_are_each_counted(account):
    problems = parallel_lockout_problems(account.email, most=MOST_FAILURES, attempts=15)
    assert problems == []


def test_the_account_opens_again_with_the_next_window(account, time_machine):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    lockout_problems(account.email, PASSWORD, most=MOST_FAILURES)
    time_machine.shift(timedelta(minutes=15))
    client = Client()
    client.post("/account/sign-in/", {"email": account.email, "password": PASSWORD})
    assert is_signed_in(client)


def test_a_successful_sign_in_does_not_use_up_the_limit(settings, account):
    settings.GAZETTE_SIGN_IN_RATE = "3/15m"
    for _ in range(5):
        client = Client()
        client.post("/account/sign-in/", {"email": account.email, "password": PASSWORD})
        assert is_signed_in(client)


def test_control_a_limit_of_1000_failures_is_caught(settings, account):
    settings.GAZETTE_SIGN_IN_RATE = "1000/15m"
    settings.GAZETTE_SIGN_IN_IP_RATE = "1000/15m"
    problems = lockout_problems(account.email, PASSWORD, most=MOST_FAILURES)
    assert problems == [
        "15 wrong passwords were checked, more than 10",
        "the right password signed in after 15 failures",
        "the attempt after the lockout was hashed",
    ]


def test_control_attempts_sent_at_once_past_a_high_limit_are_caught(settings, account):
    """The parallel checker can fail: with the limit out of reach, every one of the
    attempts in flight together is checked."""
    settings.GAZETTE_SIGN_IN_RATE = "1000/15m"
    problems = parallel_lockout_problems(account.email, most=MOST_FAILURES, attempts=15)
    assert problems == ["15 of 15 parallel attempts were checked, over 10"]


@pytest.mark.parametrize(
    ("rate", "refusals", "locked_out"), [("2/15m", 5, 3), ("1000/15m", 4, 0)]
)
def test_sign_ins_refused_by_the_lockout_are_logged_like_any_refusal(
    settings, account, caplog, rate, refusals, locked_out
):
    """Four wrong passwords, then the right one: every refusal leaves a line
    naming the account by number and the client, those refused unchecked past
    the limit with the reason."""
    settings.GAZETTE_SIGN_IN_RATE = rate
    caplog.set_level(logging.INFO, logger="gazette.accounts")
    for _ in range(4):
        attempt(account.email, next(WRONG_PASSWORDS))
    attempt(account.email, PASSWORD)
    refused = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("accounts.sign_in.refused")
    ]
    assert len(refused) == refusals
    assert all(
        line.startswith(
            f"accounts.sign_in.refused actor=anonymous target=person {account.pk} "
            "address=127."
        )
        for line in refused
    )
    reason = "reason=Too many failed attempts to sign in. Try again in"
    assert sum(reason in line for line in refused) == locked_out
    assert account.email not in caplog.text


# Unknown address or wrong password -------------------------------------------------


def test_an_unknown_address_and_a_wrong_password_look_alike(account):
    passwordless = make_reader(email="lani@example.com", password=PASSWORD)
    User.objects.filter(pk=passwordless.pk).update(password=make_password(None))
    closed = make_reader(email="moana@example.com", password=PASSWORD, is_active=False)
    answers = {
        "a wrong password": sign_in_answer(account.email, "not my password"),
        "an unknown address": sign_in_answer("nobody@example.com", "not my password"),
        "an account without a password": sign_in_answer(passwordless.email, PASSWORD),
        "a closed account": sign_in_answer(closed.email, PASSWORD),
    }
    assert look_alike_problems(answers) == []
    status, text, hashed = answers["an unknown address"]
    assert (status, hashed) == (200, 1)
    assert "That email address and password do not match an account." in text


def test_control_a_locked_answer_does_not_look_alike(settings, account):
    """The comparison sees a difference where there is one: a locked account says
    so, and checks no password."""
    settings.GAZETTE_SIGN_IN_RATE = "1/15m"
    answers = {
        "a wrong password": sign_in_answer(account.email, "not my password"),
        "a locked account": sign_in_answer(account.email, "not my password"),
    }
    assert look_alike_problems(answers) == [
        "a wrong password and a locked account differ in page",
        "a wrong password and a locked account differ in passwords hashed: 1 and 0",
    ]


# Password reset --------------------------------------------------------------------


def ask_for_reset(email: str, capture) -> tuple[int, str]:
    with capture(execute=True):
        response = Client(REMOTE_ADDR="127.0.0.9").post(
            PASSWORD_RESET, {"email": email}, follow=True
        )
    return response.status_code, text_of(response).replace(email, "TYPED")


def test_a_reset_answers_the_same_for_known_and_unknown_addresses(
    account, mailbox, django_capture_on_commit_callbacks
):
    """Request after request, past the hourly limit: the same answers for both."""
    known = [
        ask_for_reset(account.email, django_capture_on_commit_callbacks)
        for _ in range(5)
    ]
    unknown = [
        ask_for_reset("nobody@example.com", django_capture_on_commit_callbacks)
        for _ in range(5)
    ]
    assert known == unknown
    assert "Too many requests for this address." in known[-1][1]
    assert len(mailbox.wait_for(account.email)) == 1
    assert mailbox.to("nobody@example.com") == []


def reset_mail_problems(
    email: str, *, mailbox, capture, clock, most_minutes: int
) -> list[str]:
    """Ask for a reset link, again 5 minutes later, and again just after
    `most_minutes`: the first and the last may be mailed, the second not. (The
    mail goes out before the request is answered: nothing is waited for.)"""
    sent = []
    later = [0, 5, most_minutes + 0.1]
    for minutes in later:
        clock.move_to("2024-12-13 08:00:00+00:00", tick=False)
        clock.shift(timedelta(minutes=minutes))
        before = len(mailbox.to(email))
        ask_for_reset(email, capture)
        if len(mailbox.to(email)) > before:
            sent.append(minutes)
    if sent != [later[0], later[-1]]:
        return [
            f"links were mailed at minutes {sent}, not at {later[0]} and {later[-1]}"
        ]
    return []


def test_one_reset_mail_per_address_per_ten_minutes(
    account, mailbox, django_capture_on_commit_callbacks, time_machine
):
    problems = reset_mail_problems(
        account.email,
        mailbox=mailbox,
        capture=django_capture_on_commit_callbacks,
        clock=time_machine,
        most_minutes=RESET_MAIL_MINUTES,
    )
    assert problems == []


def test_control_reset_mails_without_a_wait_are_caught(
    settings, account, mailbox, django_capture_on_commit_callbacks, time_machine
):
    settings.GAZETTE_PASSWORD_RESET_MAIL_MINUTES = 0
    problems = reset_mail_problems(
        account.email,
        mailbox=mailbox,
        capture=django_capture_on_commit_callbacks,
        clock=time_machine,
        most_minutes=RESET_MAIL_MINUTES,
    )
    assert problems == ["links were mailed at minutes [0, 5, 10.1], not at 0 and 10.1"]


def reset_link_problems(
    link: str, *, minutes_later: int, most_minutes: int
) -> list[str]:
    """Open a mailed reset link `minutes_later`: past `most_minutes` it must be
    refused; before, it must set a new password once, and then be refused."""
    client = Client()
    opened = client.get(link)
    works = opened.status_code == 302
    if minutes_later > most_minutes:
        return [f"the link still works {minutes_later} minutes later"] if works else []
    if not works:
        return [f"the link was refused {minutes_later} minutes later"]
    client.post(opened["Location"], {"new_password": NEW_PASSWORD})
    if not is_signed_in(client):
        return ["the link did not set the new password"]
    again = Client().get(link)
    if again.status_code != 400:
        return ["the link worked a second time"]
    return []


def mailed_link(account, *, mailbox, capture, clock) -> str:
    clock.move_to("2024-12-13 08:00:00+00:00", tick=False)
    ask_for_reset(account.email, capture)
    (message,) = mailbox.wait_for(account.email)
    return link_in(message)


@pytest.mark.parametrize("minutes_later", [59, 61])
def test_a_reset_link_works_once_and_expires_within_the_hour(
    account, mailbox, django_capture_on_commit_callbacks, time_machine, minutes_later
):
    link = mailed_link(
        account,
        mailbox=mailbox,
        capture=django_capture_on_commit_callbacks,
        clock=time_machine,
    )
    time_machine.shift(timedelta(minutes=minutes_later))
    problems = reset_link_problems(
        link, minutes_later=minutes_later, most_minutes=RESET_LINK_MINUTES
    )
    assert problems == []


def test_control_a_two_hour_reset_link_is_caught(
    settings, account, mailbox, django_capture_on_commit_callbacks, time_machine
):
    settings.PASSWORD_RESET_TIMEOUT = 7200
    link = mailed_link(
        account,
        mailbox=mailbox,
        capture=django_capture_on_commit_callbacks,
        clock=time_machine,
    )
    time_machine.shift(timedelta(minutes=61))
    problems = reset_link_problems(
        link, minutes_later=61, most_minutes=RESET_LINK_MINUTES
    )
    assert problems == ["the link still works 61 minutes later"]


# Sign-up ---------------------------------------------------------------------------


@pytest.mark.parametrize("proxies", [0, 1])
def test_sign_ups_are_limited_per_client_address(settings, db, proxies):
    """Rotating a forged X-Forwarded-For opens no more: with no proxy trusted the
    header is ignored, and with one the address read is the proxy's own entry,
    the last, which the client cannot choose."""
    settings.GAZETTE_SIGN_UP_RATE = "3/1h"
    settings.GAZETTE_PROXY_COUNT = proxies

    def headers():
        return {"X-Forwarded-For": f"{forged_forwarded_for()}, 203.0.113.7"}

    assert sign_up_problems(attempts=6, most=3, headers=headers) == []


def test_the_shipped_sign_up_limit_holds(db):
    """With the shipped limit (10 an hour), twelve sign-ups open ten accounts."""
    assert sign_up_problems(attempts=12, most=10, headers=dict) == []


def test_control_a_sign_up_limit_of_1000_is_caught(settings, db):
    settings.GAZETTE_SIGN_UP_RATE = "1000/1h"
    problems = sign_up_problems(attempts=6, most=3, headers=dict)
    assert problems == ["6 accounts were opened from one address, more than 3"]


def test_a_sign_up_answers_the_same_for_a_known_and_a_new_address(
    account, mailbox, django_capture_on_commit_callbacks
):
    """The same pages, the same hashing, no one signed in: the address's owner
    is mailed a notice, the new address its confirmation link."""
    with django_capture_on_commit_callbacks(execute=True):
        answers = {
            "a new address": sign_up_answer("nalu@example.com", "Nalu Kahale"),
            "a known address": sign_up_answer(account.email, "Moana Keliʻi"),
        }
    assert look_alike_problems(answers) == []
    status, text, hashed, signed_in = answers["a new address"]
    assert (status, hashed, signed_in) == (200, 1, False)
    assert "Check your mail" in text
    assert User.objects.filter(email=account.email).count() == 1
    [notice] = mailbox.wait_for(account.email)
    assert "no new one was opened" in body_of(notice)
    assert len(mailbox.wait_for("nalu@example.com")) == 1


def test_control_a_refused_sign_up_does_not_look_alike(db):
    """The comparison sees a difference where there is one: a name already taken
    is refused on the form, and nothing is hashed."""
    make_reader(display_name="Kai Kahale")
    answers = {
        "a new address": sign_up_answer("nalu@example.com", "Nalu Kahale"),
        "a name taken": sign_up_answer("kai@example.com", "Kai Kahale"),
    }
    assert look_alike_problems(answers) == [
        "a new address and a name taken differ in page",
        "a new address and a name taken differ in passwords hashed: 1 and 0",
    ]
