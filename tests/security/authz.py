"""The cast of the authorization matrix, the small paper they act on, and the
checker that asks every address as each of them.

Nine roles: a visitor, readers in each standing (address not yet confirmed,
in good standing, suspended, banned) and the four newsroom roles. Every person
here has confirmed their address and accepted the terms unless the role says
otherwise, so that what the matrix sees is the role and nothing else.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gazette.accounts.models import User
from gazette.accounts.tokens import email_verification_token
from gazette.discussion import services
from gazette.discussion.models import Comment, Notice
from gazette.discussion.notices import unsubscribe_token
from gazette.edition.models import Edition
from gazette.newsroom.models import Article
from gazette.newsroom.selectors import paper_day
from gazette.newsroom.services import correct_article
from gazette.testing import (
    image_upload,
    make_article,
    make_photo,
    make_reader,
    top_news,
)
from tests.security.urlwalk import (
    Route,
    changed_tables,
    sort_admin_pages,
    table_counts,
)

ROLES = (
    "anonymous",
    "unverified",
    "reader",
    "suspended",
    "banned",
    "reporter",
    "editor",
    "moderator",
    "administrator",
)
# The newsroom roles and their groups (made by the roles migrations).
STAFF = {
    "reporter": "Reporter",
    "editor": "Editor",
    "moderator": "Moderator",
    "administrator": "Administrator",
}
READERS = ("unverified", "reader", "suspended", "banned")

# What a request came to, as the policy table names it.
OK = "ok"  # answered: a page, a file, or (but for `exact` asks) a redirect
REDIRECT = "redirect"  # for `exact` asks: sent elsewhere, not to sign in
SIGN_IN = "sign-in"  # sent to a sign-in page (the site's or the back office's)
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not-found"  # 404
BAD_REQUEST = "bad-request"  # 400, e.g. a mailed link that does not hold
NOT_ALLOWED = "not-allowed"  # 405: the address takes no such method
UNAUTHORIZED = "unauthorized"  # 401: the API asks for a session
DONE = "done"  # a write that happened (the database changed)
REFUSED = "refused"  # a write that did not happen, whatever the page said
ERROR = "error"  # 5xx: never expected


@dataclass
class World:
    """Everyone and everything the matrix's requests name, by name."""

    people: dict[str, User | None]
    values: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.values[name]


def make_staff_member(role: str, name: str) -> User:
    """A member of staff in the role's group, address confirmed, terms accepted
    (make_reader shares one password hash; make_staff would hash anew)."""
    person = make_reader(is_staff=True, display_name=name)
    person.groups.add(Group.objects.get(name=STAFF[role]))
    return person


def _post(story, author, body: str) -> Comment:
    return services.post_comment(story, actor=author, body=body)


def build_world(role: str) -> World:
    """The paper as the matrix finds it: one story with comments, a reader of each
    standing, staff, a draft, today's edition with its PDF, notices and an appeal.

    `role` is the person the requests come from: they own comments to edit and
    delete, have given one Respect and muted one reader.
    """
    decider = make_staff_member("moderator", "Desk Decider")
    people: dict[str, User | None] = {"anonymous": None}
    for name in READERS:
        people[name] = make_reader(display_name=f"Reader {name.title()}")
    for name in STAFF:
        people[name] = make_staff_member(name, f"Staff {name.title()}")
    actor = people[role]

    photo = make_photo(with_image=False, image=image_upload(600, 400))
    story = make_article(headline="Harbor plan", slug="harbor", lead_photo=photo)
    correct_article(story, actor=people["editor"], text="The vote was on Tuesday.")
    draft = make_article(
        headline="Reef survey",
        slug="reef-survey",
        status=Article.Status.DRAFT,
        created_by=people["reporter"],
    )
    other = make_reader(display_name="Other Reader")
    loud = make_reader(display_name="Loud Reader")
    quiet = make_reader(display_name="Quiet Reader")
    # The confirmation link opened is someone else's: opening it confirms them.
    newcomer = make_reader(display_name="New Reader", email_verified_at=None)
    target = {
        name: _post(story, other, f"A comment to {name}.")
        for name in [
            "reply",
            "report",
            "api-report",
            "respect",
            "api-respect",
            "respected",
            "desk-item",
            "desk-decide",
            "desk-bulk",
        ]
    }
    target["mute"] = _post(story, loud, "A comment whose author is muted.")
    own = {}
    for name in ["edit", "delete", "api-edit", "api-delete"]:
        own[name] = (
            _post(story, actor, f"My own comment to {name}.")
            if actor is not None
            else target["reply"]
        )
    if actor is not None:
        services.respect_comment(target["respected"], actor=actor)
        services.mute_reader(quiet, actor=actor)

    User.objects.filter(pk=people["unverified"].pk).update(email_verified_at=None)
    services.suspend_reader(
        people["suspended"], actor=decider, reason="personal_attack", duration="24h"
    )
    services.ban_reader(people["banned"], actor=decider, reason="spam")
    suspension = Notice.objects.get(reader=people["suspended"])
    services.appeal_decision(
        suspension, actor=people["suspended"], text="I was quoting the story."
    )
    ban = Notice.objects.get(reader=people["banned"])
    for person in people.values():
        if person is not None:
            person.refresh_from_db()

    edition = Edition.objects.create(
        date=paper_day(), status=Edition.Status.BUILT, built_at=timezone.now()
    )
    # A stand-in file: printing the real PDF takes seconds (edition/services.py).
    edition.pdf.save("edition.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    values = {
        "story": story.slug,
        "story-type": ContentType.objects.get_for_model(Article).pk,
        "story-id": story.pk,
        "newsroom-app": "newsroom",
        "section": top_news().slug,
        "page": "terms",
        "draft": draft.pk,
        "day": edition.date,
        "media": photo.image.name,
        "sitemap": "articles",
        "other": other.pk,
        "quiet": quiet.pk,
        "ban-notice": ban.pk,
        "appeal": suspension.appeal.pk,
        "sanction-target": loud.pk,
        "verify-token": email_verification_token(newcomer),
        "reset-uid": urlsafe_base64_encode(force_bytes(other.pk)),
        "reset-token": default_token_generator.make_token(other),
        "unsubscribe-token": unsubscribe_token(other),
        **{f"comment:{name}": comment.pk for name, comment in target.items()},
        **{f"own:{name}": comment.pk for name, comment in own.items()},
        **admin_rows(people["administrator"]),
    }
    return World(people=people, values=values)


def admin_rows(administrator: User) -> dict[str, int | None]:
    """A row of each back-office list, for its change, history and delete pages."""
    request = RequestFactory().get("/")
    request.user = administrator
    return {
        f"object:{model._meta.label_lower}": getattr(
            model_admin.get_queryset(request).order_by("pk").first(), "pk", None
        )
        for model, model_admin in admin.site._registry.items()
    }


@dataclass(frozen=True)
class Ask:
    """One request the policy table makes: its method, URL arguments and data
    (names the world fills in), and what each role must come to.

    `effect`: the outcome is judged by whether the database changed (DONE or
    REFUSED), for writes whose refusal is a page that says why. `exact`: a
    redirect is REDIRECT, not OK (the back office redirects where it refuses).
    """

    expect: dict[str, str]
    method: str = "GET"
    kwargs: dict[str, str] = field(default_factory=dict)
    data: dict | Callable[[World], dict] | None = None
    effect: bool = False
    json: bool = False
    query: str = ""
    exact: bool = False


def address(key: str, ask: Ask, world: World) -> str:
    url = reverse(
        key, kwargs={name: world[value] for name, value in ask.kwargs.items()}
    )
    return f"{url}?{ask.query}" if ask.query else url


def payload(ask: Ask, world: World) -> dict:
    data = ask.data(world) if callable(ask.data) else ask.data
    return dict(data or {})


def send(client: Client, url: str, ask: Ask, world: World) -> HttpResponse:
    """The request as a browser's form (or link) sends it, or as JSON."""
    method = getattr(client, ask.method.lower())
    data = payload(ask, world)
    if ask.json or ask.method not in {"GET", "HEAD", "POST"}:
        return method(url, json.dumps(data), content_type="application/json")
    return method(url, data)


def classify(
    response: HttpResponse, *, changed: dict | None = None, exact: bool = False
) -> str:
    """What a response came to, in the policy table's words."""
    status = response.status_code
    if status >= 500:
        return ERROR
    location = response.get("Location", "")
    to_sign_in = status in {301, 302, 303} and (
        location.startswith(reverse("accounts:sign_in"))
        or location.startswith(reverse("admin:login"))
    )
    if to_sign_in:
        return SIGN_IN
    if status == 401:
        return UNAUTHORIZED
    if changed is not None:
        return DONE if changed else REFUSED
    if exact and 300 <= status < 400:
        return REDIRECT
    return {
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
        405: NOT_ALLOWED,
    }.get(status, OK if status < 400 else f"status {status}")


def client_for(role: str, world: World) -> Client:
    client = Client()
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    return client


def ask_problems(
    client: Client, role: str, key: str, ask: Ask, world: World
) -> list[str]:
    """Where one request, made as one role, differs from what the table says."""
    url = address(key, ask, world)
    before = table_counts() if ask.effect else None
    response = send(client, url, ask, world)
    changed = None
    if ask.effect:
        changed = changed_tables(before, table_counts())
        # A session is the browser's own: signing in or a message is no write.
        changed.pop("django_session", None)
    came_to = classify(response, changed=changed, exact=ask.exact)
    wanted = ask.expect[role]
    if came_to == wanted:
        return []
    detail = f" (tables changed: {changed})" if changed else ""
    return [
        f"{ask.method} {key} as {role}: {came_to} (status {response.status_code}), "
        f"the table says {wanted}{detail}"
    ]


def matrix_problems(role: str, world: World, table: dict[str, list[Ask]]) -> list[str]:
    """Every request in the table, made as the role: the reads in one session,
    each write in a session of its own (signing up or out changes who it is)."""
    reader = client_for(role, world)
    problems = []
    for key, asks in sorted(table.items()):
        for ask in asks:
            client = reader if ask.method == "GET" else client_for(role, world)
            problems += ask_problems(client, role, key, ask, world)
    return problems


def openapi_operations(document: dict) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation the API's OpenAPI document names."""
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }


def as_openapi_path(route: str) -> str:
    """A Django route as OpenAPI writes it: /api/v1/comments/{comment_id}."""
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"{\1}", route)


def coverage_problems(
    routes: list[Route],
    table: dict[str, list[Ask]],
    admin_access: dict,
    *,
    api_document: dict | None = None,
) -> list[str]:
    """Patterns the policy table does not name, entries that name no pattern,
    back-office patterns of no known family or model, and API operations the
    table makes no request of."""
    pages, unknown = sort_admin_pages(routes)
    site = [route for route in routes if not route.is_admin]
    keys = [route.key for route in site]
    problems = [
        f"{key} is in the URLs twice" for key in set(keys) if keys.count(key) > 1
    ]
    problems += [
        f"{route.key} ({route.route}) is not in the policy table"
        for route in site
        if route.key not in table
    ]
    problems += [
        f"the policy table names {key}, which is no URL pattern"
        for key in sorted(set(table) - set(keys))
    ]
    problems += [
        f"the policy table makes no request of {key}"
        for key, asks in sorted(table.items())
        if not asks
    ]
    problems += [
        f"{route.key} ({route.route}) is a back-office page of no known family"
        for route in unknown
    ]
    models = {page.model for page in pages if page.model}
    problems += [
        f"{model} is in the back office but not in the admin table"
        for model in sorted(models - set(admin_access))
    ]
    problems += [
        f"the admin table names {model}, which is not in the back office"
        for model in sorted(set(admin_access) - models)
    ]
    if api_document is not None:
        asked = {
            (ask.method, as_openapi_path(route.route))
            for route in site
            for ask in table.get(route.key, [])
        }
        problems += [
            f"the API's {method} {path} is not asked by the policy table"
            for method, path in sorted(openapi_operations(api_document) - asked)
        ]
    return problems
