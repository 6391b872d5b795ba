"""Template context shared by the story page's discussion and the discussion's pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from gazette.discussion import rendering, selectors
from gazette.newsroom.models import Article


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def current_address(request) -> str:
    """The page the reader is on; an htmx request names it in HX-Current-URL."""
    if is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path:
            return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path()


def return_address(request, fallback: str) -> str:
    """Where a plain form sends the reader back: the `next` it carried, if ours."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def at_comment(address: str, comment_pk: int) -> str:
    """The address with the page scrolled to a comment."""
    return f"{address.split('#')[0]}#comment-{comment_pk}"


def discussion_context(
    request,
    article: Article,
    *,
    page_url: str,
    sort_key: str | None = None,
    after: str | None = None,
    with_page: bool = True,
    shared: bool = False,
    viewer: selectors.Viewer | None = None,
    own_part: bool | None = None,
    alike: bool = False,
    **extra,
) -> dict:
    """What the discussion templates need: the story's discussion, the viewer, a page.

    `page_url` is where the sort tabs lead without JavaScript: the story page
    itself, or the discussion's own page. With `shared`, a first page that
    viewers like this one see alike comes kept (`kept_first_page`, rendered by
    `{% comment_list %}`) and no comment is read (gazette/discussion/rendering.py).
    `viewer` and `own_part`, the viewer and whether they have a part of their own
    in the thread, where the story page read them already
    (gazette/pagecache/signed_in.py); `own_part` None if not asked. With
    `alike`, the page the viewers like this one see, though this viewer has
    marks of their own on it: the story page puts those in after
    (gazette/pagecache/signed_in.py).
    """
    if viewer is None:
        viewer = selectors.viewer_of(
            request.user, next_url=f"{article.get_absolute_url()}#comments"
        )
    discussion = selectors.discussion_of(article)
    return_to = current_address(request)
    page = key = None
    if with_page and shared and after is None:
        key = rendering.first_page_key(
            discussion, viewer, sort_key=sort_key, return_to=return_to
        )
    # Asked only where a page could be kept: a reader's own part makes it theirs.
    if own_part is None and key is not None and not alike:
        own_part = selectors.has_own_part(viewer, discussion.thread)
    if own_part and not alike:
        key = None
    kept = rendering.kept_first_page(key)
    if with_page and kept is None:
        page = selectors.comment_page(
            discussion,
            # The comments as a viewer with no part in the thread sees them.
            viewer=selectors.Viewer(reader=None, block=None) if alike else viewer,
            sort_key=sort_key,
            after=after,
        )
    return {
        "article": article,
        "discussion": discussion,
        "viewer": viewer,
        "page": page,
        "items": page.comments if page else [],
        "first_page_key": key,
        "kept_first_page": kept,
        "page_url": page_url,
        "list_url": reverse("discussion:comments", kwargs={"slug": article.slug}),
        "return_to": return_to,
        "max_length": settings.GAZETTE_COMMENT_MAX_LENGTH,
        **extra,
    }


def comment_form_context(request, comment, **extra) -> dict:
    """The context of a form about one comment (reply, edit, delete, report),
    which returns the reader to that comment."""
    article = comment.thread.article
    context = discussion_context(
        request,
        article,
        page_url=article.get_absolute_url(),
        with_page=False,
        comment=comment,
        **extra,
    )
    context["return_to"] = return_address(request, comment.get_absolute_url())
    return context
