"""The JSON API keeps the pages' rules: who may write, CSRF, limits, refusals."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from gazette.discussion.models import Comment, Reaction, Report
from gazette.discussion.services import close_discussion, hide_discussion
from gazette.discussion.tests.builders import make_commenter, post
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_posting_limits(settings):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 0
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 0
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0
    cache.clear()


@pytest.fixture
def story():
    return make_article(headline="Council weighs harbor plan", slug="harbor-plan")


@pytest.fixture
def author():
    return make_commenter("Ana Pua")


@pytest.fixture
def other():
    return make_commenter("Ben Kalani")


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, payload=None, *, csrf=True):
    headers = {}
    if csrf:
        headers["HTTP_X_CSRFTOKEN"] = client.get("/api/v1/session").json()["csrf_token"]
    return getattr(client, method)(
        path,
        data=json.dumps(payload) if payload is not None else None,
        content_type="application/json",
        **headers,
    )


def test_anyone_reads_a_thread_with_replies(client, story, author, other):
    first = post(story, author, "The harbor needs dredging.")
    post(story, other, "Agreed, and soon.", parent=first)
    response = client.get("/api/v1/articles/harbor-plan/comments")
    assert response.status_code == 200
    page = response.json()
    assert page["comment_count"] == 2
    [comment] = page["comments"]
    assert comment["body"] == "The harbor needs dredging."
    assert comment["author"]["display_name"] == "Ana Pua"
    assert comment["replies"][0]["body"] == "Agreed, and soon."


def test_thread_of_a_missing_story_is_404(client):
    response = client.get("/api/v1/articles/no-such-story/comments")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_openapi_document_lists_every_operation(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Gazette discussion API"
    operations = {
        (method, path) for path, item in document["paths"].items() for method in item
    }
    assert ("post", "/api/v1/articles/{slug}/comments") in operations
    assert ("patch", "/api/v1/comments/{comment_id}") in operations
    assert ("put", "/api/v1/comments/{comment_id}/respect") in operations
    assert ("post", "/api/v1/comments/{comment_id}/reports") in operations


@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-token"])
def test_posting_needs_the_csrf_token(story, author, with_token):
    client = signed_in(author)
    response = send(
        client, "post", "/api/v1/articles/harbor-plan/comments",
        {"body": "Dredge it now."}, csrf=with_token,
    )  # fmt: skip
    assert response.status_code == (201 if with_token else 403)
    assert Comment.objects.filter(body="Dredge it now.").count() == int(with_token)


def test_anonymous_cannot_post(client, story):
    response = client.post(
        "/api/v1/articles/harbor-plan/comments",
        data=json.dumps({"body": "Hello"}),
        content_type="application/json",
    )
    assert response.status_code in {401, 403}
    assert not Comment.objects.exists()


def test_posted_comment_and_reply_come_back(story, author, other):
    first = post(story, author, "The harbor needs dredging.")
    response = send(
        signed_in(other), "post", "/api/v1/articles/harbor-plan/comments",
        {"body": "Agreed.", "parent_id": first.pk},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["comment"]["parent_id"] == first.pk
    assert body["is_pending_review"] is False


# The answer is built without validation: a field of the wrong type would only
# warn as it is written out.
@pytest.mark.filterwarnings("error")
def test_a_posted_comment_comes_back_as_the_thread_shows_it(story, author, other):
    first = post(story, author, "The harbor needs *dredging*.")
    client = signed_in(other)
    posted = send(
        client, "post", "/api/v1/articles/harbor-plan/comments",
        {"body": "Agreed, and <b>soon</b>.", "parent_id": first.pk},
    ).json()["comment"]  # fmt: skip
    [shown] = client.get("/api/v1/articles/harbor-plan/comments").json()["comments"]
    [reply] = shown["replies"]
    assert posted == {**reply, "replies": []}
    assert posted["author"] == {"display_name": "Ben Kalani", "is_staff": False}
    assert posted["body_html"] == "<p>Agreed, and &lt;b&gt;soon&lt;/b&gt;.</p>"


def test_a_post_to_a_story_readers_cannot_see_or_a_closed_one_is_refused(
    story, author, other, editor
):
    client = signed_in(author)
    missing = send(client, "post", "/api/v1/articles/no-such-story/comments",
                   {"body": "Hello?"})  # fmt: skip
    assert missing.status_code == 404
    elsewhere = post(make_article(headline="Elsewhere", slug="elsewhere"), other)
    answer = send(client, "post", "/api/v1/articles/harbor-plan/comments",
                  {"body": "Misplaced.", "parent_id": elsewhere.pk})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["detail"] == "That comment is under another story."
    close_discussion(story, actor=editor)
    closed = send(client, "post", "/api/v1/articles/harbor-plan/comments",
                  {"body": "Too late."})  # fmt: skip
    assert closed.status_code == 400
    assert "closed" in closed.json()["detail"]
    assert Comment.objects.filter(author=author).count() == 0


@pytest.mark.parametrize(
    "body, message",
    [
        ("   ", "write your comment"),
        ("x" * 3001, "3,000"),
        ("zero\u200bwidth", "invisible character"),
    ],
    ids=["blank", "too-long", "zero-width"],
)
def test_bad_text_is_refused_with_a_reason(story, author, body, message):
    response = send(
        signed_in(author), "post", "/api/v1/articles/harbor-plan/comments",
        {"body": body},
    )  # fmt: skip
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Comment.objects.exists()


def test_the_same_comment_twice_is_stored_once(story, author):
    client = signed_in(author)
    path = "/api/v1/articles/harbor-plan/comments"
    assert send(client, "post", path, {"body": "Once."}).status_code == 201
    assert send(client, "post", path, {"body": "Once."}).status_code == 409
    assert Comment.objects.filter(body="Once.").count() == 1


def test_posting_too_fast_is_429(settings, story, author):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 3
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 30
    client = signed_in(author)
    path = "/api/v1/articles/harbor-plan/comments"
    assert send(client, "post", path, {"body": "First."}).status_code == 201
    response = send(client, "post", path, {"body": "Second."})
    assert response.status_code == 429
    assert "wait" in response.json()["detail"]


@pytest.mark.parametrize("who", ["author", "other"])
def test_only_the_author_edits_and_deletes(story, author, other, who):
    comment = post(story, author, "Dredge it.")
    client = signed_in(author if who == "author" else other)
    edited = send(client, "patch", f"/api/v1/comments/{comment.pk}", {"body": "Fix"})
    assert edited.status_code == (200 if who == "author" else 404)
    deleted = send(client, "delete", f"/api/v1/comments/{comment.pk}")
    assert deleted.status_code == (204 if who == "author" else 404)
    comment.refresh_from_db()
    assert comment.state == (
        Comment.State.DELETED if who == "author" else Comment.State.VISIBLE
    )


def test_respect_once_and_take_it_back(story, author, other):
    comment = post(story, author, "Dredge it.")
    client = signed_in(other)
    path = f"/api/v1/comments/{comment.pk}/respect"
    assert send(client, "put", path).json()["reaction_count"] == 1
    again = send(client, "put", path)
    assert again.status_code == 400
    assert Reaction.objects.count() == 1
    assert send(client, "delete", path).json()["reaction_count"] == 0


def test_report_is_acknowledged_and_not_twice(story, author, other):
    comment = post(story, author, "Dredge it.")
    client = signed_in(other)
    path = f"/api/v1/comments/{comment.pk}/reports"
    first = send(client, "post", path, {"reason": "spam"})
    assert first.status_code == 201
    assert "received" in first.json()["message"]
    assert send(client, "post", path, {"reason": "spam"}).status_code == 400
    assert Report.objects.count() == 1


def test_own_comment_cannot_be_reported(story, author):
    comment = post(story, author, "Dredge it.")
    response = send(
        signed_in(author), "post", f"/api/v1/comments/{comment.pk}/reports",
        {"reason": "spam"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "your own" in response.json()["detail"]


def test_session_says_who_is_signed_in_and_why_they_cannot_post(
    client, unverified_reader
):
    assert client.get("/api/v1/session").json()["signed_in"] is False
    client.force_login(unverified_reader)
    state = client.get("/api/v1/session").json()
    assert state["signed_in"] is True
    assert state["may_comment"] is False
    assert state["block"]


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_comment_that_may_break_a_guideline_is_422_until_confirmed(
    story, author, method
):
    client = signed_in(author)
    if method == "post":
        path = "/api/v1/articles/harbor-plan/comments"
    else:
        path = f"/api/v1/comments/{post(story, author, 'Dredge it.').pk}"
    body = {"body": "People like you never listen."}
    warned = send(client, method, path, body)
    assert warned.status_code == 422
    assert warned.json()["guideline"].startswith("No personal attacks")
    assert 0.5 <= warned.json()["score"] < 0.9
    confirmed = send(client, method, path, {**body, "confirm": True})
    assert confirmed.status_code == (201 if method == "post" else 200)
    held = Comment.objects.get(body=body["body"])
    assert held.state == Comment.State.PENDING
    assert held.check_reasons[0]["check"] == "civility"


def test_a_comment_under_a_hidden_discussion_is_not_shown(
    client, story, author, editor
):
    comment = post(story, author, "The harbor needs dredging.")
    hide_discussion(story, actor=editor)
    for viewer in [client, signed_in(author)]:
        response = viewer.get(f"/api/v1/comments/{comment.pk}")
        assert response.status_code == 404
        assert "dredging" not in response.content.decode()


@pytest.mark.parametrize(
    ("method", "path", "payload", "detail"),
    [
        ("get", "/api/v1/comments/twelve", None, "comment_id: Input should be"),
        ("post", "/api/v1/articles/harbor-plan/comments", {}, "body: Field required."),
        (
            "post",
            "/api/v1/articles/harbor-plan/comments",
            {"body": "Dredge.", "confirm": "maybe"},
            "confirm: Input should be a valid boolean",
        ),
    ],
    ids=["path", "missing", "type"],
)
def test_a_request_the_document_does_not_allow_is_refused_with_the_reason(
    story, author, method, path, payload, detail
):
    """400 and {"detail": "..."} like every refusal, as the document says."""
    response = send(signed_in(author), method, path, payload)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)
    assert not Comment.objects.exists()


def test_the_document_lists_the_reasons_a_report_may_give(client, story, author):
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["Reason"]["enum"] == [
        "personal_attack", "offensive", "spam", "off_topic", "other", "story_error",
    ]  # fmt: skip
    comment = post(story, author, "Dredge it.")
    path = f"/api/v1/comments/{comment.pk}/reports"
    response = send(signed_in(make_commenter()), "post", path, {"reason": "dislike"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("reason: Input should be")
    assert not Report.objects.exists()


def test_a_body_that_is_not_json_is_refused_not_a_server_error(story, author):
    """The CSRF check reads a multipart body looking for the token, after which
    it could not be read as JSON: that was a 500."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(author)
    token = client.get("/api/v1/session").json()["csrf_token"]
    response = client.post(
        "/api/v1/articles/harbor-plan/comments",
        {"body": "Sent as a form."},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Send the request body as JSON."}
    assert not Comment.objects.exists()


def test_the_document_lists_every_refusal_a_write_may_get(client):
    """Without a session (401), without its CSRF token (403), or with a request
    the document does not allow (400)."""
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            if method != "get":
                assert {"400", "401", "403", "404"} <= answers, (method, path)
            elif operation["parameters"] and path.endswith("{comment_id}"):
                assert "400" in answers, (method, path)


@pytest.mark.parametrize(
    ("after", "status"),
    [("99999999999999999999_1", 400), ("-99999999999999999_1", 400), (None, 200)],
    ids=["too-far", "negative", "next-page"],
)
def test_a_cursor_past_any_time_is_refused_not_a_server_error(
    client, settings, story, author, after, status
):
    """Its number of microseconds overflowed the time sorts (a 500)."""
    settings.GAZETTE_COMMENT_PAGE_SIZE = 1
    post(story, author, "The harbor needs dredging.")
    post(story, make_commenter(), "So does the channel.")
    path = "/api/v1/articles/harbor-plan/comments?sort=newest"
    after = after or client.get(path).json()["next_cursor"]
    response = Client(raise_request_exception=False).get(f"{path}&after={after}")
    assert response.status_code == status
    if status == 400:
        assert response.json()["detail"].startswith("after: String should match")


def test_a_post_costs_the_same_queries_for_a_first_or_a_later_comment(
    story, author, other, django_assert_max_num_queries
):
    post(story, other, "The first word on the harbor.")
    client = signed_in(author)
    token = client.get("/api/v1/session").json()["csrf_token"]

    def posted(body: str, parent=None):
        payload = {"body": body, **({"parent_id": parent} if parent else {})}
        return client.post(
            "/api/v1/articles/harbor-plan/comments",
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )

    # The session, the reader, the story with its section and thread (in the
    # post's transaction, so read once on SQLite; PostgreSQL reads the thread
    # again to lock its row), the reader's sanctions and terms, the duplicate
    # guard, the checks' reads (word lists; the reader's record, how busy the
    # story is and how many comments the reader wrote, in one), the comment
    # and its audit entry written, the thread's version and counter, the
    # test's savepoint; none read field by field.
    expected = 14 + connection.features.has_select_for_update
    with django_assert_max_num_queries(expected):
        assert posted("Dredge it now.").status_code == 201
    # A reply reads the comment it answers (the API to check it is under this
    # story, the service for its conversation), and counts itself under it.
    answered = Comment.objects.first().pk
    with django_assert_max_num_queries(expected + 3):
        assert posted("And pay for it.", parent=answered).status_code == 201
