"""Readers' reports to the moderators, and their notes of errors to editors."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gazette.discussion import selectors, tasks
from gazette.discussion.errors import ReportRefused
from gazette.discussion.models import AuditEntry, Comment, Report
from gazette.discussion.notices import absolute_url
from gazette.discussion.plaintext import TextRefused, clean_text
from gazette.discussion.policy import current_policy
from gazette.discussion.services.audit import logs_refusals, record_entry
from gazette.discussion.services.comments import locked_comment, move_comment, signed_in
from gazette.newsroom.models import Article

logger = logging.getLogger("gazette.discussion")

REPORT_NOTE_LIMIT = 1000


def _report_note(reason: str, text: str) -> str:
    if reason not in Report.Reason.values:
        raise ReportRefused("Please choose why you are reporting this comment.")
    if not (text or "").strip():
        if reason == Report.Reason.OTHER:
            raise ReportRefused("Please say what is wrong with this comment.")
        if reason == Report.Reason.STORY_ERROR:
            raise ReportRefused("Please describe the error in the story.")
    try:
        return clean_text(
            text, max_length=REPORT_NOTE_LIMIT, what="note", required=False
        )
    except TextRefused as refusal:
        raise ReportRefused(str(refusal)) from None


def _ensure_may_report(actor) -> None:
    # Reports hide comments (GAZETTE_COMMENT_REPORTS_TO_HIDE), so reporting asks
    # what posting asks: a confirmed address, good standing, the current terms.
    block = selectors.posting_block(actor)
    if block is not None:
        raise ReportRefused(block.message)
    # Lock the reporter's row so that two reports at once count one after the other.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()


def _ensure_under_daily_cap(actor) -> None:
    cap = settings.GAZETTE_REPORTS_PER_DAY
    if not cap:
        return
    since = timezone.now() - timedelta(days=1)
    if Report.objects.filter(reporter=actor, created_at__gte=since).count() >= cap:
        raise ReportRefused(
            f"You have sent {cap} reports in the last 24 hours, the most the paper "
            "takes from one reader. Moderators are reviewing them; please report "
            "again tomorrow."
        )


@logs_refusals("discussion.comment.report_refused")
@transaction.atomic
def report_comment(comment: Comment, *, actor, reason: str, text: str = "") -> Report:
    """File a reader's report of a comment, or their note of an error in the story.

    Moderators see reports; a note of an error in the story goes to the story's
    editors instead and does not count towards hiding the comment. Reporting
    needs the standing posting needs, and one reader files at most
    GAZETTE_REPORTS_PER_DAY reports and notes in 24 hours.
    """
    signed_in(actor, "Please sign in to report a comment.", ReportRefused)
    _ensure_may_report(actor)
    comment = locked_comment(comment)
    if selectors.discussion_of(comment.thread.article).is_hidden:
        raise ReportRefused("Comments are not available on this story.")
    if comment.author_id == actor.pk:
        raise ReportRefused("You cannot report your own comment.")
    if comment.state == Comment.State.PENDING:
        raise ReportRefused("This comment is already waiting for a moderator.")
    if comment.state != Comment.State.VISIBLE:
        raise ReportRefused("This comment is no longer on the page.")
    already = "You have already reported this comment."
    if Report.objects.filter(comment=comment, reporter=actor).exists():
        raise ReportRefused(already)
    _ensure_under_daily_cap(actor)
    note = _report_note(reason, text)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment,
                reporter=actor,
                reason=reason,
                text=note,
                weight=selectors.reporter_accuracy(actor),
            )
    except IntegrityError:
        raise ReportRefused(already) from None
    if report.is_story_error:
        record_entry(report, actor=actor, action="discussion.story_error.noted")
        transaction.on_commit(
            lambda: tasks.send_story_error_note_task.enqueue(report.pk)
        )
    else:
        record_entry(
            report, actor=actor, action="discussion.comment.reported", reasons=[reason]
        )
        _count_report(comment, report)
        _hold_when_reported(comment)
    return report


def _count_report(comment: Comment, report: Report) -> None:
    # The comment's row is locked: the desk's counters move with the report.
    comment.open_reports += 1
    comment.report_weight += report.weight
    comment.save(update_fields=["open_reports", "report_weight", "updated_at"])


def _hold_when_reported(comment: Comment) -> None:
    readers = (
        Report.objects.filter(comment=comment, status=Report.Status.OPEN)
        .exclude(reason=Report.Reason.STORY_ERROR)
        .count()
    )
    if readers < current_policy().reports_to_hide:
        return
    reason = f"Reported by {readers} readers"
    comment.check_reasons = [
        *comment.check_reasons,
        {"check": "reports", "reason": reason, "score": None, "holds": True},
    ]
    move_comment(comment, Comment.State.PENDING, fields=("check_reasons",))
    record_entry(
        comment,
        actor=AuditEntry.AUTOMOD,
        action="discussion.comment.held",
        reasons=[reason],
    )


def story_editors(article: Article) -> list:
    """Who hears of an error in a story: the newsroom's editors and its author."""
    people = get_user_model().objects.filter(is_active=True, is_staff=True)
    return list(
        people.filter(Q(groups__name="Editor") | Q(pk=article.created_by_id))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def send_story_error_note(report: Report) -> int:
    """Email a reader's note of an error in a story to the story's editors."""
    article = report.comment.thread.article
    recipients = story_editors(article)
    if not recipients:
        logger.warning("discussion.story_error.unsent report=%s", report.pk)
        return 0
    context = {
        "report": report,
        "article": article,
        "story_url": absolute_url(article.get_absolute_url()),
        "comment_url": absolute_url(report.comment.get_absolute_url()),
        "admin_url": absolute_url(
            reverse("admin:discussion_storyerrornote_change", args=[report.pk])
        ),
    }
    EmailMessage(
        subject=f"A reader notes an error in “{article.headline}”",
        body=render_to_string("discussion/email/story_error_note.txt", context),
        to=[person.email for person in recipients],
    ).send()
    record_entry(
        report,
        actor=None,
        action="discussion.story_error.sent",
        reasons=[f"to {len(recipients)} editors"],
    )
    return len(recipients)
