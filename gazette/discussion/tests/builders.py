"""Builders for the discussion's tests: readers who may comment, comments, checks."""

import itertools
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from gazette.accounts.models import User
from gazette.accounts.services import accept_terms
from gazette.discussion.models import Comment, Thread
from gazette.discussion.screening import Finding
from gazette.discussion.services import post_comment
from gazette.newsroom.models import Page

_numbers = itertools.count(1)


def make_commenter(
    name: str | None = None, *, accepts_terms: bool = True, **fields
) -> User:
    """A reader who confirmed their address and accepted the current terms."""
    number = next(_numbers)
    fields.setdefault("email_verified_at", timezone.now())
    reader = User.objects.create_user(
        email=f"commenter{number}@readers.example",
        display_name=name or f"Commenter {number}",
        password=None,
        **fields,
    )
    if accepts_terms:
        versions = {
            page.slug: page.version
            for page in Page.objects.filter(requires_acceptance=True)
        }
        accept_terms(reader, versions=versions, actor=reader)
    return reader


def post(story, reader, body: str = "Aloha, a fair point.", parent=None):
    """A comment posted the only way there is: through the service."""
    return post_comment(story, actor=reader, body=body, parent=parent)


def assert_counts_are_true(thread) -> None:
    """The denormalised counters agree with counting the rows."""
    thread.refresh_from_db()
    visible = Comment.objects.filter(thread=thread, state=Comment.State.VISIBLE)
    assert thread.comment_count == visible.count()
    for comment in Comment.objects.filter(thread=thread):
        below = visible.filter(Q(parent=comment) | Q(root=comment)).distinct()
        assert comment.reply_count == below.count(), comment.pk
        assert comment.reaction_count == comment.reactions.count(), comment.pk


def hold_comments_with_links(text: str, *, author, thread):
    """A check for GAZETTE_COMMENT_CHECKS in tests: links wait for a moderator."""
    if "http" in text:
        yield Finding(check="links", reason="The comment has a link", score=0.7)


def bulk_comments(story, authors, count: int, **fields) -> Thread:
    """Many top-level comments at once, a millisecond apart, counters set.

    For pages and query counts on busy stories; anything with a history to
    check is made through the services instead.
    """
    thread, _ = Thread.objects.get_or_create(article=story)
    start = timezone.now() - timedelta(days=1)
    Comment.objects.bulk_create(
        [
            Comment(
                thread=thread,
                author=authors[number % len(authors)],
                body=f"Comment {number}",
                body_html=f"<p>Comment {number}</p>",
                created_at=start + timedelta(milliseconds=number),
                **fields,
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    # bulk_create sends no signals: move the counters and the version here.
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=F("comment_count") + count, version=F("version") + 1
    )
    thread.refresh_from_db()
    return thread
