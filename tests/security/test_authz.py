"""The authorization matrix: every URL pattern, asked as every role, comes to what
the policy table says (tests/security/policy.py); and a banned reader's session
that was open before the ban can no longer write.

Controls: the same checkers must catch a pattern the table does not name, a
model of the back office it leaves out, a wrong entry, and a write that gets
through when the table says it is refused.
"""

import dataclasses

import pytest
from django.test import Client
from django.urls import include, path

from gazette.discussion import services
from gazette.discussion.models import Comment, Reaction, Report
from gazette.testing import READER_PASSWORD, make_reader
from tests.security.authz import (
    DONE,
    OK,
    REFUSED,
    ROLES,
    build_world,
    coverage_problems,
    matrix_problems,
)
from tests.security.policy import ADMIN_ACCESS, POLICY, admin_table, roles
from tests.security.urlwalk import sort_admin_pages, walk_urls

# A test-only URL configuration: the site's, and one page nobody told the table of.
urlpatterns = [
    path("", include("gazette.urls")),
    path("new-page/", lambda request: None, name="unlisted"),
]


@pytest.fixture(autouse=True)
def comments_without_waiting(settings):
    """The world posts a dozen comments at once; the limits have tests of their own
    (test_comment_abuse.py)."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 1000


def full_table(world, *, families=("changelist", "add")) -> dict:
    pages, _ = sort_admin_pages(walk_urls())
    return {**POLICY, **admin_table(pages, world, families=families)}


def test_every_url_pattern_is_in_the_policy_table(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert (
        coverage_problems(walk_urls(), POLICY, ADMIN_ACCESS, api_document=document)
        == []
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_comes_to_what_the_policy_table_says(role, db):
    world = build_world(role)
    assert matrix_problems(role, world, full_table(world)) == []


@pytest.mark.full
@pytest.mark.parametrize("role", ROLES)
def test_each_role_meets_the_back_offices_object_pages_and_forms(role, db):
    world = build_world(role)
    pages, _ = sort_admin_pages(walk_urls())
    table = admin_table(
        pages,
        world,
        families=("add", "change", "history", "delete", "password", "post"),
    )
    assert matrix_problems(role, world, table) == []


def test_a_banned_readers_open_session_can_no_longer_write(db):
    """The reader signs in with their password and writes; a moderator bans them
    through the service; the same session's writes are then all refused, by the
    pages and by the API, while reading goes on."""
    world = build_world("reader")
    reader = make_reader(display_name="Pua Kealoha")
    client = Client()
    signed_in = client.post(
        "/account/sign-in/", {"email": reader.email, "password": READER_PASSWORD}
    )
    assert signed_in.status_code == 302
    before_ban = write_as(client, world, report="report", respect="respect")
    assert before_ban == {"comments": 3, "reports": 1, "respects": 1}

    services.ban_reader(reader, actor=world.people["moderator"], reason="spam")
    after_ban = write_as(client, world, report="api-report", respect="api-respect")
    assert after_ban == {"comments": 0, "reports": 0, "respects": 0}
    assert client.get("/story/harbor/").status_code == 200


def write_as(client: Client, world, *, report: str, respect: str) -> dict[str, int]:
    """Post a comment, a reply and an API comment, report one comment and give
    another Respect; count what came of it."""
    models = {"comments": Comment, "reports": Report, "respects": Reaction}
    before = {name: model.objects.count() for name, model in models.items()}
    story, text = world["story"], f"Written before {report}."
    client.post(f"/discussion/story/{story}/post/", {"body": text})
    client.post(
        f"/discussion/comment/{world['comment:reply']}/reply/", {"body": f"Re: {text}"}
    )
    client.post(
        f"/api/v1/articles/{story}/comments",
        {"body": f"API: {text}"},
        content_type="application/json",
    )
    client.post(
        f"/discussion/comment/{world[f'comment:{report}']}/report/", {"reason": "spam"}
    )
    client.post(
        f"/discussion/comment/{world[f'comment:{respect}']}/respect/",
        {"action": "give"},
    )
    return {
        name: model.objects.count() - before[name] for name, model in models.items()
    }


# Controls ------------------------------------------------------------------------


def test_control_a_pattern_the_table_does_not_name_is_caught(db):
    routes = walk_urls("tests.security.test_authz")
    problems = coverage_problems(routes, POLICY, ADMIN_ACCESS)
    assert problems == ["unlisted (new-page/) is not in the policy table"]


def test_control_a_model_left_out_of_the_admin_table_is_caught(db):
    partial = dict(ADMIN_ACCESS)
    del partial["newsroom.article"]
    problems = coverage_problems(walk_urls(), POLICY, partial)
    assert problems == [
        "newsroom.article is in the back office but not in the admin table"
    ]


def test_control_an_api_operation_the_table_skips_is_caught(client, db):
    document = client.get("/api/v1/openapi.json").json()
    partial = {**POLICY, "api-v1:report": []}
    problems = coverage_problems(
        walk_urls(), partial, ADMIN_ACCESS, api_document=document
    )
    assert problems == [
        "the policy table makes no request of api-v1:report",
        "the API's POST /api/v1/comments/{comment_id}/reports is not asked by the "
        "policy table",
    ]


def test_control_a_wrong_entry_is_caught(db):
    """The desk said to be open to all, and reports said to be open to banned
    readers: the matrix must see the desk refuse a reader, and a banned reader's
    report come to nothing."""
    world = build_world("banned")
    [queue] = POLICY["desk:queue"]
    [_, report] = POLICY["discussion:report"]
    wrong = {
        "desk:queue": [dataclasses.replace(queue, expect=roles(OK))],
        "discussion:report": [dataclasses.replace(report, expect=roles(DONE))],
    }
    problems = matrix_problems("banned", world, wrong)
    assert [problem.split(":")[0] for problem in problems] == [
        "GET desk",
        "POST discussion",
    ]
    assert "forbidden" in problems[0]
    assert REFUSED in problems[1]
