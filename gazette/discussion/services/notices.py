"""Statements of reasons to readers, by page and mail, and appeals against decisions.

A rejected comment's author and a sanctioned reader are told the clause, what
was decided, whether a person or automod decided, until when, and how to
appeal. A reader appeals a decision once, with a few words; a moderator other
than the one who decided settles it, and the appellant is told the outcome.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gazette.discussion import tasks
from gazette.discussion.errors import ModerationRefused
from gazette.discussion.models import (
    Appeal,
    AuditEntry,
    Comment,
    Notice,
    Sanction,
)
from gazette.discussion.notices import absolute_url
from gazette.discussion.plaintext import TextRefused, clean_text
from gazette.discussion.services.audit import record_entry

APPEAL_LIMIT = 2000


def notify_reader(
    reader,
    *,
    kind: str,
    decision: str,
    actor,
    clause: str = "",
    until: datetime | None = None,
    comment: Comment | None = None,
    sanction: Sanction | None = None,
) -> Notice:
    """Store a statement of reasons for a reader, and mail it after commit."""
    is_automated = actor == AuditEntry.AUTOMOD
    notice = Notice.objects.create(
        reader=reader,
        kind=kind,
        clause=clause,
        decision=decision,
        decided_by=None if is_automated else actor,
        is_automated=is_automated,
        until=until,
        comment=comment,
        sanction=sanction,
    )
    record_entry(notice, actor=actor, action=f"discussion.notice.{kind}")
    transaction.on_commit(lambda: tasks.send_notice_task.enqueue(notice.pk))
    return notice


def send_notice(notice: Notice) -> bool:
    """Email a reader their statement of reasons, with the link to appeal."""
    reader = notice.reader
    if not reader.is_active or not reader.email:
        return False
    context = {
        "notice": notice,
        "reader": reader,
        "notice_url": absolute_url(notice.get_absolute_url()),
        "publication_name": settings.GAZETTE_PUBLICATION_NAME,
    }
    EmailMessage(
        subject=f"{settings.GAZETTE_PUBLICATION_NAME}: {notice.get_kind_display()}",
        body=render_to_string("discussion/email/notice.txt", context),
        to=[reader.email],
    ).send()
    record_entry(notice, actor=None, action="discussion.notice.sent")
    return True


@transaction.atomic
def appeal_decision(notice: Notice, *, actor, text: str) -> Appeal:
    """File a reader's appeal of a decision about them: once per decision."""
    if actor is None or actor.pk != notice.reader_id:
        raise PermissionDenied("Readers appeal decisions about themselves.")
    if not notice.is_appealable:
        raise ModerationRefused("This notice is not a decision that can be appealed.")
    try:
        text = clean_text(text, max_length=APPEAL_LIMIT, what="appeal")
    except TextRefused as refusal:
        raise ModerationRefused(str(refusal)) from None
    if Appeal.objects.filter(notice=notice).exists():
        raise ModerationRefused("You have already appealed this decision.")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(notice=notice, text=text)
    except IntegrityError:
        raise ModerationRefused("You have already appealed this decision.") from None
    record_entry(appeal, actor=actor, action="discussion.appeal.filed")
    return appeal


def _reverse_decision(notice: Notice, *, actor) -> None:
    from gazette.discussion.services.moderation import lift_sanction

    if notice.sanction is not None:
        lift_sanction(notice.sanction, actor=actor)
    if notice.kind == Notice.Kind.COMMENT_REJECTED and notice.comment is not None:
        from gazette.discussion.services.comments import locked_comment, move_comment

        comment = locked_comment(notice.comment)
        if comment.state == Comment.State.REJECTED:
            comment.decided_by, comment.decided_by_name = actor, ""
            comment.decided_at = timezone.now()
            move_comment(
                comment,
                Comment.State.VISIBLE,
                fields=("decided_by", "decided_by_name", "decided_at"),
            )
            record_entry(
                comment,
                actor=actor,
                action="discussion.comment.approved",
                reasons=["appeal upheld"],
            )


@transaction.atomic
def resolve_appeal(appeal: Appeal, *, actor, is_upheld: bool, outcome: str) -> Appeal:
    """Settle an appeal; upheld reverses the decision. The appellant is told."""
    from gazette.discussion.services.moderation import ensure_moderator

    ensure_moderator(actor)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("notice__reader", "notice__sanction", "notice__comment")
        .get(pk=appeal.pk)
    )
    if appeal.status != Appeal.Status.OPEN:
        who = appeal.resolved_by.display_name if appeal.resolved_by else "automod"
        raise ModerationRefused(f"This appeal was already settled by {who}.")
    notice = appeal.notice
    if notice.decided_by_id is not None and notice.decided_by_id == actor.pk:
        raise ModerationRefused(
            "Another moderator must settle an appeal of your own decision."
        )
    appeal.status = Appeal.Status.UPHELD if is_upheld else Appeal.Status.DISMISSED
    appeal.resolved_by, appeal.resolved_at = actor, timezone.now()
    appeal.outcome = outcome
    appeal.save(update_fields=["status", "resolved_by", "resolved_at", "outcome"])
    record_entry(
        appeal,
        actor=actor,
        action=f"discussion.appeal.{appeal.status}",
        reasons=[outcome] if outcome else [],
    )
    if is_upheld:
        _reverse_decision(notice, actor=actor)
    notify_reader(
        notice.reader,
        kind=Notice.Kind.APPEAL_OUTCOME,
        clause=notice.clause,
        decision=f"{appeal.get_status_display()}. {outcome}".strip(),
        actor=actor,
        comment=notice.comment,
    )
    return appeal
