"""CSRF: every state-changing endpoint, the JSON API and the back office included,
refuses a missing or foreign token and a foreign Origin; GET and HEAD never write.

The endpoints come from walking the URL configuration (urlwalk.py) with the
authorization matrix's arguments and bodies (policy.py); the API's operations
from its OpenAPI document. The victim is a signed-in administrator, to whom every
desk and back-office write is open, so that only the token stands between a
forgery and its effect. Controls: the same requests with the right token do
write, and a test-only URL configuration's csrf_exempt view and page that writes
when read are caught.
"""

import itertools

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from gazette.api.v1 import session as api_session
from gazette.discussion.views import csrf_failure
from gazette.newsroom.models import Section
from tests.security.authz import ROLES, address, build_world, client_for
from tests.security.csrf import (
    ATTACKS,
    CSRF_EXEMPT,
    UNSAFE_METHODS,
    csrf_token_of,
    forgery_problems,
    read_problems,
    send,
    targets_for,
    victim,
)
from tests.security.policy import POLICY, admin_table
from tests.security.urlwalk import (
    changed_tables,
    sort_admin_pages,
    table_counts,
    walk_urls,
)

_sections = itertools.count(1)


def add_a_section(request):
    number = next(_sections)
    Section.objects.create(name=f"Forged {number}", slug=f"forged-{number}")
    return HttpResponse("written")


# A test-only URL configuration: the site's, a view someone made csrf_exempt, and
# a page that writes when it is read.
urlpatterns = [
    path("", include("gazette.urls")),
    path("exempt/", csrf_exempt(add_a_section), name="exempt"),
    path("reads-write/", add_a_section, name="reads_write"),
]


@pytest.fixture(autouse=True)
def comments_without_waiting(settings):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 1000


def site_table(world, *, families=("changelist", "add")) -> dict:
    pages, _ = sort_admin_pages(walk_urls())
    return {**POLICY, **admin_table(pages, world, families=families)}


def protected_routes() -> list:
    return [route for route in walk_urls() if route.key not in CSRF_EXEMPT]


def forgeries(world, *, methods, attacks, htmx: bool = False) -> list[str]:
    targets = targets_for(protected_routes(), site_table(world), world, methods=methods)
    foreign = csrf_token_of(client_for("reader", world))
    client = victim("administrator", world)
    return [
        problem
        for attack in attacks
        for problem in forgery_problems(
            client, targets, attack, foreign_token=foreign, htmx=htmx
        )
    ]


def test_forged_posts_are_refused_and_write_nothing(db):
    """Every pattern, POST three ways; the API's operations in their own methods."""
    world = build_world("administrator")
    assert forgeries(world, methods=("POST",), attacks=ATTACKS) == []


def test_forged_htmx_posts_are_refused_403_and_told_why(db):
    """htmx shows a 403 (base.html's htmx-config): a discussion form comes back
    in place with its text, anything else as the accounts' page."""
    world = build_world("administrator")
    attacks = ["another session's token"]
    assert forgeries(world, methods=("POST",), attacks=attacks, htmx=True) == []


def test_other_unsafe_methods_without_a_token_are_refused(db):
    world = build_world("administrator")
    others = tuple(method for method in UNSAFE_METHODS if method != "POST")
    assert forgeries(world, methods=others, attacks=["no token"]) == []


@pytest.mark.full
def test_every_unsafe_method_forged_every_way_is_refused(db):
    world = build_world("administrator")
    assert forgeries(world, methods=UNSAFE_METHODS, attacks=ATTACKS) == []


def test_only_the_views_listed_with_a_reason_skip_the_token(db):
    exempt = {
        route.key
        for route in walk_urls()
        if getattr(route.callback, "csrf_exempt", False)
        # The API's operations check the token themselves (next test).
        and route.namespace != "api-v1"
    }
    assert exempt == set(CSRF_EXEMPT)


def test_the_apis_writes_need_the_session_that_checks_the_token(client, db):
    """django-ninja exempts its views from the middleware and checks the token in
    its session authentication instead: every write must ask for that session
    (the forgeries above show it refusing)."""
    document = client.get("/api/v1/openapi.json").json()
    writes = [
        (method, path_name, operation)
        for path_name, operations in document["paths"].items()
        for method, operation in operations.items()
        if method != "get"
    ]
    assert len(writes) == 6
    session_needed = [{"ReaderSession": []}]
    for method, path_name, operation in writes:
        assert operation.get("security") == session_needed, (method, path_name)
    assert api_session.csrf is True


def read_urls(world, table) -> dict[str, str]:
    urls = {}
    for route in walk_urls():
        asks = [ask for ask in table.get(route.key, []) if ask.method == "GET"]
        if asks:
            urls[route.key] = address(route.key, asks[0], world)
    return urls


@pytest.mark.parametrize("role", ["anonymous", "administrator"])
def test_get_and_head_never_write(role, db):
    """A visitor, and an administrator, who opens every page there is."""
    world = build_world(role)
    urls = read_urls(world, site_table(world))
    assert read_problems(client_for(role, world), urls) == []


@pytest.mark.full
@pytest.mark.parametrize("role", ROLES)
def test_get_and_head_never_write_for_any_role_or_back_office_page(role, db):
    world = build_world(role)
    families = ("changelist", "add", "change", "history", "delete", "password")
    urls = read_urls(world, site_table(world, families=families))
    assert read_problems(client_for(role, world), urls) == []


# Controls ------------------------------------------------------------------------


def test_control_with_the_right_token_the_same_requests_write(db):
    """The forgeries differ from these only in the token: refused without it, the
    same requests with the session's own make a comment, an API comment, a
    Respect and a desk sanction."""
    world = build_world("administrator")
    wanted = {
        ("POST", "discussion:post"),
        ("POST", "api-v1:post_comment"),
        ("PUT", "api-v1:give_respect"),
        ("POST", "desk:sanction"),
    }
    targets = [
        target
        for target in targets_for(protected_routes(), site_table(world), world)
        if (target.method, target.key) in wanted
    ]
    assert len(targets) == len(wanted)
    client = victim("administrator", world)
    assert forgery_problems(client, targets, "no token", foreign_token="") == []
    token = client.cookies["csrftoken"].value
    for target in targets:
        before = table_counts()
        status = send(client, target, token=token, origin=None).status_code
        assert status < 400, target
        assert changed_tables(before, table_counts()), target


def test_control_a_view_made_csrf_exempt_is_caught(db, settings):
    settings.ROOT_URLCONF = "tests.security.test_csrf"
    world = build_world("administrator")
    routes = [route for route in walk_urls() if route.key == "exempt"]
    targets = targets_for(routes, {"exempt": POLICY["healthz"]}, world)
    client = victim("administrator", world)
    problems = forgery_problems(client, [targets[0]], "no token", foreign_token="")
    assert problems == [
        "POST exempt with no token: status 200, no CSRF refusal, "
        "tables changed: {'newsroom_section': 1}"
    ]


def test_control_a_page_that_writes_when_read_is_caught(db, settings):
    settings.ROOT_URLCONF = "tests.security.test_csrf"
    problems = read_problems(Client(), {"reads_write": "/reads-write/"})
    assert problems == [
        "GET reads_write changed tables: {'newsroom_section': 1}",
        "HEAD reads_write changed tables: {'newsroom_section': 1}",
    ]


def failure_answered_200_to_htmx(request, reason: str = ""):
    """A CSRF failure view as the discussion's once was: its htmx forms came back
    200, which htmx shows and scripts take for success."""
    response = csrf_failure(request, reason)
    if request.headers.get("HX-Request") == "true":
        response.status_code = 200
    return response


def test_control_a_csrf_failure_answered_200_to_htmx_is_caught(db, settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.failure_answered_200_to_htmx"
    world = build_world("administrator")
    forms = {"discussion:post", "discussion:reply", "discussion:edit"}
    targets = [
        target
        for target in targets_for(protected_routes(), site_table(world), world)
        if target.method == "POST" and target.key in forms
    ]
    client = victim("administrator", world)
    foreign = csrf_token_of(client_for("reader", world))
    problems = forgery_problems(
        client, targets, "another session's token", foreign_token=foreign, htmx=True
    )
    assert sorted(problems) == [
        f"POST {key} with another session's token: status 200" for key in sorted(forms)
    ]


@pytest.mark.parametrize(
    ("address", "is_whole_page"),
    [("/account/sign-out/", True), ("/discussion/story/harbor/post/", False)],
)
def test_an_htmx_request_refused_with_a_whole_page_shows_it_instead_of_the_body(
    discussion, address, is_whole_page
):
    """A discussion form is swapped back in place; the accounts' page is not a
    part of any page, so it takes the body's place."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(discussion.author)
    response = client.post(
        address, {"body": "Typed before the session ran out."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    retarget = (response.get("HX-Retarget"), response.get("HX-Reswap"))
    assert retarget == (("body", "innerHTML") if is_whole_page else (None, None))
