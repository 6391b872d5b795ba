"""Comment abuse: the posting interval between one reader's comments, the hourly
limit, repeated text, the longer wait on a new account's first day, one report
per reader per comment and a daily cap on reports.

The limits are read where they live: the moderation policy in force
(discussion/policy.py current_policy(), the GAZETTE_* settings as staff changed
them in the back office), and GAZETTE_REPORTS_PER_DAY. Time moves with
time-machine; nothing sleeps. Each checker also runs with its limit off, which it
must flag.
"""

import itertools
import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gazette.discussion import services
from gazette.discussion.errors import CommentRejected, DiscussionError, ReportRefused
from gazette.discussion.policy import current_policy
from gazette.discussion.tests.builders import make_commenter
from gazette.testing import make_article

START = "2024-12-13 08:00:00+00:00"
_texts = (f"A fresh thought on the harbor, number {n}." for n in itertools.count(1))


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Friday morning, standing still until a test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def stories(db):
    return [make_article(headline=f"Harbor plan {n}") for n in range(3)]


def established(name: str = "Kalani Akana"):
    """A reader whose account is older than a day."""
    return make_commenter(name, date_joined=timezone.now() - timedelta(days=3))


def poster(reader, stories) -> Callable[..., str | None]:
    """Post as the reader, a story at a time; the refusal's words, or None."""
    turns = itertools.cycle(stories)

    def post(text: str | None = None) -> str | None:
        try:
            services.post_comment(next(turns), actor=reader, body=text or next(_texts))
        except CommentRejected as refusal:
            return refusal.message
        return None

    return post


# Checkers -------------------------------------------------------------------------


def interval_problems(post, clock, *, seconds: int) -> list[str]:
    """Post, again a second before `seconds` have passed, and again at `seconds`:
    only the second may be refused, and for posting too soon."""
    problems = []
    if refusal := post():
        problems.append(f"the first comment was refused: {refusal}")
    clock.shift(timedelta(seconds=seconds - 1))
    refusal = post()
    if refusal is None:
        problems.append(f"a comment {seconds - 1} s after the last was posted")
    elif "too quickly" not in refusal:
        problems.append(f"a comment too soon was refused for another reason: {refusal}")
    clock.shift(timedelta(seconds=1))
    if refusal := post():
        problems.append(f"a comment {seconds} s after the last was refused: {refusal}")
    return problems


def hourly_problems(post, clock, *, limit: int) -> list[str]:
    """Post `limit` comments a minute apart, one more, and one more an hour after
    the first: only the one past the limit may be refused."""
    problems = []
    for number in range(limit):
        if refusal := post():
            problems.append(f"comment {number + 1} of {limit} was refused: {refusal}")
        clock.shift(timedelta(minutes=1))
    refusal = post()
    if refusal is None or "in the last hour" not in refusal:
        problems.append(f"comment {limit + 1} within the hour: {refusal or 'posted'}")
    clock.shift(timedelta(minutes=60 - limit, seconds=1))
    if refusal := post():
        problems.append(f"a comment an hour after the first was refused: {refusal}")
    return problems


def repeat_problems(post, clock, *, minutes: int) -> list[str]:
    """Post a text, the same text a minute before `minutes` have passed (under
    another story), and again after: only the second may be refused."""
    text = next(_texts)
    problems = []
    if refusal := post(text):
        problems.append(f"the text was refused the first time: {refusal}")
    clock.shift(timedelta(minutes=minutes - 1))
    refusal = post(text)
    if refusal is None or "same comment" not in refusal:
        problems.append(
            f"the same text {minutes - 1} minutes later: {refusal or 'posted'}"
        )
    clock.shift(timedelta(minutes=1, seconds=1))
    if refusal := post(text):
        problems.append(f"the same text after {minutes} minutes was refused: {refusal}")
    return problems


def reporter(reader) -> Callable:
    def report(comment) -> str | None:
        try:
            services.report_comment(comment, actor=reader, reason="spam")
        except ReportRefused as refusal:
            return refusal.message
        return None

    return report


def once_problems(report, first, second) -> list[str]:
    """Report `first`, then `second`: when they are the same comment the second
    report must be refused as a repeat."""
    problems = []
    if refusal := report(first):
        problems.append(f"the first report was refused: {refusal}")
    refusal = report(second)
    if refusal is None or "already reported" not in refusal:
        problems.append(f"a second report of the comment: {refusal or 'filed'}")
    return problems


def daily_cap_problems(report, comments, clock, *, cap: int) -> list[str]:
    """Report `cap` comments over a day, one more, and one more a day after the
    first: only the one past the cap may be refused."""
    problems = []
    spread = timedelta(hours=20) / cap
    for comment in comments[:cap]:
        if refusal := report(comment):
            problems.append(f"a report within the cap was refused: {refusal}")
        clock.shift(spread)
    refusal = report(comments[cap])
    if refusal is None or "in the last 24 hours" not in refusal:
        problems.append(f"report {cap + 1} within a day: {refusal or 'filed'}")
    clock.shift(timedelta(hours=4, minutes=1))
    if refusal := report(comments[cap + 1]):
        problems.append(f"a report a day after the first was refused: {refusal}")
    return problems


def comments_to_report(stories, count: int) -> list:
    """Comments by several readers, posted long enough apart to pass the limits."""
    authors = [make_commenter(f"Author {n}") for n in range(4)]
    comments = []
    for number in range(count):
        comments.append(
            services.post_comment(
                stories[number % len(stories)],
                actor=authors[number % len(authors)],
                body=f"Comment {number} about the harbor.",
            )
        )
    return comments


@pytest.fixture
def no_interval(settings):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0


# The posting interval and the hourly limit ---------------------------------------


def test_a_reader_waits_the_interval_between_comments(settings, stories, clock):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 30
    seconds = current_policy().min_interval_seconds
    assert seconds == 30
    post = poster(established(), stories)
    assert interval_problems(post, clock, seconds=seconds) == []


def test_a_new_account_waits_longer_on_its_first_day(settings, stories, clock):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 10
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 120
    policy = current_policy()
    post = poster(make_commenter("Brand New"), stories)
    assert (
        interval_problems(post, clock, seconds=policy.new_account_interval_seconds)
        == []
    )
    clock.shift(timedelta(days=1))
    assert interval_problems(post, clock, seconds=policy.min_interval_seconds) == []


def test_the_interval_staff_set_in_the_back_office_applies(
    settings, stories, clock, moderator
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 10
    client = Client()
    client.force_login(moderator)
    saved = client.post(
        reverse("admin:discussion_moderationpolicy_add"),
        {"premoderate_sections": [], "min_interval_seconds": 90},
    )
    assert saved.status_code == 302
    assert current_policy().min_interval_seconds == 90
    post = poster(established(), stories)
    assert interval_problems(post, clock, seconds=90) == []


def test_the_api_answers_too_soon_with_retry_after(settings, stories, clock):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 30
    client = Client()
    client.force_login(established())
    address = f"/api/v1/articles/{stories[0].slug}/comments"
    first = client.post(
        address, {"body": next(_texts)}, content_type="application/json"
    )
    assert first.status_code == 201
    clock.shift(timedelta(seconds=20))
    again = client.post(
        address, {"body": next(_texts)}, content_type="application/json"
    )
    assert again.status_code == 429
    assert again["Retry-After"] == "10"


def test_a_reader_posts_at_most_the_hourly_limit(settings, stories, clock, no_interval):
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 6
    post = poster(established(), stories)
    limit = current_policy().hourly_limit
    assert hourly_problems(post, clock, limit=limit) == []


def test_control_no_interval_is_caught(settings, stories, clock, no_interval):
    post = poster(established(), stories)
    assert interval_problems(post, clock, seconds=30) == [
        "a comment 29 s after the last was posted"
    ]


def test_control_a_new_account_without_a_longer_wait_is_caught(
    settings, stories, clock
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 10
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 10
    post = poster(make_commenter("Brand New"), stories)
    assert interval_problems(post, clock, seconds=120) == [
        "a comment 119 s after the last was posted",
        "a comment 120 s after the last was refused: You are posting too quickly. "
        "Please wait 9 seconds and post again.",
    ]


def test_control_no_hourly_limit_is_caught(settings, stories, clock, no_interval):
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 0
    post = poster(established(), stories)
    assert hourly_problems(post, clock, limit=6) == [
        "comment 7 within the hour: posted"
    ]


# Repeated text ---------------------------------------------------------------------


def test_the_same_text_waits_the_repeat_window(settings, stories, clock, no_interval):
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 6
    post = poster(established(), stories)
    minutes = current_policy().repeat_minutes
    assert repeat_problems(post, clock, minutes=minutes) == []


def test_control_no_repeat_window_is_caught(settings, stories, clock, no_interval):
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 0
    post = poster(established(), stories)
    assert repeat_problems(post, clock, minutes=6) == [
        "the same text 5 minutes later: posted"
    ]


# Reports ---------------------------------------------------------------------------


def test_a_reader_reports_a_comment_once(stories, no_interval):
    [comment] = comments_to_report(stories, 1)
    assert once_problems(reporter(established()), comment, comment) == []


def test_the_api_refuses_a_second_report_of_a_comment(stories, no_interval):
    [comment] = comments_to_report(stories, 1)
    client = Client()
    client.force_login(established())
    address = f"/api/v1/comments/{comment.pk}/reports"
    first = client.post(address, {"reason": "spam"}, content_type="application/json")
    again = client.post(address, {"reason": "spam"}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 400)
    assert again.json()["detail"] == "You have already reported this comment."


def test_reports_are_capped_per_reader_per_day(settings, stories, clock, no_interval):
    cap = settings.GAZETTE_REPORTS_PER_DAY
    assert cap == 20
    comments = comments_to_report(stories, cap + 2)
    report = reporter(established())
    assert daily_cap_problems(report, comments, clock, cap=cap) == []


def test_the_api_refuses_reports_past_the_daily_cap(settings, stories, no_interval):
    settings.GAZETTE_REPORTS_PER_DAY = 2
    comments = comments_to_report(stories, 3)
    client = Client()
    client.force_login(established())
    statuses = [
        client.post(
            f"/api/v1/comments/{comment.pk}/reports",
            {"reason": "spam"},
            content_type="application/json",
        )
        for comment in comments
    ]
    assert [response.status_code for response in statuses] == [201, 201, 400]
    assert (
        statuses[-1]
        .json()["detail"]
        .startswith("You have sent 2 reports in the last 24 hours")
    )


def test_the_report_page_says_why_past_the_daily_cap(settings, stories, no_interval):
    settings.GAZETTE_REPORTS_PER_DAY = 1
    first, second = comments_to_report(stories, 2)
    client = Client()
    client.force_login(established())
    client.post(f"/discussion/comment/{first.pk}/report/", {"reason": "spam"})
    page = client.post(f"/discussion/comment/{second.pk}/report/", {"reason": "spam"})
    assert "You have sent 1 reports in the last 24 hours" in page.content.decode()


def test_refused_reports_and_respect_are_logged_like_other_refusals(
    stories, no_interval, caplog
):
    """Who was refused, on which comment and why, as for posting (README, Logs)."""
    [comment] = comments_to_report(stories, 1)
    author, reader = comment.author, established()
    refusals = {
        "discussion.comment.report_refused": lambda: services.report_comment(
            comment, actor=author, reason="spam"
        ),
        "discussion.comment.respect_refused": lambda: services.respect_comment(
            comment, actor=author
        ),
        "discussion.comment.respect_withdrawal_refused": (
            lambda: services.withdraw_respect(comment, actor=reader)
        ),
    }
    caplog.set_level(logging.INFO, logger="gazette.discussion")
    for refuse in refusals.values():
        with pytest.raises(DiscussionError):
            refuse()
    logged = [record.getMessage() for record in caplog.records]
    for action, actor in zip(refusals, [author, author, reader], strict=True):
        assert any(
            line.startswith(f"{action} target=comment {comment.pk} ")
            and f"actor=person {actor.pk} reason=" in line
            for line in logged
        ), action


def test_control_a_second_report_accepted_is_caught(stories, no_interval):
    """Two different comments: the checker sees the second report filed."""
    first, second = comments_to_report(stories, 2)
    assert once_problems(reporter(established()), first, second) == [
        "a second report of the comment: filed"
    ]


def test_control_no_daily_cap_is_caught(settings, stories, clock, no_interval):
    settings.GAZETTE_REPORTS_PER_DAY = 0
    comments = comments_to_report(stories, 7)
    report = reporter(established())
    assert daily_cap_problems(report, comments, clock, cap=5) == [
        "report 6 within a day: filed"
    ]
