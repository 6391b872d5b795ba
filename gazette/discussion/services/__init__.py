"""Every write to the reader discussion.

A comment's life: a reader posts it, and the automated checks either put it on
the page (visible) or hold it for a moderator (pending review). When
GAZETTE_COMMENT_REPORTS_TO_HIDE readers have reported a visible comment, automod
takes it off the page, pending review. Moderators approve a pending comment
(visible) or reject it, once: a second moderator is told who decided
(services/moderation.py). Rejections and sanctions send a statement of reasons
the reader may appeal once (services/notices.py). Its author may edit it for
GAZETTE_COMMENT_EDIT_MINUTES and delete it at any time; a comment that is gone
leaves "comment deleted" where replies hang below it. A story's discussion is
open until an editor closes (read-only) or hides it, and closes by itself
GAZETTE_COMMENTS_CLOSE_AFTER_DAYS after publication.

The counters readers see (comments on a story, replies, Respect) change only
here, in the transaction that changes what they count. Every service records an
AuditEntry; mail goes out through tasks after commit.
"""

from gazette.discussion.services.audit import record_entry
from gazette.discussion.services.comments import (
    delete_comment,
    edit_comment,
    feature_comment,
    post_comment,
)
from gazette.discussion.services.desk import follow_section, unfollow_section
from gazette.discussion.services.moderation import (
    NextStep,
    Outcome,
    acknowledge_warning,
    approve_comment,
    ban_reader,
    decide_comment,
    decide_comments,
    follow_next_step,
    lift_sanction,
    next_step,
    reject_comment,
    set_premoderation,
    suspend_reader,
    trust_reader,
    warn_reader,
)
from gazette.discussion.services.notices import (
    appeal_decision,
    notify_reader,
    resolve_appeal,
    send_notice,
)
from gazette.discussion.services.reactions import respect_comment, withdraw_respect
from gazette.discussion.services.readers import (
    erase_reader_comments,
    mark_replies_seen,
    mute_reader,
    send_reply_notice,
    set_reply_notices,
    unmute_reader,
)
from gazette.discussion.services.reports import report_comment, send_story_error_note
from gazette.discussion.services.threads import (
    close_discussion,
    hide_discussion,
    open_discussion,
    premoderate_discussion,
)

__all__ = [
    "NextStep",
    "Outcome",
    "decide_comment",
    "decide_comments",
    "follow_next_step",
    "follow_section",
    "unfollow_section",
    "acknowledge_warning",
    "appeal_decision",
    "approve_comment",
    "ban_reader",
    "lift_sanction",
    "next_step",
    "notify_reader",
    "reject_comment",
    "resolve_appeal",
    "send_notice",
    "set_premoderation",
    "suspend_reader",
    "trust_reader",
    "warn_reader",
    "close_discussion",
    "delete_comment",
    "edit_comment",
    "erase_reader_comments",
    "feature_comment",
    "hide_discussion",
    "mark_replies_seen",
    "mute_reader",
    "open_discussion",
    "post_comment",
    "premoderate_discussion",
    "record_entry",
    "report_comment",
    "respect_comment",
    "send_reply_notice",
    "send_story_error_note",
    "set_reply_notices",
    "unmute_reader",
    "withdraw_respect",
]
