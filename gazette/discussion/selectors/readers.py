"""What the discussion holds about one reader: their page and their export."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import Http404

from gazette.discussion.models import (
    AuditEntry,
    Comment,
    Mute,
    Reaction,
    ReaderSettings,
    Report,
)
from gazette.discussion.notices import reader_id_from_token
from gazette.discussion.selectors.discussions import posting_block

# Comments shown on a reader's own page, per list.
READER_PAGE_ITEMS = 50


def reader_for_unsubscribe(token: str):
    """The reader an unsubscribe link was made for, else 404."""
    reader_id = reader_id_from_token(token)
    reader = (
        get_user_model().objects.filter(pk=reader_id).first() if reader_id else None
    )
    if reader is None:
        raise Http404("No such link.")
    return reader


@dataclass
class ReaderOverview:
    """What a reader finds on their own discussion page."""

    comments: list[Comment]
    replies: list[Comment]
    new_reply_count: int
    reports: list[Report]
    mutes: list[Mute]
    settings: ReaderSettings
    counts: dict[str, int]
    block: object | None

    @property
    def may_post(self) -> bool:
        return self.block is None

    @property
    def visible_count(self) -> int:
        return self.counts.get(Comment.State.VISIBLE, 0)

    @property
    def pending_count(self) -> int:
        return self.counts.get(Comment.State.PENDING, 0)

    @property
    def removed_count(self) -> int:
        return self.counts.get(Comment.State.HIDDEN, 0) + self.counts.get(
            Comment.State.REJECTED, 0
        )


def reader_settings(reader) -> ReaderSettings:
    """The reader's discussion settings, or the defaults (not stored until changed)."""
    return ReaderSettings.objects.filter(reader=reader).first() or ReaderSettings(
        reader=reader
    )


def replies_to(reader, *, limit: int = READER_PAGE_ITEMS) -> QuerySet[Comment]:
    """Visible replies to a reader's comments by others they have not muted."""
    muted = Mute.objects.filter(reader=reader).values("muted")
    return (
        Comment.objects.filter(reply_to__author=reader, state=Comment.State.VISIBLE)
        .exclude(author=reader)
        .exclude(author__in=muted)
        .select_related("author", "reply_to", "thread__article")
        .order_by("-created_at", "-pk")[:limit]
    )


def reader_overview(reader) -> ReaderOverview:
    """A reader's comments, the replies to them (new ones marked), reports, standing."""
    preferences = reader_settings(reader)
    seen_at = preferences.replies_seen_at
    replies = list(replies_to(reader))
    for reply in replies:
        reply.is_new = seen_at is None or reply.created_at > seen_at
    comments = list(
        Comment.objects.filter(author=reader)
        .exclude(state=Comment.State.DELETED)
        .select_related("thread__article")
        .order_by("-created_at", "-pk")[:READER_PAGE_ITEMS]
    )
    reports = list(
        Report.objects.filter(reporter=reader)
        .select_related("comment__thread__article", "comment__author")
        .order_by("-created_at")[:READER_PAGE_ITEMS]
    )
    counts = dict(
        Comment.objects.filter(author=reader)
        .values_list("state")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return ReaderOverview(
        comments=comments,
        replies=replies,
        new_reply_count=sum(reply.is_new for reply in replies),
        reports=reports,
        mutes=list(Mute.objects.filter(reader=reader).select_related("muted")),
        settings=preferences,
        counts=counts,
        block=posting_block(reader),
    )


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def reader_export(reader) -> dict:
    """Everything the discussion holds about a reader, ready for json.dumps."""
    comments = (
        Comment.objects.filter(author=reader)
        .select_related("thread__article")
        .order_by("created_at", "pk")
    )
    preferences = reader_settings(reader)
    return {
        "comments": [
            {
                "id": comment.pk,
                "story": comment.thread.article.headline,
                "story_url": comment.thread.article.get_absolute_url(),
                "in_reply_to": comment.reply_to_id,
                "text": comment.body,
                "state": comment.state,
                "featured": comment.is_featured,
                "automated_check_reasons": comment.check_reasons,
                "risk_score": comment.risk_score,
                "respect_count": comment.reaction_count,
                "reply_count": comment.reply_count,
                "posted_at": _moment(comment.created_at),
                "edited_at": _moment(comment.edited_at),
            }
            for comment in comments
        ],
        "respect_given": [
            {"comment": reaction.comment_id, "at": _moment(reaction.created_at)}
            for reaction in Reaction.objects.filter(reader=reader).order_by("pk")
        ],
        "reports": [
            {
                "comment": report.comment_id,
                "reason": report.reason,
                "text": report.text,
                "status": report.status,
                "reported_at": _moment(report.created_at),
                "resolved_at": _moment(report.resolved_at),
            }
            for report in Report.objects.filter(reporter=reader).order_by("pk")
        ],
        "muted_readers": [
            {"display_name": mute.muted.display_name, "at": _moment(mute.created_at)}
            for mute in Mute.objects.filter(reader=reader).select_related("muted")
        ],
        "settings": {
            "email_replies": preferences.email_replies,
            "replies_seen_at": _moment(preferences.replies_seen_at),
        },
        "actions": [
            {
                "action": entry.action,
                "target": f"{entry.target_type.model} {entry.target_id}",
                "reasons": entry.reasons,
                "at": _moment(entry.created_at),
            }
            for entry in AuditEntry.objects.filter(actor=reader)
            .select_related("target_type")
            .order_by("pk")
        ],
    }
