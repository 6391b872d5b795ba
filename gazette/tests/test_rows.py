"""Rows read and added with written-out SQL are what the ORM reads and saves."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gazette.db import rows
from gazette.discussion.models import (
    AuditEntry,
    Comment,
    ModerationPolicy,
    Sanction,
    Thread,
)
from gazette.discussion.tests.builders import make_commenter
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    story = make_article(headline="Council weighs harbor plan", slug="harbor-plan")
    return Thread.objects.create(article=story, closes_at=timezone.now())


def test_an_added_row_reads_back_as_the_orm_would_have_saved_it(thread):
    author = make_commenter("Ana Pua")
    comment = rows.insert(
        Comment(
            thread=thread,
            author=author,
            body="A fair point",
            body_html="<p>A fair point</p>",
            check_reasons=[{"check": "links", "reason": "a link"}],
            risk_score=0.25,
        )
    )
    assert comment.pk is not None
    assert not comment._state.adding
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.author == author
    assert stored.check_reasons == [{"check": "links", "reason": "a link"}]
    assert stored.risk_score == 0.25
    assert stored.state == Comment.State.VISIBLE
    assert stored.created_at == comment.created_at
    assert abs(stored.updated_at - timezone.now()) < timedelta(seconds=5)


def test_an_added_row_sends_the_signals_a_save_sends(thread):
    heard = []

    def listen(signal):
        def receiver(sender, instance, **kwargs):
            heard.append((signal, instance.pk, kwargs.get("created")))

        return receiver

    before, after = listen("pre_save"), listen("post_save")
    pre_save.connect(before, sender=AuditEntry)
    post_save.connect(after, sender=AuditEntry)
    try:
        entry = rows.insert(
            AuditEntry(
                action="discussion.thread.opened",
                actor_name=AuditEntry.AUTOMOD,
                target_type=ContentType.objects.get_for_model(Thread),
                target_id=thread.pk,
            )
        )
    finally:
        pre_save.disconnect(before, sender=AuditEntry)
        post_save.disconnect(after, sender=AuditEntry)
    assert heard == [("pre_save", None, None), ("post_save", entry.pk, True)]


def test_rows_added_together_each_get_their_own_pk_in_order(thread):
    target_type = ContentType.objects.get_for_model(Thread)
    entries = [
        AuditEntry(
            action=f"discussion.thread.step{number}",
            actor_name=AuditEntry.AUTOMOD,
            target_type=target_type,
            target_id=thread.pk,
            reasons=[f"reason {number}"],
        )
        for number in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        rows.insert_many(entries)
    assert len(queries) == 1
    assert [entry.pk for entry in entries] == sorted(entry.pk for entry in entries)
    for number, entry in enumerate(entries):
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert stored.action == f"discussion.thread.step{number}"
        assert stored.reasons == [f"reason {number}"]


def test_rows_added_from_values_read_back_as_the_orm_would_have_saved_them(thread):
    target_type = ContentType.objects.get_for_model(Thread)
    moderator = make_commenter("Kai Moderator")
    with CaptureQueriesContext(connection) as queries:
        pks = rows.insert_values(
            AuditEntry,
            [
                {
                    "action": "discussion.thread.closed",
                    "actor_id": moderator.pk,
                    "target_type_id": target_type.pk,
                    "target_id": thread.pk,
                    "reasons": ["Off topic", {"check": "links"}],
                },
                {
                    "action": "discussion.thread.held",
                    "actor_name": AuditEntry.AUTOMOD,
                    "target_type_id": target_type.pk,
                    "target_id": thread.pk,
                },
            ],
        )
    assert len(queries) == 1
    closed, held = (AuditEntry.objects.get(pk=pk) for pk in pks)
    assert pks == sorted(pks)
    assert (closed.action, closed.actor, closed.target) == (
        "discussion.thread.closed",
        moderator,
        thread,
    )
    assert closed.reasons == ["Off topic", {"check": "links"}]
    # Left out: each field's default, as a new instance would have it.
    assert (held.actor_label, held.reasons, closed.actor_name) == ("automod", [], "")
    assert abs(held.created_at - timezone.now()) < timedelta(seconds=5)


def test_rows_whose_saves_are_listened_to_are_not_added_from_values(thread):
    # A comment's save moves its thread's version and purges its pages.
    with pytest.raises(ValueError, match="listened to"):
        rows.insert_values(Comment, [{"thread_id": thread.pk, "body": "Aloha"}])
    assert not Comment.objects.exists()
    # Nor those with fields a save sets (auto_now): only a save sets them.
    with pytest.raises(ValueError, match="sets fields on a save"):
        rows.insert_values(ModerationPolicy, [{}])
    assert not ModerationPolicy.objects.exists()


def test_a_comment_added_moves_its_threads_version(thread):
    # The discussion's own receivers see the added row as a save.
    before = thread.version
    rows.insert(Comment(thread=thread, author=make_commenter(), body="Aloha"))
    thread.refresh_from_db()
    assert thread.version > before


def test_a_row_is_read_whole_by_a_unique_field(thread):
    found = rows.get(Thread, "article", thread.article_id, lock=True)
    assert found == thread
    assert found.closes_at == thread.closes_at
    assert found.state == thread.state
    assert rows.get(Thread, "article", thread.article_id + 1000) is None


def test_a_written_out_select_converts_as_the_orm_does(thread):
    reader = make_commenter("Ben Kalani")
    ends = timezone.now() + timedelta(days=2)
    Sanction.objects.create(
        reader=reader, kind=Sanction.Kind.SUSPENSION, reason="Insults", ends_at=ends
    )
    with CaptureQueriesContext(connection) as queries:
        [sanction] = Sanction.objects.not_lifted(reader)
    assert len(queries) == 1
    assert sanction.ends_at == ends
    assert sanction.kind == Sanction.Kind.SUSPENSION
    assert sanction.reader_id == reader.pk
