"""Forged requests: what another site can make a signed-in reader's browser send.

Every state-changing request is sent three ways: with no token, with a token
from another session, and with the right token from another Origin. Each must be
refused (403, or 405 where the address takes no such method) and leave every
table as it was.
"""

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.test import Client

from gazette.api.v1 import CSRF_REFUSED
from tests.security.authz import Ask, World, address, client_for, payload
from tests.security.urlwalk import Route, changed_tables, table_counts

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ATTACKS = ("no token", "another session's token", "a foreign Origin")
FOREIGN_ORIGIN = "https://evil.example"
# Views that take writes without Django's token, and why that is safe.
CSRF_EXEMPT = {
    "csp_report": "browsers send policy reports without cookies or a token; the "
    "view only logs them, a few a minute",
    "discussion:unsubscribe": "the signed token in the mailed link is its own "
    "authority (RFC 8058 one-click unsubscribe); it only stops reply notices",
}

# What a request refused for its token is told: a discussion form comes back
# with its text, other forms get the accounts' page, the API its reason.
REFUSAL_MESSAGES = (
    "Your session had expired, so nothing was sent.",
    "Your form was not sent",
    CSRF_REFUSED,
)

# Pages that write when read, the tables they may change, and why it is tolerated.
READS_THAT_WRITE = {
    # As Django's own reset view does, the mailed token moves into the session so
    # that the address bar, and any Referer, no longer carries it.
    "accounts:password_reset_link": (
        {"django_session"},
        "keeps the mailed token in the session, out of the address bar",
    ),
}


@dataclass(frozen=True)
class Target:
    """One state-changing request: the pattern, method, address and body."""

    key: str
    method: str
    url: str
    data: dict
    is_json: bool

    def __str__(self) -> str:
        return f"{self.method} {self.key}"


def targets_for(
    routes: list[Route],
    table: dict[str, list[Ask]],
    world: World,
    *,
    methods: tuple[str, ...] = UNSAFE_METHODS,
) -> list[Target]:
    """The unsafe methods on every pattern the table asks of (for the API, the
    methods its operations take); the body is the one the table's own write
    sends, so that the request would otherwise succeed."""
    found = []
    for route in routes:
        asks = table.get(route.key)
        if not asks:
            continue
        writes = {ask.method: ask for ask in asks if ask.method in UNSAFE_METHODS}
        # An API operation is one method of a route that others share.
        taken = list(writes) if route.namespace == "api-v1" else methods
        for method in taken:
            ask = writes.get(method) or next(iter(writes.values()), asks[0])
            found.append(
                Target(
                    key=route.key,
                    method=method,
                    url=address(route.key, ask, world),
                    data=payload(ask, world),
                    is_json=ask.json or method != "POST",
                )
            )
    return found


def csrf_token_of(client: Client) -> str:
    """The session's CSRF token, as a page or the API hands it out."""
    return client.get("/api/v1/session").json()["csrf_token"]


def victim(role: str, world: World) -> Client:
    """A signed-in browser that checks CSRF as production does, its cookie set."""
    client = client_for(role, world)
    client.handler.enforce_csrf_checks = True
    csrf_token_of(client)
    return client


def send(
    client: Client,
    target: Target,
    *,
    token: str | None,
    origin: str | None,
    htmx: bool = False,
):
    """The request as the page's form, its htmx, or the API's client sends it."""
    headers = {}
    if origin:
        headers["Origin"] = origin
    if htmx:
        headers["HX-Request"] = "true"
    if token:
        headers["X-CSRFToken"] = token
    data = dict(target.data)
    if target.is_json:
        body = json.dumps(data)
        response = client.generic(
            target.method,
            target.url,
            body,
            content_type="application/json",
            headers=headers,
        )
    else:
        if token:
            data["csrfmiddlewaretoken"] = token
        response = client.post(target.url, data, headers=headers)
    return response


def forge(
    client: Client,
    target: Target,
    attack: str,
    *,
    foreign_token: str,
    htmx: bool = False,
):
    """Send the target as an attacker would, one of the three ways."""
    own_token = client.cookies["csrftoken"].value
    token, origin = {
        "no token": (None, None),
        "another session's token": (foreign_token, None),
        "a foreign Origin": (own_token, FOREIGN_ORIGIN),
    }[attack]
    return send(client, target, token=token, origin=origin, htmx=htmx)


class Refusals(logging.Handler):
    """Counts Django's CSRF refusals (logged by the middleware, and by the API's
    session authentication, which runs the same check)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def csrf_refusals():
    logger = logging.getLogger("django.security.csrf")
    handler = Refusals()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def forgery_problems(
    client: Client,
    targets: list[Target],
    attack: str,
    *,
    foreign_token: str,
    htmx: bool = False,
) -> list[str]:
    """Forged requests that were not refused for their token or Origin with a
    403 that says why (a 405 for a method the address does not take will do),
    or that changed a table. `htmx`: sent as htmx sends them, which must be
    answered 403 all the same."""
    problems = []
    for target in targets:
        before = table_counts()
        with csrf_refusals() as refusals:
            response = forge(
                client, target, attack, foreign_token=foreign_token, htmx=htmx
            )
        status = response.status_code
        changed = changed_tables(before, table_counts())
        refused = (status == 403 and refusals.count) or status == 405
        says_why = status != 403 or any(
            message in response.content.decode() for message in REFUSAL_MESSAGES
        )
        if not refused or changed or not says_why:
            problems.append(
                f"{target} with {attack}: status {status}"
                + ("" if refusals.count else ", no CSRF refusal")
                + ("" if says_why else ", without saying why")
                + (f", tables changed: {changed}" if changed else "")
            )
    return problems


def read_problems(
    client: Client, urls: dict[str, str], *, known: dict | None = None
) -> list[str]:
    """Addresses whose GET or HEAD changed a table, but for the tables `known`
    allows a pattern to change (READS_THAT_WRITE)."""
    known = READS_THAT_WRITE if known is None else known
    problems = []
    for key, url in urls.items():
        allowed = known.get(key, ((), ""))[0]
        for method in ("GET", "HEAD"):
            before = table_counts()
            response = client.generic(method, url)
            changed = {
                table: change
                for table, change in changed_tables(before, table_counts()).items()
                if table not in allowed
            }
            if changed:
                problems.append(f"{method} {key} changed tables: {changed}")
            if response.status_code >= 500:
                problems.append(f"{method} {key} failed: {response.status_code}")
    return problems
