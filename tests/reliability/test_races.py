"""Races on PostgreSQL (SQLite lets one writer in at a time): two moderators
deciding the same comments at the same moment, a hundred times, and fifty
identical reports at once. One consistent final state, one audit entry per
real change, no negative counters."""

import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from gazette.discussion import services
from gazette.discussion.errors import DiscussionError
from gazette.discussion.models import AuditEntry, Comment, Report, Thread
from gazette.discussion.tests.builders import assert_counts_are_true, make_commenter
from gazette.testing import make_article, make_section


def race(test):
    """A race: the full tier, committed data, PostgreSQL."""
    for mark in (
        pytest.mark.full,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="races need concurrent writers: PostgreSQL",
        ),
    ):
        test = mark(test)
    return test


def at_once(*actions) -> list[tuple[str, object]]:
    """Run the actions in threads released together; ("done", result) or
    ("refused", error) for each. Each thread closes its own connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[tuple[str, object]] = [("unfinished", None)] * len(actions)

    def run(number, action):
        try:
            barrier.wait()
            outcomes[number] = ("done", action())
        except DiscussionError as refusal:
            outcomes[number] = ("refused", refusal)
        except Exception as error:  # anything else is a failure the test reports
            outcomes[number] = ("failed", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(number, action))
        for number, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def make_moderator(name: str):
    # A transactional test's flush took the migrations' groups away.
    person = make_commenter(name, is_staff=True)
    person.user_permissions.add(
        Permission.objects.get(
            codename="moderate_comment", content_type__app_label="discussion"
        )
    )
    return type(person).objects.get(pk=person.pk)


def audit_entries(target, *actions: str) -> int:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        action__in=actions,
    ).count()


def race_problems(outcomes, *, winners: int, entries: int) -> list[str]:
    """One consistent result of a race: the expected number of winners, the
    others refused, nothing failed, one audit entry per winner."""
    kinds = Counter(kind for kind, _ in outcomes)
    problems = []
    if kinds["done"] != winners:
        problems.append(f"{kinds['done']} succeeded, not {winners}")
    errors = [value for kind, value in outcomes if kind in {"failed", "unfinished"}]
    if errors:
        problems.append(f"errors: {errors[:3]}")
    if entries != winners:
        problems.append(f"{entries} audit entries for {winners} changes")
    return problems


def counter_problems(thread: Thread) -> list[str]:
    negative = Comment.objects.filter(thread=thread).filter(
        reply_count__lt=0
    ) | Comment.objects.filter(thread=thread, open_reports__lt=0)
    problems = [f"negative counter on comment {comment.pk}" for comment in negative]
    thread.refresh_from_db()
    if thread.comment_count < 0:
        problems.append("the thread's comment count is negative")
    return problems


@pytest.fixture
def story(settings):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 100_000
    return make_article(
        headline="Harbor plan goes to a vote",
        section=make_section(name="Local", slug="local"),
    )


@race
def test_two_moderators_deciding_the_same_comments_at_once(story, settings):
    settings.GAZETTE_PREMODERATE_ALL = True
    first, second = make_moderator("Desk One"), make_moderator("Desk Two")
    author = make_commenter("Ana Pua")
    decisions = {
        "approve": lambda comment, moderator: services.approve_comment(
            comment, actor=moderator
        ),
        "reject": lambda comment, moderator: services.reject_comment(
            comment, actor=moderator, reason="off_topic"
        ),
    }
    pairs = [("approve", "reject"), ("approve", "approve"), ("reject", "reject")]
    for number in range(100):
        comment = services.post_comment(
            story, actor=author, body=f"Comment {number} on the harbor plan."
        )
        one, other = pairs[number % len(pairs)]
        outcomes = at_once(
            lambda one=one, comment=comment: decisions[one](comment, first),
            lambda other=other, comment=comment: decisions[other](comment, second),
        )
        entries = audit_entries(
            comment, "discussion.comment.approved", "discussion.comment.rejected"
        )
        assert race_problems(outcomes, winners=1, entries=entries) == [], number
        [winner] = [result for kind, result in outcomes if kind == "done"]
        comment.refresh_from_db()
        assert comment.state == winner.state
        assert comment.decided_by_id == winner.decided_by_id
    thread = Thread.objects.get(article=story)
    assert_counts_are_true(thread)
    assert counter_problems(thread) == []


@race
@pytest.mark.parametrize("same_reader", [True, False], ids=["one reader", "fifty"])
def test_fifty_reports_of_one_comment_at_once(story, settings, same_reader):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 3
    comment = services.post_comment(
        story, actor=make_commenter("Ana Pua"), body="The reef matters more."
    )
    reporters = (
        [make_commenter("Kai")] * 50
        if same_reader
        else [make_commenter(f"Reader {number}") for number in range(50)]
    )
    outcomes = at_once(
        *(
            lambda reporter=reporter: services.report_comment(
                comment, actor=reporter, reason="spam"
            )
            for reporter in reporters
        )
    )
    filed = Report.objects.filter(comment=comment)
    # One reader's report counts once; readers' reports stop once the comment
    # leaves the page at the third, pending review.
    expected = 1 if same_reader else 3
    reported = AuditEntry.objects.filter(
        action="discussion.comment.reported",
        target_type=ContentType.objects.get_for_model(Report),
        target_id__in=filed.values("pk"),
    ).count()
    assert race_problems(outcomes, winners=expected, entries=reported) == []
    comment.refresh_from_db()
    assert comment.open_reports == filed.count() == expected
    held = audit_entries(comment, "discussion.comment.held")
    assert held == (0 if same_reader else 1)
    assert comment.state == (
        Comment.State.VISIBLE if same_reader else Comment.State.PENDING
    )
    thread = Thread.objects.get(article=story)
    assert_counts_are_true(thread)
    assert counter_problems(thread) == []


# Controls: the checks object to a race that went wrong.


def test_control_two_winners_an_error_or_a_second_audit_entry_are_flagged():
    both_won = [("done", 1), ("done", 2)]
    assert "2 succeeded, not 1" in race_problems(both_won, winners=1, entries=1)
    crashed = [("done", 1), ("failed", RuntimeError("deadlock detected"))]
    assert any("errors" in p for p in race_problems(crashed, winners=1, entries=1))
    twice = [("done", 1), ("refused", DiscussionError("already decided"))]
    assert race_problems(twice, winners=1, entries=2) == [
        "2 audit entries for 1 changes"
    ]
