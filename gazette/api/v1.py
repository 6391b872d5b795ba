"""The discussion's JSON API, version 1: the same services, rules and limits as
the pages, for apps and partners. The OpenAPI document is at /api/v1/openapi.json.

Reading is open to everyone; writing needs a signed-in session and its CSRF
token (X-CSRFToken header), exactly as the pages' forms do. Every refusal is
{"detail": "..."} with the reason, a request the document does not allow (400)
included.
"""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.middleware.csrf import get_token
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import SessionAuth

from gazette.discussion import selectors, services
from gazette.discussion.errors import (
    DiscussionError,
    DuplicateComment,
    MayBreakGuidelines,
    PostingBlocked,
    PostingTooFast,
)
from gazette.discussion.models import Comment, Report
from gazette.pagecache.middleware import cacheable

api = NinjaAPI(
    title="Gazette discussion API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,
    description=__doc__,
)

CSRF_REFUSED = (
    "The CSRF token is missing or wrong: send the one GET /api/v1/session "
    "returns as the X-CSRFToken header."
)


class ReaderSession(SessionAuth):
    """The signed-in session and its CSRF token, for a request whose body is JSON.

    The CSRF check looks for the token in a form or multipart body too, and a
    multipart body it reads can no longer be read as JSON (that was a 500); so a
    body that is not JSON is refused before the check.
    """

    def __call__(self, request: HttpRequest):
        if request.body and request.content_type != "application/json":
            raise HttpError(400, "Send the request body as JSON.")
        try:
            return super().__call__(request)
        except HttpError as error:
            if error.status_code != 403:
                raise
            raise HttpError(403, CSRF_REFUSED) from None


session = ReaderSession(csrf=True)
router = Router(tags=["discussion"])


class Problem(Schema):
    detail: str


# Every write may be refused for what was sent (400), for want of a session
# (401) or of its CSRF token (403), or because what it names is not there (404).
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


class GuidelineProblem(Schema):
    """The comment may break a guideline: post again with "confirm": true."""

    detail: str
    guideline: str
    score: float


class AuthorOut(Schema):
    display_name: str
    is_staff: bool


class CommentOut(Schema):
    id: int
    article: str
    parent_id: int | None
    reply_to_id: int | None
    depth: int
    state: str
    author: AuthorOut | None
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    is_featured: bool
    reaction_count: int
    reply_count: int
    replies: list["CommentOut"] = []


class ThreadPage(Schema):
    article: str
    state: str
    comment_count: int
    sort: str
    sorts: list[str]
    next_cursor: str | None
    comments: list[CommentOut]


class CommentIn(Schema):
    body: str
    parent_id: int | None = None
    confirm: bool = False


class EditIn(Schema):
    body: str
    confirm: bool = False


class ReportIn(Schema):
    reason: Report.Reason
    text: str = ""


class ReportOut(Schema):
    id: int
    comment_id: int
    reason: str
    status: str
    message: str


class PostedOut(Schema):
    comment: CommentOut
    is_pending_review: bool
    message: str


def comment_out(comment: Comment, *, article_slug: str) -> dict:
    """A comment as the API shows it; the text only where readers may see it."""
    shown = comment.state in {Comment.State.VISIBLE, Comment.State.PENDING}
    author = comment.author if shown else None
    return {
        "id": comment.pk,
        "article": article_slug,
        "parent_id": comment.parent_id,
        "reply_to_id": comment.reply_to_id,
        "depth": comment.depth,
        "state": comment.state,
        "author": (
            {"display_name": author.display_name, "is_staff": author.is_staff}
            if author is not None
            else None
        ),
        "body": comment.body if shown else "",
        "body_html": comment.body_html if shown else "",
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "is_featured": comment.is_featured,
        "reaction_count": comment.reaction_count,
        "reply_count": comment.reply_count,
        "replies": [
            comment_out(reply, article_slug=article_slug)
            for reply in getattr(comment, "shown_replies", [])
        ],
    }


def refusal_status(error: DiscussionError) -> int:
    if isinstance(error, MayBreakGuidelines):
        return 422
    if isinstance(error, PostingBlocked):
        return 403
    if isinstance(error, DuplicateComment):
        return 409
    if isinstance(error, PostingTooFast):
        return 429
    return 400


@api.exception_handler(DiscussionError)
def discussion_refused(request: HttpRequest, error: DiscussionError):
    body = {"detail": error.message}
    if isinstance(error, MayBreakGuidelines):
        body.update(guideline=error.guideline, score=round(error.score, 4))
    response = api.create_response(request, body, status=refusal_status(error))
    if isinstance(error, PostingTooFast):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, error: ValidationError):
    """A request the document does not allow: 400 with what is wrong, like any
    refusal (not pydantic's list, which no client was told to expect)."""
    problems = []
    for problem in error.errors:
        names = [str(part) for part in problem["loc"][1:] if part != "payload"]
        problems.append(f"{'.'.join(names) or 'body'}: {problem['msg']}.")
    return api.create_response(request, {"detail": " ".join(problems)}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    detail = str(error) or "Not found."
    return api.create_response(request, {"detail": detail}, status=404)


class SessionOut(Schema):
    signed_in: bool
    display_name: str | None
    csrf_token: str
    may_comment: bool
    block: str | None


@router.get("/session", response=SessionOut, summary="Who is signed in")
def session_state(request):
    """The signed-in reader, whether they may comment now (and if not, why),
    and the CSRF token that writing requests send back as X-CSRFToken."""
    viewer = selectors.viewer_of(request.user)
    return {
        "signed_in": viewer.reader is not None,
        "display_name": getattr(viewer.reader, "display_name", None),
        "csrf_token": get_token(request),
        "may_comment": viewer.can_post,
        "block": viewer.block.message if viewer.block else None,
    }


# A cursor is the last comment's sort value and its id (selectors.cursor_for):
# microseconds since 1970 (16 digits last until 2286) or a count, and a row id.
# Longer numbers made the time sorts' cursors overflow into a 500.
CURSOR = r"^\d{1,16}_\d{1,19}$"


@router.get(
    "/articles/{slug}/comments",
    response={200: ThreadPage, 400: Problem, 404: Problem},
    summary="A page of a story's discussion",
)
def list_comments(
    request,
    slug: str,
    sort: str | None = None,
    after: str | None = Query(None, pattern=CURSOR),
):
    """Top-level comments with their first replies, in the chosen sort
    (featured, newest, oldest, reactions, replies); `after` is the previous
    page's `next_cursor`."""
    article = selectors.live_article(slug)
    # The same for every anonymous reader: kept by the page cache with the story
    # page, and purged with it when a comment appears or changes.
    cacheable(request, f"story:{article.pk}", params=("sort", "after"))
    discussion = selectors.discussion_of(article)
    page = selectors.comment_page(
        discussion,
        viewer=selectors.viewer_of(request.user),
        sort_key=sort,
        after=after,
    )
    return {
        "article": article.slug,
        "state": discussion.state,
        "comment_count": discussion.thread.comment_count if discussion.thread else 0,
        "sort": page.sort.key,
        "sorts": [option.key for option in page.sorts],
        "next_cursor": page.next_cursor,
        "comments": [comment_out(c, article_slug=slug) for c in page.comments],
    }


@router.get(
    "/comments/{comment_id}",
    response={200: CommentOut, 400: Problem, 404: Problem},
    summary="One comment",
)
def get_comment(request, comment_id: int):
    comment = selectors.comment_as_seen(comment_id, selectors.viewer_of(request.user))
    return comment_out(comment, article_slug=comment.thread.article.slug)


@router.post(
    "/articles/{slug}/comments",
    auth=session,
    response={
        201: PostedOut,
        **REFUSALS,
        409: Problem,
        422: GuidelineProblem,
        429: Problem,
    },
    summary="Post a comment or a reply",
    description="A comment that may break a guideline is answered 422 with the "
    'guideline; send it again with "confirm": true to post it for review.',
)
def post_comment(request, slug: str, payload: CommentIn):
    parent = None
    if payload.parent_id is not None:
        parent = selectors.comment_for_reader(payload.parent_id)
    # By its slug: the service reads the story in the post's transaction (and
    # refuses a parent under another story).
    comment = services.post_comment(
        slug,
        actor=request.user,
        body=payload.body,
        parent=parent,
        confirmed=payload.confirm,
    )
    pending = comment.state == Comment.State.PENDING
    return Status(
        201,
        PostedOut.model_construct(
            comment=posted_comment_out(comment, article_slug=slug),
            is_pending_review=pending,
            message=(
                "Your comment is waiting for a moderator to review it."
                if pending
                else "Your comment is posted."
            ),
        ),
    )


def posted_comment_out(comment: Comment, *, article_slug: str) -> CommentOut:
    """comment_out of a comment just stored, as the schema without validating it
    again: its fields come typed from the model, and validating them through the
    schema cost 0.06 ms of every post."""
    fields = comment_out(comment, article_slug=article_slug)
    author = fields["author"]
    fields["author"] = AuthorOut.model_construct(**author) if author else None
    if fields["replies"]:
        raise ValueError("A comment just posted has no replies to show.")
    return CommentOut.model_construct(**fields)


@router.patch(
    "/comments/{comment_id}",
    auth=session,
    response={200: CommentOut, **REFUSALS, 422: GuidelineProblem},
    summary="Edit one's own comment within the edit window",
)
def edit_comment(request, comment_id: int, payload: EditIn):
    comment = selectors.access_own_comment(request.user, comment_id)
    comment = services.edit_comment(
        comment, actor=request.user, body=payload.body, confirmed=payload.confirm
    )
    return comment_out(comment, article_slug=comment.thread.article.slug)


@router.delete(
    "/comments/{comment_id}",
    auth=session,
    response={204: None, **REFUSALS},
    summary="Delete one's own comment",
)
def delete_comment(request, comment_id: int):
    comment = selectors.access_own_comment(request.user, comment_id)
    services.delete_comment(comment, actor=request.user)
    return Status(204, None)


@router.put(
    "/comments/{comment_id}/respect",
    auth=session,
    response={200: CommentOut, **REFUSALS},
    summary="Give a comment your Respect (once)",
)
def give_respect(request, comment_id: int):
    comment = selectors.comment_for_reader(comment_id)
    comment = services.respect_comment(comment, actor=request.user)
    return comment_out(comment, article_slug=comment.thread.article.slug)


@router.delete(
    "/comments/{comment_id}/respect",
    auth=session,
    response={200: CommentOut, **REFUSALS},
    summary="Take back your Respect",
)
def take_back_respect(request, comment_id: int):
    comment = selectors.comment_for_reader(comment_id)
    comment = services.withdraw_respect(comment, actor=request.user)
    return comment_out(comment, article_slug=comment.thread.article.slug)


@router.post(
    "/comments/{comment_id}/reports",
    auth=session,
    response={201: ReportOut, **REFUSALS},
    summary="Report a comment, or note an error in the story",
    description="Reasons: " + ", ".join(Report.Reason.values) + ".",
)
def report(request, comment_id: int, payload: ReportIn):
    comment = selectors.comment_for_reader(comment_id)
    filed = services.report_comment(
        comment, actor=request.user, reason=payload.reason, text=payload.text
    )
    return Status(
        201,
        {
            "id": filed.pk,
            "comment_id": comment.pk,
            "reason": filed.reason,
            "status": filed.status,
            "message": (
                "Thank you: the story's editors will look at the error."
                if filed.is_story_error
                else "Thank you: your report was received; a moderator will review it."
            ),
        },
    )


api.add_router("/", router)
