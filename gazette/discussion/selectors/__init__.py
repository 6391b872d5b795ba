"""Reads the story page, the discussion pages, the reader's page and the export share.

discussions: a story's discussion and its viewer; comments: pages of comments in
each sort (keyset pagination) and single conversations; readers: a reader's own
page and everything the discussion holds about them.
"""

from gazette.discussion.selectors.comments import (
    SORTS,
    CommentPage,
    Sort,
    access_own_comment,
    address_of,
    after_cursor,
    comment_as_seen,
    comment_for_reader,
    comment_page,
    conversation,
    cursor_at,
    cursor_for,
    has_own_part,
    listed_comments,
    ordered,
)
from gazette.discussion.selectors.discussions import (
    Discussion,
    Viewer,
    default_closing_time,
    discussion_of,
    live_article,
    live_article_head,
    posting_block,
    thread_of,
    viewer_of,
)
from gazette.discussion.selectors.moderation import (
    MonthReport,
    access_notice_for_reader,
    moderators_decisions,
    notices_of,
    reporter_accuracy,
    transparency_report,
)
from gazette.discussion.selectors.readers import (
    ReaderOverview,
    reader_export,
    reader_for_unsubscribe,
    reader_overview,
    reader_settings,
    replies_to,
)

__all__ = [
    "MonthReport",
    "access_notice_for_reader",
    "moderators_decisions",
    "notices_of",
    "reporter_accuracy",
    "transparency_report",
    "SORTS",
    "CommentPage",
    "Discussion",
    "ReaderOverview",
    "Sort",
    "Viewer",
    "access_own_comment",
    "address_of",
    "after_cursor",
    "comment_as_seen",
    "comment_for_reader",
    "comment_page",
    "conversation",
    "cursor_at",
    "cursor_for",
    "default_closing_time",
    "discussion_of",
    "has_own_part",
    "listed_comments",
    "live_article",
    "live_article_head",
    "ordered",
    "posting_block",
    "reader_export",
    "reader_for_unsubscribe",
    "reader_overview",
    "reader_settings",
    "replies_to",
    "thread_of",
    "viewer_of",
]
