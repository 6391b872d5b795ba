"""Posting, replying, the author's own changes, Respect, reports and mutes."""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gazette.discussion import forms, selectors, services
from gazette.discussion.context import (
    at_comment,
    comment_form_context,
    current_address,
    discussion_context,
    is_htmx,
    return_address,
)
from gazette.discussion.errors import (
    CommentRejected,
    DuplicateComment,
    MuteRefused,
    ReactionRefused,
    ReportRefused,
)
from gazette.discussion.models import Comment, Report


def template_for(request, name: str) -> str:
    """The page, or for htmx its partial: discussion/includes/ of the same name."""
    if is_htmx(request):
        return name.replace("discussion/", "discussion/includes/", 1)
    return name


def posted_notice(comment: Comment) -> str:
    if comment.state == Comment.State.PENDING:
        return (
            "Thank you. Your comment is awaiting review; it will appear once a "
            "moderator has looked at it."
        )
    return "Your comment is posted."


def is_confirmed(request) -> bool:
    """The reader pressed "Post anyway" after a warning about the guidelines."""
    return request.POST.get("confirm") == "1"


@require_POST
def post(request, slug):
    """Post a comment under a story."""
    article = selectors.live_article(slug)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    body = form.cleaned_data.get("body", "")
    try:
        comment = services.post_comment(
            article, actor=request.user, body=body, confirmed=is_confirmed(request)
        )
    except DuplicateComment as duplicate:
        return _comment_posted(request, article, duplicate.comment, duplicate.message)
    except CommentRejected as rejection:
        return comment_refused(request, article, body=body, error=rejection)
    return _comment_posted(request, article, comment, posted_notice(comment))


def comment_refused(request, article, *, body: str, error, status: int = 200):
    """The comment box again, with why it was refused and the text as typed."""
    context = discussion_context(
        request,
        article,
        page_url=reverse("discussion:comments", kwargs={"slug": article.slug}),
        with_page=not is_htmx(request),
        body=body,
        error=error,
    )
    if not is_htmx(request):
        context["return_to"] = return_address(request, article.get_absolute_url())
    return render(
        request,
        template_for(request, "discussion/comment_form.html"),
        context,
        status=status,
    )


def _comment_posted(request, article, comment: Comment, notice: str):
    if not is_htmx(request):
        messages.success(request, notice)
        return redirect(
            at_comment(f"{article.get_absolute_url()}?sort=newest", comment.pk)
        )
    # The story was read before the post; read it again for the new count.
    article = selectors.live_article(article.slug)
    context = discussion_context(request, article, page_url="", with_page=False)
    context.update(notice=notice)
    if comment.author_id == getattr(request.user, "pk", None):
        with suppress(Http404):
            context["new_comment"] = selectors.comment_as_seen(
                comment.pk, context["viewer"]
            )
    return render(request, "discussion/includes/comment_posted.html", context)


@require_http_methods(["GET", "POST"])
def reply(request, pk):
    """Reply to a comment: the form, and posting the reply."""
    comment = selectors.comment_for_reader(pk)
    article = comment.thread.article
    context = comment_form_context(
        request,
        comment,
        body="",
    )
    if request.method == "POST":
        form = forms.CommentForm(request.POST)
        form.is_valid()
        context["body"] = form.cleaned_data.get("body", "")
        try:
            answer = services.post_comment(
                article,
                actor=request.user,
                body=context["body"],
                parent=comment,
                confirmed=is_confirmed(request),
            )
        except DuplicateComment as duplicate:
            return _reply_posted(request, context, duplicate.comment, duplicate.message)
        except CommentRejected as rejection:
            context["error"] = rejection
        else:
            return _reply_posted(request, context, answer, posted_notice(answer))
    return render(
        request, template_for(request, "discussion/comment_reply.html"), context
    )


def _reply_posted(request, context: dict, answer: Comment, notice: str):
    if not is_htmx(request):
        messages.success(request, notice)
        return redirect(selectors.address_of(answer))
    context.update(notice=notice, new_comment=None)
    with suppress(Http404):
        context["new_comment"] = selectors.comment_as_seen(answer.pk, context["viewer"])
    return render(request, "discussion/includes/reply_posted.html", context)


# The author's own changes ------------------------------------------------------


def _seen_comment_response(request, comment_pk: int, viewer, **extra):
    """The comment as it now stands, put in place of the old one on the page."""
    try:
        comment = selectors.comment_as_seen(comment_pk, viewer)
        template = "discussion/includes/comment.html"
    except Http404:
        comment, template = None, "discussion/includes/comment_gone.html"
    context = {"comment": comment, "comment_pk": comment_pk, "viewer": viewer, **extra}
    context["return_to"] = current_address(request)
    response = render(request, template, context)
    response["HX-Retarget"] = f"#comment-{comment_pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Edit one's own comment within the edit window."""
    comment = selectors.access_own_comment(request.user, pk)
    context = comment_form_context(
        request,
        comment,
        body=comment.body,
    )
    if request.method == "POST":
        form = forms.CommentForm(request.POST)
        form.is_valid()
        context["body"] = form.cleaned_data.get("body", "")
        try:
            services.edit_comment(
                comment,
                actor=request.user,
                body=context["body"],
                confirmed=is_confirmed(request),
            )
        except CommentRejected as rejection:
            context["error"] = rejection
        else:
            if is_htmx(request):
                return _seen_comment_response(
                    request,
                    comment.pk,
                    context["viewer"],
                    discussion=context["discussion"],
                    notice="Your comment is updated.",
                )
            messages.success(request, "Your comment is updated.")
            return redirect(at_comment(context["return_to"], comment.pk))
    return render(
        request, template_for(request, "discussion/comment_edit.html"), context
    )


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """Delete one's own comment, after asking."""
    comment = selectors.access_own_comment(request.user, pk)
    article = comment.thread.article
    context = comment_form_context(request, comment)
    if request.method == "POST":
        try:
            services.delete_comment(comment, actor=request.user)
        except CommentRejected as rejection:
            context["error"] = rejection
        else:
            if is_htmx(request):
                # The count above the discussion changes too: read it afresh.
                return _seen_comment_response(
                    request,
                    comment.pk,
                    context["viewer"],
                    discussion=selectors.discussion_of(
                        selectors.live_article(article.slug)
                    ),
                    recount=True,
                    notice="Your comment is deleted.",
                )
            messages.success(request, "Your comment is deleted.")
            return redirect(at_comment(context["return_to"], comment.pk))
    return render(
        request, template_for(request, "discussion/comment_delete.html"), context
    )


@require_POST
def respect(request, pk):
    """Give a comment Respect, or take it back."""
    comment = selectors.comment_for_reader(pk)
    form = forms.RespectForm(request.POST)
    withdraw = form.is_valid() and form.cleaned_data["action"] == "withdraw"
    give_or_take = services.withdraw_respect if withdraw else services.respect_comment
    error = None
    try:
        give_or_take(comment, actor=request.user)
    except ReactionRefused as refusal:
        error = refusal
    if not is_htmx(request):
        if error:
            messages.error(request, error.message)
        return redirect(
            at_comment(return_address(request, comment.get_absolute_url()), pk)
        )
    viewer = selectors.viewer_of(request.user)
    with suppress(Http404):
        comment = selectors.comment_as_seen(pk, viewer)
    context = {
        "comment": comment,
        "viewer": viewer,
        "discussion": selectors.discussion_of(comment.thread.article),
        "respect_error": error,
        "return_to": current_address(request),
    }
    return render(request, "discussion/includes/respect.html", context)


@require_http_methods(["GET", "POST"])
def report(request, pk):
    """Report a comment to the moderators, or an error in the story to its editors."""
    comment = selectors.comment_for_reader(pk)
    context = comment_form_context(
        request,
        comment,
        reasons=Report.Reason.choices,
        reason="",
        text="",
    )
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        form.is_valid()
        context.update(
            reason=form.cleaned_data.get("reason", ""),
            text=form.cleaned_data.get("text", ""),
        )
        try:
            filed = services.report_comment(
                comment,
                actor=request.user,
                reason=context["reason"],
                text=context["text"],
            )
        except ReportRefused as refusal:
            context["error"] = refusal
        else:
            context["report"] = filed
            return render(
                request,
                template_for(request, "discussion/report_received.html"),
                context,
            )
    return render(
        request, template_for(request, "discussion/comment_report.html"), context
    )


@require_POST
def mute(request, pk):
    """Mute the author of a comment: their comments leave the reader's pages."""
    comment = selectors.comment_for_reader(pk)
    back = return_address(request, comment.get_absolute_url())
    if comment.author is None:
        raise Http404("No such reader.")
    try:
        services.mute_reader(comment.author, actor=request.user)
    except MuteRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            f"You muted {comment.author.display_name}. You can unmute them on "
            "your discussion page.",
        )
    return redirect(back)


@require_POST
def unmute(request, pk):
    """Show a muted reader's comments again."""
    muted = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.unmute_reader(muted, actor=request.user)
    except MuteRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"You unmuted {muted.display_name}.")
    return redirect(return_address(request, reverse("discussion:reader")))
