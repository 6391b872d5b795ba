"""Background work for the discussion: mail that must never hold up a reader."""

from django_tasks import task

from gazette.discussion import services
from gazette.discussion.models import Comment, Notice, Report


@task()
def send_reply_notice_task(comment_id: int) -> bool:
    """Email the reader a reply answers, if they asked for it."""
    reply = (
        Comment.objects.select_related("author", "reply_to__author", "thread__article")
        .filter(pk=comment_id)
        .first()
    )
    return reply is not None and services.send_reply_notice(reply)


@task()
def send_story_error_note_task(report_id: int) -> int:
    """Email a reader's note of an error in a story to its editors."""
    report = (
        Report.objects.select_related("reporter", "comment__thread__article")
        .filter(pk=report_id)
        .first()
    )
    return services.send_story_error_note(report) if report else 0


@task()
def send_notice_task(notice_id: int) -> bool:
    """Email a reader a statement of reasons for a decision about them."""
    notice = (
        Notice.objects.select_related(
            "reader", "decided_by", "comment__thread__article"
        )
        .filter(pk=notice_id)
        .first()
    )
    return notice is not None and services.send_notice(notice)
