"""Moderators' decisions and sanctions, the notices they send, appeals, the audit."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gazette.accounts.selectors import commenting_block
from gazette.discussion import services
from gazette.discussion.errors import (
    AlreadyDecided,
    ModerationRefused,
    PostingBlocked,
)
from gazette.discussion.models import (
    Appeal,
    AuditEntry,
    Comment,
    Notice,
    Report,
    Sanction,
)
from gazette.discussion.tests.builders import assert_counts_are_true, post
from gazette.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_moderator(db):
    return make_staff("Moderator", "Second Moderator")


def entries(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


@pytest.fixture
def held(settings, story, commenter):
    settings.GAZETTE_PREMODERATE_ALL = True
    comment = post(story, commenter, "The pier plan is a waste of money")
    settings.GAZETTE_PREMODERATE_ALL = False
    return comment


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_moderator_decides_a_held_comment_a_reader_cannot(
    held, commenter, other_commenter, moderator, decision
):
    act = {
        "approve": lambda actor: services.approve_comment(held, actor=actor),
        "reject": lambda actor: services.reject_comment(
            held, actor=actor, reason="off_topic"
        ),
    }[decision]
    with pytest.raises(PermissionDenied):
        act(other_commenter)
    comment = act(moderator)
    assert comment.state == ("visible" if decision == "approve" else "rejected")
    assert comment.decided_by == moderator
    action = {"approve": "approved", "reject": "rejected"}[decision]
    entry = AuditEntry.objects.get(action=f"discussion.comment.{action}")
    assert entry.actor == moderator
    assert_counts_are_true(comment.thread)


def test_two_moderators_at_once_leave_one_decision_and_name_the_first(
    held, moderator, second_moderator
):
    stale = Comment.objects.get(pk=held.pk)
    services.approve_comment(held, actor=moderator)
    with pytest.raises(AlreadyDecided, match="already visible by Moderator") as late:
        services.reject_comment(stale, actor=second_moderator, reason="spam")
    assert late.value.decided_by == moderator.display_name
    with pytest.raises(AlreadyDecided):
        services.approve_comment(stale, actor=second_moderator)
    held.refresh_from_db()
    assert held.state == Comment.State.VISIBLE
    assert entries("discussion.comment.approved") == 1
    assert entries("discussion.comment.rejected") == 0
    assert_counts_are_true(held.thread)


def test_a_comment_held_again_after_reports_is_open_to_any_moderator(
    settings, held, moderator, second_moderator, other_commenter, third_commenter
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 2
    services.approve_comment(held, actor=moderator)
    for reader in (other_commenter, third_commenter):
        services.report_comment(held, actor=reader, reason="spam")
    held.refresh_from_db()
    assert held.state == Comment.State.PENDING
    services.reject_comment(held, actor=second_moderator, reason="spam")
    assert set(Report.objects.values_list("status", flat=True)) == {"upheld"}


def test_the_author_of_a_rejected_comment_gets_a_statement_of_reasons(
    held, commenter, moderator, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_comment(held, actor=moderator, reason="personal_attack")
    notice = Notice.objects.get(reader=commenter)
    assert notice.kind == Notice.Kind.COMMENT_REJECTED
    assert notice.clause.startswith("No personal attacks")
    assert not notice.is_automated
    [message] = mailbox.wait_for(commenter.email)
    text = message.get_content()
    assert "No personal attacks" in text
    assert "Decided by a moderator" in text
    assert "you may appeal once" in text
    assert notice.get_absolute_url() in text


def test_reporters_learn_the_outcome_of_their_report(
    story, commenter, other_commenter, moderator
):
    comment = post(story, commenter)
    services.report_comment(comment, actor=other_commenter, reason="spam")
    services.reject_comment(comment, actor=moderator, reason="spam")
    notice = Notice.objects.get(reader=other_commenter)
    assert notice.kind == Notice.Kind.REPORT_OUTCOME
    assert notice.decision == "The comment you reported was taken off the page."


def test_a_warning_blocks_posting_until_acknowledged(story, commenter, moderator):
    services.warn_reader(commenter, actor=moderator, reason="personal_attack")
    with pytest.raises(PostingBlocked, match="A moderator has warned you"):
        post(story, commenter)
    assert services.acknowledge_warning(commenter, actor=commenter) == 1
    assert post(story, commenter).is_visible


@pytest.mark.parametrize(
    ("duration", "blocked_for"),
    [
        ("1h", timedelta(hours=1)),
        ("3h", timedelta(hours=3)),
        ("24h", timedelta(hours=24)),
        ("7d", timedelta(days=7)),
        (timedelta(minutes=90), timedelta(minutes=90)),
    ],
)
def test_a_suspension_lasts_its_time(commenter, moderator, duration, blocked_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sanction = services.suspend_reader(
            commenter, actor=moderator, reason="spam", duration=duration
        )
    assert sanction.ends_at == start + blocked_for
    with time_machine.travel(start + blocked_for - timedelta(seconds=1), tick=False):
        assert "suspended" in commenting_block(commenter).message
    with time_machine.travel(start + blocked_for, tick=False):
        assert commenting_block(commenter) is None


def test_a_suspension_needs_a_known_length(commenter, moderator):
    with pytest.raises(ModerationRefused, match="Choose a suspension of 1h, 3h"):
        services.suspend_reader(
            commenter, actor=moderator, reason="spam", duration="2d"
        )


@pytest.mark.parametrize("reject_comments", [False, True])
def test_a_ban_can_take_the_readers_comments_down_too(
    story, commenter, moderator, reject_comments
):
    comments = [post(story, commenter, f"Point {n}") for n in range(2)]
    services.ban_reader(
        commenter, actor=moderator, reason="spam", reject_comments=reject_comments
    )
    assert "banned" in commenting_block(commenter).message
    states = {c.state for c in Comment.objects.filter(pk__in=[c.pk for c in comments])}
    assert states == {"rejected" if reject_comments else "visible"}
    assert_counts_are_true(comments[0].thread)


def test_the_strike_ladder_climbs_and_old_strikes_expire(
    settings, commenter, moderator
):
    settings.GAZETTE_STRIKE_EXPIRY_DAYS = 90
    start = timezone.now()
    assert services.next_step(commenter).kind == Sanction.Kind.WARNING
    with time_machine.travel(start, tick=False):
        services.warn_reader(commenter, actor=moderator, reason="spam")
    step = services.next_step(commenter)
    assert (step.kind, step.duration) == ("suspension", timedelta(hours=24))
    services.suspend_reader(commenter, actor=moderator, reason="spam")
    assert services.next_step(commenter).duration == timedelta(days=7)
    services.suspend_reader(commenter, actor=moderator, reason="spam", duration="7d")
    assert services.next_step(commenter).kind == Sanction.Kind.BAN
    with time_machine.travel(start + timedelta(days=91), tick=False):
        assert services.next_step(commenter).kind == Sanction.Kind.WARNING


def test_an_appeal_is_once_per_decision_and_another_moderator_settles_it(
    held, commenter, moderator, second_moderator, mailbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    services.reject_comment(held, actor=moderator, reason="off_topic")
    notice = Notice.objects.get(reader=commenter)
    appeal = services.appeal_decision(
        notice, actor=commenter, text="It was about the pier."
    )
    with pytest.raises(ModerationRefused, match="already appealed"):
        services.appeal_decision(notice, actor=commenter, text="Again")
    with pytest.raises(ModerationRefused, match="Another moderator must settle"):
        services.resolve_appeal(
            appeal, actor=moderator, is_upheld=True, outcome="Fine."
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_appeal(
            appeal, actor=second_moderator, is_upheld=True, outcome="On topic."
        )
    appeal.refresh_from_db()
    held.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert held.state == Comment.State.VISIBLE
    outcome = Notice.objects.get(kind=Notice.Kind.APPEAL_OUTCOME)
    assert outcome.decision.startswith("Upheld: the decision was reversed")
    assert any(
        "Upheld" in message.get_content()
        for message in mailbox.wait_for(commenter.email)
    )


def test_an_upheld_appeal_of_a_suspension_lifts_it(
    commenter, moderator, second_moderator
):
    services.suspend_reader(commenter, actor=moderator, reason="spam", duration="7d")
    notice = Notice.objects.get(kind=Notice.Kind.SUSPENSION)
    assert notice.until is not None
    appeal = services.appeal_decision(notice, actor=commenter, text="Not spam.")
    services.resolve_appeal(
        appeal, actor=second_moderator, is_upheld=True, outcome="Agreed."
    )
    assert commenting_block(commenter) is None


def test_the_audit_is_append_only(story, commenter):
    post(story, commenter)
    entry = AuditEntry.objects.get()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    with pytest.raises(ValueError, match="never deleted"):
        AuditEntry.objects.all().delete()
    with pytest.raises(ValueError, match="never changed"):
        AuditEntry.objects.update(action="tampered")
    with pytest.raises(ValueError, match="never changed"):
        entry.save()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_in_two_threads_leave_one_decision(settings, story):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    from gazette.discussion.tests.builders import make_commenter

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; PostgreSQL shows the row lock.")
    settings.GAZETTE_PREMODERATE_ALL = True
    comment = post(story, make_commenter(), "The pier plan is a waste")
    moderators = [make_staff("Moderator") for _ in range(2)]

    def decide(moderator, approve: bool) -> str:
        try:
            if approve:
                services.approve_comment(comment, actor=moderator)
            else:
                services.reject_comment(comment, actor=moderator, reason="spam")
            return "decided"
        except AlreadyDecided:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(decide, moderators, [True, False]))
    assert outcomes == ["decided", "refused"]
    decisions = AuditEntry.objects.filter(
        action__in=["discussion.comment.approved", "discussion.comment.rejected"]
    )
    assert decisions.count() == 1
    comment.refresh_from_db()
    assert comment.state in {"visible", "rejected"}
    assert_counts_are_true(comment.thread)
