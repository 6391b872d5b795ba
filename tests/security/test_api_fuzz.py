"""API fuzzing: schemathesis against /api/v1/openapi.json as a visitor, a reader
and a moderator, with a fixed seed. No server error, nothing outside the
document, no write without the session, no comment of someone else changed and
no hidden text shown (apifuzz.py). The API has no operation for moderators:
they moderate on the desk, so through the API they may do no more than readers.

The fast tier sends each role's coverage cases and a few draws; the full tier
many more. Controls: a view that fails, a write that takes anyone for signed
in, an edit and a delete that skip the ownership check, and a comment shown
with its text whatever its state are each caught.
"""

import pytest
from django.http import HttpRequest

from gazette.api import v1
from gazette.discussion import selectors, services
from gazette.discussion.models import Comment
from tests.security.apifuzz import ROLES, build_paper, fuzz

# Draws of valid and invalid data per operation, then requests aimed at the
# paper's stories and comments per operation that names one.
FAST = {"examples": 10, "aimed": 20}
FULL = {"examples": 100, "aimed": 200}
OPERATIONS = 9
WRITES = {
    "POST /api/v1/articles/{slug}/comments",
    "PATCH /api/v1/comments/{comment_id}",
    "DELETE /api/v1/comments/{comment_id}",
    "PUT /api/v1/comments/{comment_id}/respect",
    "DELETE /api/v1/comments/{comment_id}/respect",
    "POST /api/v1/comments/{comment_id}/reports",
}


@pytest.fixture(autouse=True)
def comments_without_waiting(settings):
    """The posting interval and hourly cap would refuse most writes (429)."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 0


@pytest.fixture
def app():
    """The WSGI application `gazette serve` runs, page cache in front."""
    from gazette.wsgi import application

    return application


def succeeded(run) -> set[str]:
    return {label for label, status in run.answers if status < 300}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_its_document_and_its_rules(db, app, role):
    run = fuzz(app, build_paper(role), role, **FAST)
    assert run.problems == []
    assert len(run.operations) == OPERATIONS
    # Every write was done at least once by those who may, and never by a visitor.
    if role == "anonymous":
        assert not succeeded(run) & WRITES
    else:
        assert WRITES - succeeded(run) == set()


@pytest.mark.full
@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_its_document_and_its_rules_at_length(db, app, role):
    run = fuzz(app, build_paper(role), role, **FULL)
    assert run.problems == []
    assert len(run.operations) == OPERATIONS


# Controls ------------------------------------------------------------------------

CONTROL = {"examples": 5, "aimed": 20}


def test_control_a_view_that_fails_is_caught(db, app, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("a deliberate fault")

    monkeypatch.setattr(selectors, "comment_as_seen", fails)
    label = "GET /api/v1/comments/{comment_id}"
    run = fuzz(app, build_paper("anonymous"), "anonymous", only=[label], **CONTROL)
    assert f"anonymous: {label} answered 500: Server error" in run.problems


def test_control_a_write_that_takes_anyone_for_signed_in_is_caught(
    db, app, monkeypatch
):
    paper = build_paper("anonymous")
    stand_in = paper.people["reader"]

    def anyone(self, request: HttpRequest, key):
        request.user = stand_in
        return stand_in

    monkeypatch.setattr(v1.ReaderSession, "authenticate", anyone)
    label = "PUT /api/v1/comments/{comment_id}/respect"
    run = fuzz(app, paper, "anonymous", only=[label], **CONTROL)
    # Sent again without a session, the Respect is refused as given already:
    # neither 401 nor 403, so the session was not asked for.
    assert (
        f"anonymous: {label} answered 200: Unexpected response to a request "
        "without authentication"
    ) in run.problems


def edits_anyones(comment: Comment, *, actor, body: str, confirmed: bool) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(body="Changed by someone else.")
    comment.refresh_from_db()
    return comment


def deletes_anyones(comment: Comment, *, actor) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(state=Comment.State.DELETED)
    return comment


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("PATCH /api/v1/comments/{comment_id}", 200),
        ("DELETE /api/v1/comments/{comment_id}", 204),
    ],
)
def test_control_a_change_without_the_ownership_checks_is_caught(
    db, app, monkeypatch, label, status
):
    """The view's lookup and the service both check ownership: both are taken
    away, as in a view that wrote the change itself."""
    monkeypatch.setattr(
        selectors,
        "access_own_comment",
        lambda reader, pk: selectors.comment_for_reader(pk),
    )
    monkeypatch.setattr(services, "edit_comment", edits_anyones)
    monkeypatch.setattr(services, "delete_comment", deletes_anyones)
    paper = build_paper("reader")
    others = paper.comments["other's"]
    run = fuzz(app, paper, "reader", only=[label], **CONTROL)
    assert (
        f"reader: {label} answered {status}: changed comment {others}, someone else's"
    ) in run.problems


def test_control_a_comment_shown_with_its_text_whatever_its_state_is_caught(
    db, app, monkeypatch
):
    shown = v1.comment_out

    def with_every_text(comment: Comment, *, article_slug: str) -> dict:
        fields = shown(comment, article_slug=article_slug)
        return {**fields, "body": comment.body}

    monkeypatch.setattr(v1, "comment_out", with_every_text)
    label = "GET /api/v1/articles/{slug}/comments"
    run = fuzz(app, build_paper("anonymous"), "anonymous", only=[label], **CONTROL)
    assert (
        f"anonymous: {label} answered 200: showed the text of a comment rejected"
    ) in run.problems
