"""What Gazette writes to its log, and what it never writes there.

Every line carries its time (LOGGING's formatter), and sign-ins, failed
sign-ins (those refused by the rate limit too) and sign-outs are logged with
who, which account and from where.
Passwords never reach a log, and neither do the tokens that travel in
addresses (a password-reset link, an email confirmation, an unsubscribe
link), nor session or CSRF cookie values sent as `name=value`: RedactSecrets
takes them out of every line LOGGING's handlers write and, through
granian_logging, out of granian's access log, whose request line would
otherwise carry them; GunicornLogger does the same for gunicorn's.
"""

import functools
import logging
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger, SafeAtoms

logger = logging.getLogger("gazette.accounts")

REDACTED = "[redacted]"
# URL parameters (of Gazette's routes) that are secrets.
SECRET_URL_PARTS = ("token",)
# Where a reset link's token was, once moved into the session (accounts.views).
NOT_SECRET = {"set-password"}
# An absolute or rooted address in a line of text: its path is group 1.
ADDRESS = re.compile(r"(?:https?://[^/\s\"'<>]+)?(/[^\s\"'<>?#]*)")
# name=value pairs whose value is a secret, in a query string, a form body, a
# Cookie header or a message.
SECRET_PAIR = re.compile(
    r"(?i)\b(password\w*|new_password\d?|token|csrfmiddlewaretoken|csrftoken"
    r"|sessionid|secret|api_key)=([^&\s;,\"']+)"
)


def redact_path(path: str) -> str:
    """The path with the values of Gazette's secret URL parts replaced."""
    if not apps.ready:  # no URLconf yet: nothing of ours to match
        return path
    try:
        return _redacted_path(path)
    except Exception:  # an URLconf that cannot be read says nothing of secrets
        return path


# Every line of the access log names a path, and resolving one costs more than
# answering a page from the cache; the paths readers ask for repeat.
@functools.lru_cache(maxsize=4096)
def _redacted_path(path: str) -> str:
    try:
        try:
            match = resolve(path)
        except Resolver404:
            # Without its slash, before CommonMiddleware redirects it.
            match = resolve(path + "/")
    except (Resolver404, ValueError):
        return path
    for name in SECRET_URL_PARTS:
        value = match.kwargs.get(name)
        if value and value not in NOT_SECRET:
            path = path.replace(value, REDACTED)
    return path


@receiver(setting_changed, dispatch_uid="gazette.logs.urlconf_changed")
def _forget_redacted_paths(setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _redacted_path.cache_clear()


def redact(text: str) -> str:
    """The text with every secret Gazette knows of taken out."""
    if not text:
        return text
    text = SECRET_PAIR.sub(lambda found: f"{found.group(1)}={REDACTED}", text)
    return ADDRESS.sub(
        lambda found: found.group(0).replace(
            found.group(1), redact_path(found.group(1))
        ),
        text,
    )


class RedactSecrets(logging.Filter):
    """A handler's filter: the line it writes, and any traceback, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            traceback = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(traceback)
        return True


class RedactedAtoms(SafeAtoms):
    def __getitem__(self, key):
        value = super().__getitem__(key)
        return redact(value) if isinstance(value, str) else value


class GunicornLogger(Logger):
    """gunicorn's logger, its access log redacted (`gazette serve` uses it)."""

    atoms_wrapper_class = RedactedAtoms


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


# Readers (accounts.views) and staff (the back office) both sign in through
# django.contrib.auth, which reports each sign-in through these signals; they
# only write the log.
@receiver(user_logged_in, dispatch_uid="gazette.logs.signed_in")
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info(
        "accounts.signed_in actor=person %s target=person %s address=%s",
        user.pk,
        user.pk,
        client_address(request),
    )


@receiver(user_login_failed, dispatch_uid="gazette.logs.sign_in_refused")
def log_sign_in_refused(
    sender, credentials, request=None, reason: str = "", **kwargs
) -> None:
    """A refused sign-in: a wrong password (from django.contrib.auth), or one
    refused unchecked past the rate limit (accounts.forms, with its reason)."""
    # The account by its number, as elsewhere in the log: no address in clear.
    model = get_user_model()
    given = credentials.get(model.USERNAME_FIELD) or credentials.get("username")
    found = (
        model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": given})
        .values_list("pk", flat=True)
        .first()
        if given
        else None
    )
    logger.warning(
        "accounts.sign_in.refused actor=anonymous target=%s address=%s%s",
        f"person {found}" if found else "no such account",
        client_address(request),
        f" reason={reason}" if reason else "",
    )


@receiver(user_logged_out, dispatch_uid="gazette.logs.signed_out")
def log_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        logger.info(
            "accounts.signed_out actor=person %s target=person %s",
            user.pk,
            user.pk,
        )


def granian_logging() -> dict:
    """granian's logging configuration (`gazette serve` writes it to a file): its
    own lines and its access log, each line with its time and redacted, as
    LOGGING's are."""
    redacted = {"()": "gazette.logs.RedactSecrets"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": redacted},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            # granian's access line starts with the request's time.
            "access": {"format": "%(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["redact_secrets"],
                "stream": "ext://sys.stdout",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["redact_secrets"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {
                "handlers": ["access"],
                "level": "INFO",
                "propagate": False,
            },
        },
    }
