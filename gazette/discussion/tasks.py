"""Background work for the discussion: mail that must never hold up a reader."""

from django_tasks import task

from gazette.discussion import services
from gazette.discussion.models import Comment, Report


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
