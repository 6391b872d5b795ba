"""Errors and logs. With DEBUG off a forced error shows the generic page; every
sign-in, refusal and moderation action is logged with actor, target and time;
no password, token, session key or CSRF token ever appears in a log, gunicorn's
access log included."""

import copy
import io
import logging
import re
import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from gunicorn.config import Config
from gunicorn.glogging import Logger, SafeAtoms

from gazette.accounts.tests.reading import link_in
from gazette.discussion import services
from gazette.discussion.errors import CommentRejected
from gazette.discussion.tests.builders import make_commenter, post
from gazette.logs import GunicornLogger, RedactSecrets
from gazette.testing import READER_PASSWORD, make_article, make_reader
from tests.reliability import servers
from tests.reliability.checkers import (
    error_page_problems,
    leak_problems,
    log_line_problems,
    logging_config_problems,
)

SECRET_DETAIL = "reliability-internal-detail-5f2c"
WRONG_PASSWORD = "not my password at all 9"
NEW_PASSWORD = "tide pools at low water"


# A forced error with DEBUG off.


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.reliability.urls", DEBUG=False)
@pytest.mark.parametrize("address", ["/broken/", "/api/v1/broken"])
def test_a_forced_error_shows_the_generic_page_without_a_traceback(address):
    answer = Client(raise_request_exception=False).get(address)
    problems = error_page_problems(
        answer.status_code, answer.content.decode(), SECRET_DETAIL
    )
    assert problems == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.reliability.urls", DEBUG=True)
def test_control_the_debug_page_is_flagged():
    answer = Client(raise_request_exception=False).get("/broken/")
    problems = error_page_problems(
        answer.status_code, answer.content.decode(), SECRET_DETAIL
    )
    assert "the error's own message is on the page" in problems
    assert any("Traceback" in problem for problem in problems)


# What the configured handlers really write.


def writing_handlers() -> set[logging.Handler]:
    """LOGGING's handlers: the ones on the root and gazette loggers that redact."""
    return {
        handler
        for name in ("", "gazette")
        for handler in logging.getLogger(name).handlers
        if any(isinstance(kept, RedactSecrets) for kept in handler.filters)
    }


@pytest.fixture
def written_log():
    """Everything LOGGING's handlers write during the test, as they write it."""
    handlers = writing_handlers()
    assert handlers, "LOGGING's handlers carry the RedactSecrets filter"
    stream = io.StringIO()
    previous = {handler: handler.setStream(stream) for handler in handlers}
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)


def lines(stream: io.StringIO, needle: str) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if needle in line]


def test_the_log_format_says_when_and_every_handler_redacts():
    assert logging_config_problems(django_settings.LOGGING) == []


@pytest.mark.parametrize(
    ("spoil", "flagged"),
    [
        (lambda config: config["formatters"]["plain"].update(format="%(message)s"),
         "writes no time"),
        (lambda config: config["handlers"]["console"].update(filters=[]),
         "does not redact"),
    ],
)  # fmt: skip
def test_control_a_logging_config_without_time_or_redaction_is_flagged(spoil, flagged):
    config = copy.deepcopy(django_settings.LOGGING)
    spoil(config)
    assert any(flagged in problem for problem in logging_config_problems(config))


@pytest.mark.django_db
def test_sign_ins_and_refused_sign_ins_are_logged_with_who_and_when(written_log):
    reader = make_reader(email="kai@example.com")
    browser = Client()
    browser.post(
        "/account/sign-in/", {"email": "kai@example.com", "password": WRONG_PASSWORD}
    )
    browser.post(
        "/account/sign-in/", {"email": "kai@example.com", "password": READER_PASSWORD}
    )
    browser.post("/account/sign-out/")
    person = f"person {reader.pk}"
    [refused] = lines(written_log, "accounts.sign_in.refused")
    assert log_line_problems(refused, actor="anonymous", target=person) == []
    assert "kai@example.com" not in written_log.getvalue()
    [signed_in] = lines(written_log, "accounts.signed_in")
    assert log_line_problems(signed_in, actor=person, target=person) == []
    [signed_out] = lines(written_log, "accounts.signed_out")
    assert log_line_problems(signed_out, actor=person, target=person) == []


@pytest.mark.django_db
def test_refusals_and_moderation_are_logged_with_actor_target_and_time(
    written_log, settings, moderator
):
    settings.GAZETTE_PREMODERATE_ALL = True
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    story = make_article(headline="Harbor plan goes to a vote")
    author = make_commenter("Ana Pua")
    held = post(story, author, "The reef matters more than the marina.")
    other = post(story, author, "And the fishing grounds too.")
    services.approve_comment(held, actor=moderator)
    services.reject_comment(other, actor=moderator, reason="off_topic")
    sanction = services.ban_reader(author, actor=moderator, reason="spam")
    with pytest.raises(CommentRejected):
        post(story, author, "Posted while banned")
    with pytest.raises(PermissionDenied):
        services.approve_comment(held, actor=author)

    reader_, mod = f"person {author.pk}", f"person {moderator.pk}"
    expected = {
        "discussion.comment.approved": (mod, f"comment {held.pk}"),
        "discussion.comment.rejected": (mod, f"comment {other.pk}"),
        "discussion.reader.ban ": (mod, f"sanction {sanction.pk} (person {author.pk})"),
        "discussion.comment.refused": (reader_, f"article {story.pk}"),
        "discussion.comment.approve_refused": (reader_, f"comment {held.pk}"),
    }
    for action, (actor, target) in expected.items():
        found = lines(written_log, action)
        assert found, f"no line for {action}"
        assert log_line_problems(found[-1], actor=actor, target=target) == []


def test_control_a_line_without_time_actor_or_target_is_flagged():
    line = "INFO gazette.discussion discussion.comment.approved target=12"
    problems = log_line_problems(line, actor="person 3", target="comment 12")
    assert len(problems) == 3


# No secret in any log.


def sign_up(browser, password):
    browser.get("/account/sign-up/")
    form = {
        "email": "alice@example.com",
        "display_name": "Alice Palama",
        "password": password,
        "submission": "sign-up-1",
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }
    from gazette.newsroom.models import Page

    for slug, version in Page.objects.filter(requires_acceptance=True).values_list(
        "slug", "version"
    ):
        form[f"accept_{slug}"], form[f"version_{slug}"] = "on", str(version)
    answer = browser.post("/account/sign-up/", form)
    assert answer.status_code == 302


def token_of(link: str) -> str:
    return [part for part in link.split("/") if part][-1]


def with_csrf(browser, form: dict) -> dict:
    return {**form, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}


def a_readers_session(browser, mailbox, django_capture_on_commit_callbacks) -> dict:
    """Sign up, confirm, sign in (wrongly, then rightly), reset the password by
    its link (and open the spent link again), call the API with the session and
    CSRF cookies and a wrong token: everything a log might catch. Returns the
    secrets met on the way."""
    story = make_article(headline="Harbor plan goes to a vote", slug="harbor-vote")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(browser, READER_PASSWORD)
    confirm = link_in(mailbox.wait_for("alice@example.com")[0])
    browser.get(confirm)
    damaged = confirm[:-3] + "xx/"  # most of the token, and a 400 logged
    browser.get(damaged)
    browser.post("/account/sign-out/", with_csrf(browser, {}))
    browser.get("/account/sign-in/")
    for password in (WRONG_PASSWORD, READER_PASSWORD):
        browser.post(
            "/account/sign-in/",
            with_csrf(browser, {"email": "alice@example.com", "password": password}),
        )
    browser.post("/account/sign-out/", with_csrf(browser, {}))
    browser.get("/account/password/reset/")
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            "/account/password/reset/",
            with_csrf(browser, {"email": "alice@example.com"}),
        )
    (_, reset_mail) = mailbox.wait_for("alice@example.com", count=2)
    reset = link_in(reset_mail)
    opened = browser.get(reset)
    browser.get(opened["Location"])
    browser.post(
        opened["Location"],
        with_csrf(browser, {"new_password": NEW_PASSWORD, "submission": "reset-1"}),
    )
    browser.get(reset)  # spent: 400, logged
    browser.get(reset.rstrip("/"))  # without its slash
    session = browser.get("/api/v1/session").json()
    token = session["csrf_token"]
    browser.post(
        f"/api/v1/articles/{story.slug}/comments",
        {"body": "The reef matters."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    browser.post(
        f"/api/v1/articles/{story.slug}/comments",
        {"body": "Sent with a wrong token."},
        content_type="application/json",
        headers={"X-CSRFToken": "x" * 64},
    )
    return {
        "password": READER_PASSWORD,
        "new password": NEW_PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "confirmation token": token_of(confirm),
        "damaged confirmation token": token_of(damaged),
        "reset token": token_of(reset),
        "session key": browser.cookies["sessionid"].value,
        "CSRF cookie": browser.cookies["csrftoken"].value,
        "CSRF token": token,
    }


@pytest.mark.django_db
def test_no_password_or_token_ever_reaches_the_log(
    written_log, mailbox, django_capture_on_commit_callbacks
):
    browser = Client(enforce_csrf_checks=True)
    secrets = a_readers_session(browser, mailbox, django_capture_on_commit_callbacks)
    written = written_log.getvalue()
    assert leak_problems(written, secrets) == []
    # The log saw the requests that carry tokens in their address.
    assert re.search(r"Bad Request: /account/password/reset/\w+/\[redacted\]/", written)
    assert "Bad Request: /account/confirm-email/[redacted]/" in written
    assert "accounts.signed_in" in written and "accounts.sign_in.refused" in written
    assert "Forbidden (CSRF token" in written


@pytest.mark.django_db
def test_control_without_the_filter_the_tokens_reach_the_log(
    written_log, mailbox, django_capture_on_commit_callbacks
):
    """The session above does put secrets into log lines: unfiltered, they leak."""
    handlers = writing_handlers()
    removed = {
        handler: [kept for kept in handler.filters if isinstance(kept, RedactSecrets)]
        for handler in handlers
    }
    for handler, filters in removed.items():
        for kept in filters:
            handler.removeFilter(kept)
    try:
        browser = Client(enforce_csrf_checks=True)
        secrets = a_readers_session(
            browser, mailbox, django_capture_on_commit_callbacks
        )
    finally:
        for handler, filters in removed.items():
            for kept in filters:
                handler.addFilter(kept)
    problems = leak_problems(written_log.getvalue(), secrets)
    assert "the reset token appears" in problems
    assert "the damaged confirmation token appears" in problems


def access_line(logger: Logger, path: str, *, referer: str = "-") -> str:
    """The line gunicorn's access log writes for a GET of `path`."""
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="400 Bad Request", headers=[], sent=10)
    request = SimpleNamespace(headers=[("COOKIE", "sessionid=abc; csrftoken=def")])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    return logger.cfg.access_log_format % logger.atoms_wrapper_class(atoms)


TOKEN_PATHS = {
    "reset token": "/account/password/reset/MQ/cfx8a1-0123456789abcdef0123/",
    "confirmation token": "/account/confirm-email/eyJyIjo1fQ:1tAbCd:XyZ0123456789/",
    "unsubscribe token": "/discussion/unsubscribe/eyJyIjo1fQ:1tQq:abcDEF987654/",
}


@pytest.mark.django_db
def test_gunicorns_access_log_carries_no_token_from_an_address():
    logger = GunicornLogger(Config())
    for name, path in TOKEN_PATHS.items():
        token = token_of(path)
        written = access_line(logger, path, referer="http://127.0.0.1:8000" + path)
        written += access_line(logger, path.rstrip("/") + "?password=hunter2")
        assert leak_problems(written, {name: token, "password": "hunter2"}) == []
        assert "[redacted]" in written


@pytest.mark.django_db
def test_control_gunicorns_own_logger_writes_the_token():
    assert GunicornLogger.atoms_wrapper_class is not SafeAtoms
    logger = Logger(Config())
    path = TOKEN_PATHS["reset token"]
    assert leak_problems(access_line(logger, path), {"token": token_of(path)}) != []


def served_access_log(tmp_path, migrated_sqlite, collected_static, *, serve: bool):
    """The access log of a real server after requests for addresses with tokens:
    `gazette serve` (serve=True: granian), or gunicorn with its own logger."""
    if connection.vendor != "sqlite":
        pytest.skip("the server runs on SQLite; once is enough")
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copy(migrated_sqlite, var_dir / "gazette.sqlite3")
    environment = servers.environment(var_dir, collected_static)
    environment.pop("DATABASE_URL", None)
    log = tmp_path / "access.log"
    extra = [] if serve else ["--access-logfile", "-"]
    with servers.running_server(
        environment, log=log, serve=serve, extra=extra
    ) as address:
        for path in TOKEN_PATHS.values():
            servers.request(address + path)
            servers.request(address + path.rstrip("/") + "?password=hunter2")
            servers.request(address + "/", headers={"Referer": address + path})
    return log.read_text()


def token_secrets() -> dict[str, str]:
    return {
        **{name: token_of(path) for name, path in TOKEN_PATHS.items()},
        "password": "hunter2",
    }


def test_the_served_sites_access_log_carries_no_token(
    tmp_path, migrated_sqlite, collected_static
):
    written = served_access_log(tmp_path, migrated_sqlite, collected_static, serve=True)
    assert "GET /account/password/reset/MQ/[redacted]/ HTTP/1.1" in written
    assert leak_problems(written, token_secrets()) == []


@pytest.mark.full
def test_control_gunicorn_with_its_own_logger_writes_the_tokens(
    tmp_path, migrated_sqlite, collected_static
):
    written = served_access_log(
        tmp_path, migrated_sqlite, collected_static, serve=False
    )
    assert len(leak_problems(written, token_secrets())) == len(token_secrets())
