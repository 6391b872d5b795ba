"""The discussion's pages and actions.

Every action is a plain form that returns the reader to the comment; an htmx
request gets the `includes/` partial of the same template instead, so posting,
replying, Respect, reporting and "Load more" happen without reloading the page.
Refusals come back as the form, with the service's message and the text typed.
"""

from gazette.discussion.views.comments import (
    delete,
    edit,
    mute,
    post,
    reply,
    report,
    respect,
    unmute,
)
from gazette.discussion.views.expired import csrf_failure
from gazette.discussion.views.moderation import acknowledge, notice, transparency
from gazette.discussion.views.pages import (
    CommentDetailView,
    CommentListView,
    ReaderPageView,
    empty,
    notices,
    replies_seen,
    unsubscribe,
)

__all__ = [
    "CommentDetailView",
    "CommentListView",
    "ReaderPageView",
    "acknowledge",
    "csrf_failure",
    "delete",
    "edit",
    "empty",
    "mute",
    "notice",
    "notices",
    "post",
    "replies_seen",
    "reply",
    "report",
    "respect",
    "transparency",
    "unmute",
    "unsubscribe",
]
