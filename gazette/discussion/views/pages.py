"""The discussion's read pages, the reader's own page, and the mail links."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from gazette.discussion import forms, selectors, services
from gazette.discussion.context import discussion_context, is_htmx


class CommentListView(ListView):
    """A story's comments, a page at a time, in the sort the reader chose."""

    context_object_name = "comments"

    def get_template_names(self):
        if is_htmx(self.request):
            if self.request.GET.get("after"):
                return ["discussion/includes/comment_items.html"]
            return ["discussion/includes/comment_list.html"]
        return ["discussion/comment_list.html"]

    def get_queryset(self):
        self.article = selectors.live_article(self.kwargs["slug"])
        list_url = reverse("discussion:comments", kwargs={"slug": self.article.slug})
        self.discussion_context = discussion_context(
            self.request,
            self.article,
            page_url=list_url,
            sort_key=self.request.GET.get("sort"),
            after=self.request.GET.get("after"),
        )
        return self.discussion_context["page"].comments

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.discussion_context, **kwargs)


class CommentDetailView(DetailView):
    """A comment and the replies below it, a page of direct replies at a time."""

    template_name = "discussion/comment_detail.html"
    context_object_name = "comment"

    def get_template_names(self):
        if is_htmx(self.request):
            return ["discussion/includes/comment_items.html"]
        return [self.template_name]

    def get_object(self, queryset=None):
        return selectors.comment_for_reader(self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.root_id:
            return redirect(selectors.address_of(self.object))
        article = self.object.thread.article
        context = discussion_context(
            request, article, page_url=article.get_absolute_url(), with_page=False
        )
        page = selectors.conversation(
            self.object, viewer=context["viewer"], after=request.GET.get("after")
        )
        root = page.comments[0]
        list_url = reverse("discussion:comment", kwargs={"pk": root.pk})
        if page.next_cursor:
            root.more_replies_url = f"{list_url}?after={page.next_cursor}"
        context.update(
            self.get_context_data(object=root),
            page=page,
            root=root,
            list_url=list_url,
            # "Load more replies" appends the next replies to the conversation.
            items=root.shown_replies if is_htmx(request) else page.comments,
        )
        return self.render_to_response(context)


class ReaderPageView(LoginRequiredMixin, TemplateView):
    """A reader's comments, the replies to them, their reports and their standing."""

    template_name = "discussion/reader_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = selectors.reader_overview(self.request.user)
        context["decisions"] = list(selectors.notices_of(self.request.user)[:20])
        context["has_warning"] = any(
            notice.sanction is not None
            and notice.kind == "warning"
            and notice.sanction.acknowledged_at is None
            and notice.sanction.lifted_at is None
            for notice in context["decisions"]
        )
        return context


@require_POST
def replies_seen(request):
    """The reader has read the replies to them: none is new any more."""
    if request.user.is_authenticated:
        services.mark_replies_seen(request.user, actor=request.user)
    return redirect(reverse("discussion:reader"))


@require_POST
def notices(request):
    """Start or stop emails about replies."""
    if not request.user.is_authenticated:
        return redirect(reverse("discussion:reader"))
    form = forms.NoticesForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["email_replies"]
    services.set_reply_notices(request.user, actor=request.user, enabled=enabled)
    messages.success(
        request,
        "We will email you when someone replies to you."
        if enabled
        else "We will not email you about replies.",
    )
    return redirect(reverse("discussion:reader"))


# The link in a notice is its own authority: mail clients send the one-click
# POST (RFC 8058) without a CSRF token, and the token is signed.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop reply notices from the link in one of them."""
    reader = selectors.reader_for_unsubscribe(token)
    stopped = request.method == "POST"
    if stopped:
        services.set_reply_notices(reader, actor=reader, enabled=False)
    return render(
        request, "discussion/unsubscribe.html", {"reader": reader, "stopped": stopped}
    )


def empty(request) -> HttpResponse:
    """Nothing: htmx swaps it in to close a form."""
    return HttpResponse("")
