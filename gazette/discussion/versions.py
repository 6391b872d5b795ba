"""Each thread's version: moved by every change to what its pages show.

The kept first pages of a discussion (gazette/discussion/rendering.py) are keyed
by it, so a page is never shown after anything on it changed. The receivers
listen to the models rather than to each service, so that a change made
anywhere (a service, the back office, an erased account) moves it, in the
same transaction as the change itself.
"""

from django.db import connection
from django.db.models import F, Subquery

# Comment fields no page shows: saving only these leaves the pages as they were.
UNSHOWN_COMMENT_FIELDS = frozenset(
    {"open_reports", "report_weight", "risk_score", "check_reasons", "updated_at"}
)
# What a comment shows of its author.
SHOWN_AUTHOR_FIELDS = frozenset({"display_name", "is_staff"})


def move(threads) -> None:
    """Move the version of the threads given (their pks, or a query of them).

    Pks, as every post gives, are moved by a written-out UPDATE: 0.04 ms of
    Python against 0.24 ms through the ORM.
    """
    from gazette.discussion.models import Thread

    if isinstance(threads, list):
        if threads:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Thread._meta.db_table} SET version = version + 1"
                    f" WHERE id IN ({', '.join(['%s'] * len(threads))})",
                    threads,
                )
        return
    Thread.objects.filter(pk__in=threads).update(version=F("version") + 1)


def comment_changed(
    sender, instance, created=False, update_fields=None, **kwargs
) -> None:
    if update_fields is not None and set(update_fields) <= UNSHOWN_COMMENT_FIELDS:
        return
    if created and not instance.is_visible:
        # Held for review (or refused), it shows only to its author, whose
        # pages are read for them; a moderator's decision saves it again.
        return
    move([instance.thread_id])


def reaction_changed(sender, instance, **kwargs) -> None:
    from gazette.discussion.models import Comment

    move(Subquery(Comment.objects.filter(pk=instance.comment_id).values("thread_id")))


def author_changed(
    sender, instance, created=False, update_fields=None, **kwargs
) -> None:
    if created:
        return
    if update_fields is not None and not SHOWN_AUTHOR_FIELDS & set(update_fields):
        return
    _move_threads_of(instance)


def author_leaving(sender, instance, **kwargs) -> None:
    """An account deleted outright: its comments become "Former reader"."""
    _move_threads_of(instance)


def _move_threads_of(author) -> None:
    from gazette.discussion.models import Comment

    if author.pk is not None:
        move(Comment.objects.filter(author_id=author.pk).values("thread_id"))
