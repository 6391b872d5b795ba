"""Every kind of page carries the Content-Security-Policy with a nonce of its own,
every script on it carries that nonce, and nothing inline runs without it."""

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string

from gazette.security import ContentSecurityPolicyMiddleware
from tests.security.checkers import (
    header_problems,
    markup_problems,
    nonce_problems,
    policy_nonce,
    policy_problems,
)

STORY = "/story/harbor/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver" + STORY}

# name: (address, who is signed in, extra request headers)
READER_PAGES = {
    "front": ("/", None, {}),
    "section front": ("/section/top-news/", None, {}),
    "story with comments": (STORY, None, {}),
    "story, signed in": (STORY, "author", {}),
    "discussion page": ("/discussion/story/harbor/?sort=oldest", None, {}),
    "conversation": ("/discussion/comment/{comment}/", None, {}),
    "reply form": ("/discussion/comment/{comment}/reply/", "author", {}),
    "report form": ("/discussion/comment/{comment}/report/", "author", {}),
    "edit form": ("/discussion/comment/{comment}/edit/", "author", {}),
    "delete form": ("/discussion/comment/{comment}/delete/", "author", {}),
    "reader's own page": ("/discussion/me/", "author", {}),
    "load more (htmx)": ("/discussion/story/harbor/?sort=newest", None, HTMX),
    "reply form (htmx)": ("/discussion/comment/{comment}/reply/", "author", HTMX),
    "sign in": ("/account/sign-in/", None, {}),
    "sign up": ("/account/sign-up/", None, {}),
    "account": ("/account/", "author", {}),
    "search": ("/search/?q=harbor", None, {}),
    "weather": ("/weather/", None, {}),
    "transparency": ("/transparency/", None, {}),
    "today's paper": ("/todays-paper/", None, {}),
    "terms": ("/about/terms/", None, {}),
    "not found": ("/nowhere/", None, {}),
}
BACK_OFFICE_PAGES = {
    "admin sign-in": ("/newsroom/login/", None),
    "admin index": ("/newsroom/", "editor"),
    "story list": ("/newsroom/newsroom/article/", "editor"),
    "new story form": ("/newsroom/newsroom/article/add/", "editor"),
}


def fetch(client, address, who, headers, *, discussion, editor):
    people = {"author": discussion.author, "editor": editor}
    if who:
        client.force_login(people[who])
    response = client.get(address.format(comment=discussion.pk), **headers)
    expected = 404 if address == "/nowhere/" else 200
    assert response.status_code == expected, (address, response.status_code)
    return response


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_pages_run_only_scripts_carrying_their_nonce(
    client, discussion, editor, name
):
    address, who, headers = READER_PAGES[name]
    response = fetch(
        client, address, who, headers, discussion=discussion, editor=editor
    )
    header = response.headers.get("Content-Security-Policy")
    assert policy_problems(header) == []
    assert header_problems(response.headers) == []
    assert markup_problems(response.content.decode(), header) == []
    if not headers:
        assert policy_nonce(header), "a full page names a nonce for its scripts"


@pytest.mark.parametrize("name", BACK_OFFICE_PAGES)
def test_back_office_pages_run_only_the_sites_own_script_files(
    client, discussion, editor, name
):
    address, who = BACK_OFFICE_PAGES[name]
    response = fetch(client, address, who, {}, discussion=discussion, editor=editor)
    header = response.headers.get("Content-Security-Policy")
    assert policy_problems(header, strict=False) == []
    assert header_problems(response.headers) == []
    assert markup_problems(response.content.decode(), header, strict=False) == []


def test_the_story_page_has_scripts_to_check(client, discussion):
    """The markup check above is not vacuous: the story page has htmx and its
    JSON-LD, both carrying the nonce the header names."""
    response = client.get(STORY)
    header = response.headers["Content-Security-Policy"]
    page = response.content.decode()
    assert page.count(f'nonce="{policy_nonce(header)}"') == 2


def test_each_response_gets_a_fresh_nonce(client, discussion):
    headers = [client.get(STORY).headers["Content-Security-Policy"] for _ in range(3)]
    assert nonce_problems(headers) == []


def test_the_api_docs_page_is_off_and_the_openapi_document_served(client, db):
    # Swagger UI would load from a CDN; the docs page stays off (README, Security).
    assert client.get("/api/v1/docs").status_code == 404
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"]
    assert policy_problems(document.headers.get("Content-Security-Policy")) == []


def test_the_server_error_page_needs_no_inline_style(db):
    # Rendered without a request, so without a nonce: it must need none.
    assert markup_problems(render_to_string("500.html"), None) == []


def test_pdf_files_are_served_without_the_page_policy(rf):
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    pdf = HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    page = HttpResponse(b"<!doctype html>", content_type="text/html")
    request = rf.get("/todays-paper/")
    assert "Content-Security-Policy" not in middleware.process_response(request, pdf)
    assert "Content-Security-Policy" in middleware.process_response(request, page)


# Controls: the same checkers on deliberately weakened responses must object.


@pytest.fixture
def story_response(client, discussion):
    return client.get(STORY)


@pytest.mark.parametrize(
    ("weaken", "flagged"),
    [
        (
            lambda header, nonce: header.replace(nonce, "x' 'unsafe-inline"),
            "unsafe-inline",
        ),
        (
            lambda header, nonce: header.replace(
                "script-src", "script-src 'unsafe-eval'"
            ),
            "unsafe-eval",
        ),
        (
            lambda header, nonce: header.replace("script-src", "script-src 'self'"),
            "'self' without a nonce",
        ),
        (
            lambda header, nonce: header.replace("script-src", "script-src https:"),
            "https:",
        ),
        (
            lambda header, nonce: header.replace(
                "object-src 'none'", "object-src 'self'"
            ),
            "object-src",
        ),
        (lambda header, nonce: header.replace("base-uri 'none'", ""), "base-uri"),
        (
            lambda header, nonce: header.replace(
                "frame-ancestors 'none'", "frame-ancestors *"
            ),
            "frame-ancestors",
        ),
        (
            lambda header, nonce: header.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            ),
            "style-src allows 'unsafe-inline'",
        ),
        (lambda header, nonce: header.replace("form-action 'self'", ""), "form-action"),
        (
            lambda header, nonce: header.replace("connect-src 'self'", "connect-src *"),
            "connect-src",
        ),
        (
            lambda header, nonce: header.replace("img-src 'self'", "img-src *"),
            "img-src allows *",
        ),
        (
            lambda header, nonce: header + "; script-src-attr 'unsafe-inline'",
            "script-src-attr",
        ),
        (lambda header, nonce: "", "no Content-Security-Policy"),
    ],
)
def test_control_a_weakened_policy_is_flagged(story_response, weaken, flagged):
    header = story_response.headers["Content-Security-Policy"]
    weakened = weaken(header, policy_nonce(header))
    assert weakened != header
    assert any(flagged in problem for problem in policy_problems(weakened))


@pytest.mark.parametrize("directive", ["'unsafe-inline'", "'unsafe-eval'", "data:"])
def test_control_the_back_office_policy_may_not_loosen_further(directive):
    header = (
        f"default-src 'none'; script-src 'self' {directive}; style-src 'self'; "
        "img-src 'self'; connect-src 'self'; form-action 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    assert policy_problems(header.replace(f" {directive}", ""), strict=False) == []
    assert policy_problems(header, strict=False) == [f"script-src allows {directive}"]


@pytest.mark.parametrize(
    ("header", "flagged"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "Referrer-Policy"),
        ("Cross-Origin-Opener-Policy", "Cross-Origin-Opener-Policy"),
        ("X-Frame-Options", "X-Frame-Options"),
        ("Content-Security-Policy", "frame-ancestors"),
    ],
)
def test_control_a_missing_header_is_flagged(story_response, header, flagged):
    headers = dict(story_response.headers)
    del headers[header]
    assert any(flagged in problem for problem in header_problems(headers))


def test_control_an_unsafe_referrer_policy_is_flagged(story_response):
    headers = {**story_response.headers, "Referrer-Policy": "unsafe-url"}
    assert header_problems(headers) == ["Referrer-Policy is 'unsafe-url'"]


@pytest.mark.parametrize(
    ("injected", "flagged"),
    [
        ("<script>alert(1)</script>", "script without the nonce"),
        ('<script nonce="guessed">alert(1)</script>', "nonce the policy does not name"),
        ('<script src="/static/evil.js"></script>', "script without the nonce"),
        ('<img src="x" onerror="alert(1)">', "inline event handler onerror"),
        ('<div ONMOUSEOVER="alert(1)">x</div>', "inline event handler"),
        ('<a href=" javascript:alert(1)">x</a>', "javascript: address"),
        (
            '<form><button formaction="JaVaScRiPt:alert(1)">x</button></form>',
            "javascript:",
        ),
        ('<p style="color:red">x</p>', "inline style attribute"),
        ("<style>p{color:red}</style>", "<style> block"),
    ],
)
def test_control_injected_markup_is_flagged(story_response, injected, flagged):
    header = story_response.headers["Content-Security-Policy"]
    page = story_response.content.decode().replace("</main>", injected + "</main>")
    assert any(flagged in problem for problem in markup_problems(page, header))


@pytest.mark.parametrize(
    ("injected", "flagged"),
    [
        ("<script>alert(1)</script>", "inline script without the nonce"),
        ('<script src="https://cdn.example/x.js"></script>', "does not admit"),
        ('<script src="//cdn.example/x.js"></script>', "does not admit"),
        ('<a onclick="alert(1)">x</a>', "inline event handler"),
    ],
)
def test_control_the_back_office_check_still_refuses_inline_and_foreign_scripts(
    client, editor, db, injected, flagged
):
    client.force_login(editor)
    response = client.get("/newsroom/")
    header = response.headers["Content-Security-Policy"]
    page = response.content.decode().replace("</body>", injected + "</body>")
    problems = markup_problems(page, header, strict=False)
    assert any(flagged in problem for problem in problems)


@pytest.mark.parametrize(
    ("change", "flagged"),
    [
        (lambda header, nonce: header, "repeated"),
        (lambda header, nonce: header.replace(nonce, "abc123"), "shorter"),
        (lambda header, nonce: header.replace(f"'nonce-{nonce}'", ""), "no nonce"),
    ],
)
def test_control_a_repeated_short_or_missing_nonce_is_caught(
    story_response, change, flagged
):
    header = story_response.headers["Content-Security-Policy"]
    second = change(header, policy_nonce(header))
    assert any(flagged in problem for problem in nonce_problems([header, second]))


def test_control_a_page_without_a_nonce_is_caught(story_response):
    header = story_response.headers["Content-Security-Policy"]
    stripped = header.replace(f"'nonce-{policy_nonce(header)}'", "'self'")
    assert policy_nonce(stripped) is None
    assert markup_problems(story_response.content.decode(), stripped) != []


def test_an_answer_without_a_nonce_carries_the_configured_policy(client, db, settings):
    # Such answers get the policy built once, not per response: it must be
    # django-csp's, and follow a change of settings.
    from csp.utils import build_policy

    answer = client.get("/api/v1/session")
    assert answer.headers["Content-Security-Policy"] == build_policy()
    assert policy_problems(answer.headers["Content-Security-Policy"]) == []
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **directives,
            "img-src": [*directives["img-src"], "https://photos.example"],
        },
    }
    again = client.get("/api/v1/session").headers["Content-Security-Policy"]
    assert "https://photos.example" in again
    assert again == build_policy()
