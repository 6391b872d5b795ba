"""The automated checks on every new or edited comment, allowed and refused."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from gazette.discussion import services
from gazette.discussion.errors import (
    CommentRejected,
    MayBreakGuidelines,
    PostingBlocked,
    PostingTooFast,
)
from gazette.discussion.models import Comment, WordListEntry
from gazette.discussion.tests.builders import make_commenter, post
from gazette.testing import make_article, make_section

pytestmark = pytest.mark.django_db

ATTACK = "People like you never listen."  # the shipped model: attack ≈ 0.84


def listed(kind: str, *entries: str) -> None:
    for entry in entries:
        word = WordListEntry(kind=kind, entry=entry)
        word.full_clean()
        word.save()


@pytest.mark.parametrize(
    ("body", "refused"),
    [("The harbor plan is idiotic", False), ("The mayor is an 1d10t", True)],
)
def test_a_banned_word_refuses_the_comment_its_neighbours_pass(
    story, commenter, body, refused
):
    listed("banned", "idiot")
    if refused:
        with pytest.raises(CommentRejected, match="does not allow .*“1d10t”"):
            post(story, commenter, body)
        assert not Comment.objects.exists()
    else:
        assert post(story, commenter, body).is_visible


def test_a_suspect_word_holds_the_comment_with_the_words_position(story, commenter):
    listed("suspect", "dredg*")
    held = post(story, commenter, "Stop the Dredging now")
    assert held.state == Comment.State.PENDING
    [finding] = held.check_reasons
    assert finding["check"] == "words"
    assert finding["matches"] == [
        {"entry": "dredg*", "text": "Dredging", "start": 9, "end": 17}
    ]
    assert post(story, commenter, "Stop the harbor plan now").is_visible


@pytest.mark.parametrize("entry", ["", "*ass", "id10t", "kill *yourself"])
def test_staff_cannot_list_an_unsafe_word(entry):
    with pytest.raises(ValidationError) as refusal:
        WordListEntry(kind="banned", entry=entry).full_clean()
    assert "entry" in refusal.value.message_dict


@pytest.mark.parametrize("hold_links", [False, True])
def test_links_wait_for_review_where_the_setting_says(
    settings, story, commenter, hold_links
):
    settings.GAZETTE_COMMENT_HOLD_LINKS = hold_links
    comment = post(story, commenter, "See https://example.org/harbor for the plan")
    assert comment.state == (
        Comment.State.PENDING if hold_links else Comment.State.VISIBLE
    )
    if hold_links:
        assert comment.check_reasons[0]["matches"][0]["start"] == 4


def test_a_trusted_readers_links_go_straight_to_the_page(
    settings, story, commenter, moderator
):
    settings.GAZETTE_COMMENT_HOLD_LINKS = True
    services.trust_reader(commenter, actor=moderator)
    assert post(story, commenter, "See https://example.org/harbor").is_visible


def test_a_high_score_asks_the_reader_first_then_holds_for_review(story, commenter):
    with pytest.raises(MayBreakGuidelines) as warning:
        post(story, commenter, ATTACK)
    assert warning.value.guideline.startswith("No personal attacks")
    assert 0.5 <= warning.value.score < 0.9
    assert not Comment.objects.exists()
    held = services.post_comment(story, actor=commenter, body=ATTACK, confirmed=True)
    assert held.state == Comment.State.PENDING
    assert held.check_reasons[0]["check"] == "civility"
    assert held.risk_score == pytest.approx(warning.value.score, abs=1e-4)


@pytest.mark.parametrize(("reject", "refused"), [(0.95, False), (0.8, True)])
def test_a_score_past_the_reject_threshold_is_refused_outright(
    settings, story, commenter, reject, refused
):
    settings.GAZETTE_CIVILITY_REJECT = reject
    if refused:
        with pytest.raises(CommentRejected, match="breaks the paper's guidelines"):
            services.post_comment(story, actor=commenter, body=ATTACK, confirmed=True)
    else:
        comment = services.post_comment(
            story, actor=commenter, body=ATTACK, confirmed=True
        )
        assert comment.state == Comment.State.PENDING


@pytest.mark.parametrize(
    ("hold", "reject", "message"),
    [
        (0, 0.9, "hold threshold must be a number above 0"),
        (0.5, 1.5, "reject threshold must be a number above 0"),
        (0.9, 0.5, "must not be above the reject threshold"),
    ],
)
def test_invalid_thresholds_say_what_is_wrong(
    settings, story, commenter, hold, reject, message
):
    settings.GAZETTE_CIVILITY_HOLD, settings.GAZETTE_CIVILITY_REJECT = hold, reject
    with pytest.raises(ImproperlyConfigured, match=message):
        post(story, commenter)


def test_an_edit_passes_the_same_checks(story, commenter):
    comment = post(story, commenter, "The harbor plan needs work")
    with pytest.raises(MayBreakGuidelines):
        services.edit_comment(comment, actor=commenter, body=ATTACK)
    edited = services.edit_comment(
        comment, actor=commenter, body=ATTACK, confirmed=True
    )
    assert edited.state == Comment.State.PENDING


def test_the_same_text_again_within_minutes_is_refused(settings, story, commenter):
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 6
    elsewhere = make_article()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post(story, commenter, "Build the pier.")
    with (
        time_machine.travel(start + timedelta(minutes=5), tick=False),
        pytest.raises(CommentRejected, match="same comment in the last 6 min"),
    ):
        post(elsewhere, commenter, "Build the pier.")
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        assert post(elsewhere, commenter, "Build the pier.").is_visible


def test_an_hourly_cap_stops_a_flood(settings, story, commenter):
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 3
    start = timezone.now()
    for number in range(3):
        with time_machine.travel(start + timedelta(minutes=number), tick=False):
            post(story, commenter, f"Point {number}")
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        pytest.raises(
            PostingTooFast, match="3 comments in the last hour.*wait 30 minutes"
        ),
    ):
        post(story, commenter, "Point 3")
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert post(story, commenter, "Point 3").is_visible


def test_a_readers_first_comments_wait_for_review(settings, story, commenter):
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 2
    first, second, third = (post(story, commenter, f"Point {n}") for n in range(3))
    assert [first.state, second.state, third.state] == ["pending", "pending", "visible"]
    assert first.check_reasons[0]["reason"] == "One of the reader's first 2 comments"


@pytest.mark.parametrize("where", ["site", "section", "story", None])
def test_pre_moderation_site_wide_per_section_per_story(
    settings, commenter, editor, where
):
    section = make_section(slug="politics")
    story = make_article(section=section)
    settings.GAZETTE_PREMODERATE_ALL = where == "site"
    settings.GAZETTE_PREMODERATE_SECTIONS = ["politics"] if where == "section" else []
    if where == "story":
        services.premoderate_discussion(story, actor=editor)
    comment = post(story, commenter)
    assert comment.state == ("visible" if where is None else "pending")


@pytest.mark.parametrize(("rejected", "held"), [(1, False), (2, True)])
def test_readers_often_rejected_lately_are_pre_moderated(
    story, commenter, moderator, rejected, held
):
    for number in range(5):
        comment = post(story, commenter, f"Point {number}")
        if number < rejected:
            services.reject_comment(comment, actor=moderator, reason="off_topic")
        else:
            services.approve_comment(
                services.reject_comment(comment, actor=moderator, reason="spam"),
                actor=moderator,
            )
    # 1 of 5 rejected is 20 %; 2 of 5 is 40 %, past the 30 % default.
    comment = post(story, commenter, "And another")
    assert comment.state == ("pending" if held else "visible")


@pytest.mark.parametrize(("already", "held"), [(2, False), (3, True)])
def test_a_surge_of_comments_pre_moderates_the_story(settings, story, already, held):
    settings.GAZETTE_PREMODERATE_SURGE = (3, 10)
    for number in range(already):
        post(story, make_commenter(), f"Point {number}")
    comment = post(story, make_commenter(), "One more")
    assert comment.state == ("pending" if held else "visible")


def test_a_pre_moderated_reader_waits_a_trusted_one_does_not(
    settings, story, commenter, other_commenter, moderator
):
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 2
    services.set_premoderation(commenter, actor=moderator)
    services.trust_reader(other_commenter, actor=moderator)
    assert post(story, commenter).state == Comment.State.PENDING
    assert post(story, other_commenter).is_visible


def test_a_suspended_reader_is_told_until_when_then_may_post(
    story, commenter, moderator
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.suspend_reader(
            commenter, actor=moderator, reason="personal_attack", duration="1h"
        )
        with pytest.raises(PostingBlocked, match="suspended from the discussion until"):
            post(story, commenter)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert post(story, commenter).is_visible


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GAZETTE_CIVILITY_HOLD", 0.5, None),
        ("GAZETTE_CIVILITY_HOLD", 2, "hold threshold must be a number above 0"),
        ("GAZETTE_CIVILITY_SCORE", "rude", "must be one of attack, offensive"),
        ("GAZETTE_COMMENT_HOURLY_LIMIT", -1, "must not be negative"),
    ],
)
def test_start_up_checks_name_a_wrong_setting(settings, name, value, message):
    from gazette.discussion.checks import moderation_settings

    setattr(settings, name, value)
    errors = moderation_settings(None)
    if message is None:
        assert errors == []
    else:
        [error] = errors
        assert message in error.msg


def test_the_civility_model_loads_once_a_process_not_once_a_comment(settings):
    from gazette.discussion import pipeline

    story = make_article(headline="Harbor plan", slug="harbor-plan-model")
    reader = make_commenter("Ana Pua")
    pipeline._provider.cache_clear()
    pipeline._in_use.clear()
    for number in range(3):
        post(story, reader, f"A civil remark, number {number}")
    assert pipeline._provider.cache_info().misses == 1
