"""Each comment's markup, rendered once and reused on every page that shows it.

A story page with 200 comments rendered `includes/comment.html` 200 times for
every reader who opened it; nearly all of that markup is the same for every
reader and changes only when the comment does. `comment_html` keeps what the
template gave in this process, keyed by everything the template reads: the
comment's own fields, its author's name, what the viewer did with it and may do
with it, and the page's return address. A change to any of these makes a new
key, so a kept copy is never stale; old keys fall away when the store is full.

The CSRF token is the one part that differs from reader to reader on the same
comment. The kept copy holds a placeholder where `{% csrf_token %}` wrote it,
and each use puts the reader's own token in its place. The placeholder sits
inside an attribute's quotes, where a reader's text can never reach unescaped.

`comment_item_html` is includes/comment_item.html: a comment with the replies
shown below it, put together here rather than by the template engine, which
spent more on the nesting of 200 comments than on the rest of the page.

`comment_list_html` keeps a whole first page of a discussion the same way, for
the viewers who see it alike: visitors, and readers who have nothing of their
own in the thread (no comment, Respect, report or mute; one query tells). It is
keyed by the thread's version, which every change to what the page shows moves
in the same transaction (gazette/discussion/versions.py), so a kept page is
never older than the thread's row read at the start of the request; a new
version replaces the old. Such a viewer's story page reads no comment at all.
The comments a kept page shows are kept with it (`first_page_comments`): a
reader whose only part in the thread is marks on comments everyone sees gets
the same page with those comments rendered again for them
(gazette/pagecache/signed_in.py).
"""

from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

TEMPLATE = "discussion/includes/comment.html"
LIST_TEMPLATE = "discussion/includes/comment_list.html"
FORMER_READER = "Former reader"
TOKEN_PLACEHOLDER = "csrf-token-placeholder"
TOKEN_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
# What the template shows only once, right after an action: never kept.
ONE_OFF = ("notice", "recount", "respect_error")

_kept: dict[tuple, str] = {}
# A first page's identity -> (the thread's version, the page's markup, the
# comments it shows by id).
_lists: OrderedDict[tuple, tuple[int, str, dict]] = OrderedDict()


def _forget_on_change(**kwargs) -> None:
    # The time zone, the templates or a GAZETTE_ setting shape the markup too.
    _kept.clear()
    _lists.clear()


setting_changed.connect(_forget_on_change)


def rendering_key(context, comment) -> tuple:
    """Everything includes/comment.html and includes/respect.html read."""
    author = comment.author
    reply_to = comment.reply_to if comment.names_whom_it_answers else None
    reply_author = reply_to.author if reply_to is not None else None
    viewer = context.get("viewer")
    discussion = context.get("discussion")
    return (
        comment.pk,
        comment.root_id,
        comment.state,
        comment.body_html,
        comment.created_at,
        comment.edited_at,
        comment.is_featured,
        comment.reaction_count,
        comment.author_id,
        author.display_name if author is not None else None,
        author.is_staff if author is not None else None,
        comment.is_muted,
        comment.is_own,
        comment.has_respected,
        comment.has_reported,
        comment.can_reply,
        comment.can_edit,
        comment.can_delete,
        comment.names_whom_it_answers,
        reply_to.pk if reply_to is not None else None,
        reply_to.root_id if reply_to is not None else None,
        reply_author.display_name if reply_author is not None else None,
        viewer is not None and viewer.reader is not None,
        viewer is not None and viewer.can_post,
        discussion is not None and discussion.is_open,
        context.get("return_to"),
    )


def comment_html(context, comment) -> SafeString:
    """includes/comment.html for this comment, as this reader sees it."""
    shown = context.get("shown_comments")
    if shown is not None:
        shown[comment.pk] = comment
    most = settings.GAZETTE_COMMENTS_KEPT_RENDERED
    if most <= 0 or any(context.get(name) for name in ONE_OFF):
        with context.push(comment=comment):
            return get_template(TEMPLATE).template.render(context)
    key = rendering_key(context, comment)
    markup = _kept.get(key)
    if markup is None:
        with context.push(comment=comment, csrf_token=TOKEN_PLACEHOLDER):
            markup = get_template(TEMPLATE).template.render(context)
        if len(_kept) >= most:
            _kept.clear()
        _kept[key] = markup
    return _with_token(markup, context)


def _with_token(markup: str, context) -> SafeString:
    """Kept markup with the reader's own CSRF token where the placeholder is."""
    placeholder = TOKEN_FIELD.format(TOKEN_PLACEHOLDER)
    if placeholder not in markup:
        return mark_safe(markup)
    token = str(context.get("csrf_token") or "")
    # Where {% csrf_token %} would have written nothing, so does the copy.
    field = TOKEN_FIELD.format(token) if token and token != "NOTPROVIDED" else ""
    return mark_safe(markup.replace(placeholder, field))


def first_page_key(discussion, viewer, *, sort_key: str | None, return_to: str):
    """Who sees the same first page: (its identity, the thread's version).

    For viewers with nothing of their own in the thread (the caller checks);
    None where no page is kept: no thread yet, or GAZETTE_COMMENT_LISTS_KEPT 0.
    """
    thread = discussion.thread
    if thread is None or settings.GAZETTE_COMMENT_LISTS_KEPT <= 0:
        return None
    identity = (
        thread.pk,
        thread.created_at,
        discussion.state,
        sort_key or "",
        return_to,
        viewer.reader is not None,
        viewer.can_post,
    )
    return identity, thread.version


def kept_first_page(key) -> str | None:
    """The first page kept for this key, if its version is the thread's."""
    kept = _kept_list(key)
    return kept[1] if kept is not None else None


def first_page_comments(key) -> dict | None:
    """The comments the first page kept for this key shows, by id, if its
    version is the thread's: as viewers alike see them."""
    kept = _kept_list(key)
    return kept[2] if kept is not None else None


def _kept_list(key) -> tuple[int, str, dict] | None:
    if key is None:
        return None
    identity, version = key
    kept = _lists.get(identity)
    if kept is None or kept[0] != version:
        return None
    return kept


def comment_list_html(context) -> SafeString:
    """includes/comment_list.html: kept, when the context has a key for it."""
    key = context.get("first_page_key")
    markup = context.get("kept_first_page")
    if key is None or any(context.get(name) for name in ONE_OFF):
        return mark_safe(get_template(LIST_TEMPLATE).template.render(context))
    if markup is None:
        shown: dict = {}
        with context.push(csrf_token=TOKEN_PLACEHOLDER, shown_comments=shown):
            markup = get_template(LIST_TEMPLATE).template.render(context)
        identity, version = key
        _lists.pop(identity, None)
        if len(_lists) >= settings.GAZETTE_COMMENT_LISTS_KEPT:
            _lists.popitem(last=False)
        _lists[identity] = (version, markup, shown)
    return _with_token(markup, context)


ITEM = (
    '<li class="comments__item comments__item--level-{depth}">\n  {article}\n'
    '  <ol class="comments__replies" id="replies-{pk}" aria-label="Replies to {name}">'
    "{replies}</ol>\n  {see_all}\n</li>"
)
MORE_REPLIES = (
    '<li class="comments__more"><a href="{0}" hx-get="{0}" hx-target="closest li"'
    ' hx-swap="outerHTML">More replies</a></li>'
)
SEE_ALL = (
    '<p class="comments__more-replies"><a href="{}">See all replies ({} more)</a></p>'
)


def comment_item_html(context, comment) -> SafeString:
    """A comment in the list, the replies shown below it nested in its own list."""
    replies = [
        comment_item_html(context, reply)
        for reply in getattr(comment, "shown_replies", ())
    ]
    more_replies_url = getattr(comment, "more_replies_url", None)
    if more_replies_url:
        replies.append(format_html(MORE_REPLIES, more_replies_url))
    more_replies = getattr(comment, "more_replies", 0)
    author = comment.author
    return format_html(
        ITEM,
        depth=comment.depth,
        article=comment_html(context, comment),
        pk=comment.pk,
        name=author.display_name if author is not None else FORMER_READER,
        replies=mark_safe("".join(replies)),
        see_all=(
            format_html(SEE_ALL, comment.get_absolute_url(), more_replies)
            if more_replies
            else ""
        ),
    )
