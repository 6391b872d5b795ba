"""A discussion form sent with an expired CSRF token comes back with its text."""

from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve

from gazette.accounts import views as accounts_views
from gazette.discussion import selectors
from gazette.discussion.context import comment_form_context, is_htmx
from gazette.discussion.errors import CommentRejected, DiscussionError
from gazette.discussion.models import Report
from gazette.discussion.views.comments import comment_refused, template_for

EXPIRED = (
    "Your session had expired, so nothing was sent. What you wrote is kept "
    "below: please send it again."
)


def _expired_post(request, slug):
    article = selectors.live_article(slug)
    return comment_refused(
        request,
        article,
        body=request.POST.get("body", ""),
        error=CommentRejected(EXPIRED),
        status=403,
    )


def _expired_form(template: str, *, mine: bool = False, **fields):
    def handler(request, pk):
        comment = (
            selectors.access_own_comment(request.user, pk)
            if mine
            else selectors.comment_for_reader(pk)
        )
        context = comment_form_context(
            request,
            comment,
            reasons=Report.Reason.choices,
            error=DiscussionError(EXPIRED),
            **{name: request.POST.get(name, "") for name in fields},
        )
        return render(request, template_for(request, template), context, status=403)

    return handler


EXPIRED_FORMS = {
    "discussion:post": _expired_post,
    "discussion:reply": _expired_form("discussion/comment_reply.html", body=True),
    "discussion:edit": _expired_form(
        "discussion/comment_edit.html", mine=True, body=True
    ),
    "discussion:report": _expired_form(
        "discussion/comment_report.html", reason=True, text=True
    ),
}


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a request refused for its token, answered 403 with why.

    A refused form of the discussion comes back with its text; others get the
    accounts' page, which re-offers what was typed where that is safe. That is a
    whole page: an htmx request shows it in place of the body (base.html's
    htmx-config shows a 403). The usual cause is a page left open across a
    sign-in or a long pause.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    handler = EXPIRED_FORMS.get(match.view_name) if match else None
    if handler is not None and request.method == "POST":
        try:
            return handler(request, **match.kwargs)
        except Http404:
            pass
    response = accounts_views.csrf_failure(request, reason)
    if is_htmx(request):
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "innerHTML"
    return response
