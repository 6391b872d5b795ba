from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gazette.accounts.selectors import commenting_block
from gazette.discussion import services
from gazette.discussion.errors import (
    CommentRejected,
    DuplicateComment,
    MuteRefused,
    PostingBlocked,
    ReactionRefused,
    ReportRefused,
)
from gazette.discussion.models import (
    AuditEntry,
    Comment,
    Mute,
    Reaction,
    ReaderSettings,
    Report,
    Thread,
)
from gazette.discussion.tests.builders import (
    assert_counts_are_true,
    make_commenter,
    post,
)
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


def subject_of(message) -> str:
    """The subject as a mail client shows it (long encoded subjects are folded)."""
    return " ".join(str(message["Subject"]).split())


def actions_on(target) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=target.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Posting ---------------------------------------------------------------------------


def test_a_posted_comment_is_visible_rendered_counted_and_audited(story, commenter):
    comment = post(story, commenter, "Read https://example.com first.\n\nThen vote.")
    assert comment.state == Comment.State.VISIBLE
    assert comment.body_html == (
        '<p>Read <a href="https://example.com" rel="nofollow ugc noopener">'
        "https://example.com</a> first.</p><p>Then vote.</p>"
    )
    assert Thread.objects.get(article=story).comment_count == 1
    entry = AuditEntry.objects.get(action="discussion.comment.posted")
    assert (entry.actor, entry.target) == (commenter, comment)


@pytest.mark.parametrize(
    "who",
    ["commenter", "anonymous", "unverified", "terms_not_accepted", "closed_account"],
)
def test_only_readers_the_accounts_app_allows_may_post(story, commenter, who):
    reader = {
        "commenter": lambda: commenter,
        "anonymous": AnonymousUser,
        "unverified": lambda: make_commenter(email_verified_at=None),
        "terms_not_accepted": lambda: make_commenter(accepts_terms=False),
        "closed_account": lambda: make_commenter(is_active=False),
    }[who]()
    if who == "commenter":
        assert post(story, reader).is_visible
        return
    with pytest.raises(PostingBlocked) as refusal:
        post(story, reader)
    assert refusal.value.message == commenting_block(reader).message
    assert refusal.value.block.action_url
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (None, None),
        ("closed", "Comments on this story are closed."),
        ("hidden", "Comments are not available on this story."),
    ],
)
def test_comments_go_only_to_open_stories(story, commenter, editor, state, message):
    if state == "closed":
        services.close_discussion(story, actor=editor)
    elif state == "hidden":
        services.hide_discussion(story, actor=editor)
    if message is None:
        assert post(story, commenter).is_visible
        return
    with pytest.raises(CommentRejected, match=message):
        post(story, commenter)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("days_later", "is_open"), [(13.9, True), (14.1, False)])
def test_stories_close_by_themselves_days_after_publication(
    story, commenter, days_later, is_open
):
    with time_machine.travel(story.published_at + timedelta(days=days_later)):
        if is_open:
            assert post(story, commenter).is_visible
        else:
            with pytest.raises(CommentRejected, match="closed"):
                post(story, commenter)


def test_the_closing_days_are_read_when_used(settings, story, commenter):
    settings.GAZETTE_COMMENTS_CLOSE_AFTER_DAYS = 0
    with pytest.raises(CommentRejected, match="closed"):
        post(story, commenter)


def test_an_editor_reopens_a_closed_story_for_the_usual_days(story, commenter, editor):
    with time_machine.travel(story.published_at + timedelta(days=20)):
        services.open_discussion(story, actor=editor)
        assert post(story, commenter).is_visible
    later = story.published_at + timedelta(days=35)
    with time_machine.travel(later), pytest.raises(CommentRejected, match="closed"):
        post(story, commenter, "Later")


def test_readers_cannot_open_close_or_hide_a_discussion(story, commenter):
    for change in (
        services.open_discussion,
        services.close_discussion,
        services.hide_discussion,
    ):
        with pytest.raises(PermissionDenied):
            change(story, actor=commenter)


def test_replies_thread_three_levels_then_name_whom_they_answer(
    story, commenter, other_commenter
):
    top = post(story, commenter, "Top")
    reply = post(story, other_commenter, "Level two", parent=top)
    deeper = post(story, commenter, "Level three", parent=reply)
    deepest = post(story, other_commenter, "Still level three", parent=deeper)
    assert [c.depth for c in (top, reply, deeper, deepest)] == [0, 1, 2, 2]
    assert deepest.parent == reply
    assert deepest.reply_to == deeper
    assert {c.root for c in (reply, deeper, deepest)} == {top}
    assert_counts_are_true(top.thread)
    top.refresh_from_db()
    assert top.reply_count == 3


@pytest.mark.parametrize(
    ("what_happened", "message"),
    [
        (None, None),
        ("deleted", "That comment has been deleted, so it can no longer be answered."),
        ("held", "That comment is not on the page at the moment"),
    ],
)
def test_replies_answer_only_comments_on_the_page(
    settings, story, commenter, other_commenter, what_happened, message
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 1
    parent = post(story, commenter)
    if what_happened == "deleted":
        services.delete_comment(parent, actor=commenter)
    elif what_happened == "held":
        services.report_comment(parent, actor=other_commenter, reason="spam")
    if message is None:
        assert post(story, other_commenter, parent=parent).parent == parent
        return
    with pytest.raises(CommentRejected, match=message):
        post(story, other_commenter, parent=parent)
    assert Comment.objects.count() == 1


def test_a_reply_must_be_under_the_same_story(story, commenter, other_commenter):
    elsewhere = post(make_article(), commenter)
    with pytest.raises(CommentRejected, match="under another story"):
        post(story, other_commenter, parent=elsewhere)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   \n ", "Please write your comment first."),
        ("x" * 3001, "3,001 characters long; the limit is 3,000"),
        ("zero\u200bwidth", "invisible character"),
        ("bell\x07", "invisible character"),
    ],
)
def test_text_rules_refuse_with_a_message_and_store_nothing(
    story, commenter, body, message
):
    with pytest.raises(CommentRejected, match=message):
        post(story, commenter, body)
    assert not Comment.objects.exists()


def test_the_length_limit_is_a_setting(settings, story, commenter):
    settings.GAZETTE_COMMENT_MAX_LENGTH = 10
    assert post(story, commenter, "0123456789").is_visible
    with pytest.raises(CommentRejected, match="11 characters long; the limit is 10"):
        post(story, commenter, "0123456789X")


def test_a_double_submit_stores_the_comment_once(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 30
    first = post(story, commenter, "Same words")
    with pytest.raises(DuplicateComment, match="already posted") as duplicate:
        post(story, commenter, "  Same words \n")
    assert duplicate.value.comment == first
    assert post(story, other_commenter, "Same words").is_visible
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    assert post(story, commenter, "Same words", parent=first).is_visible
    assert Comment.objects.filter(author=commenter).count() == 2


@pytest.mark.parametrize(
    ("account_age", "seconds_later", "allowed"),
    [
        (timedelta(days=2), 2, False),
        (timedelta(days=2), 3, True),
        (timedelta(hours=2), 10, False),
        (timedelta(hours=2), 31, True),
    ],
)
def test_a_reader_waits_between_comments_longer_when_new(
    settings, story, account_age, seconds_later, allowed
):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 3
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 30
    start = timezone.now()
    reader = make_commenter(date_joined=start - account_age)
    with time_machine.travel(start, tick=False):
        post(story, reader, "First")
    with time_machine.travel(start + timedelta(seconds=seconds_later), tick=False):
        if allowed:
            assert post(story, reader, "Second").is_visible
        else:
            with pytest.raises(CommentRejected, match="Please wait .* and post again"):
                post(story, reader, "Second")
            assert Comment.objects.count() == 1


def test_held_comments_wait_for_review_with_the_checks_reasons(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_CHECKS = [
        "gazette.discussion.tests.builders.hold_comments_with_links"
    ]
    top = post(story, other_commenter, "No links here")
    held = post(story, commenter, "Buy at http://spam.example", parent=top)
    assert held.state == Comment.State.PENDING
    assert held.check_reasons == [
        {
            "check": "links",
            "reason": "The comment has a link",
            "score": 0.7,
            "holds": True,
            "matches": [],
        }
    ]
    assert held.risk_score == 0.7
    posted = AuditEntry.objects.get(target_id=held.pk, action__endswith="posted")
    assert posted.reasons == ["The comment has a link"]
    automod = AuditEntry.objects.get(target_id=held.pk, action__endswith="held")
    assert (automod.actor_label, automod.reasons) == ("automod", ["links"])
    assert_counts_are_true(held.thread)


# Editing and deleting -----------------------------------------------------------


@pytest.mark.parametrize(("minutes_later", "allowed"), [(9, True), (11, False)])
def test_authors_edit_within_the_window(story, commenter, minutes_later, allowed):
    comment = post(story, commenter, "Teh harbor")
    with time_machine.travel(comment.created_at + timedelta(minutes=minutes_later)):
        if allowed:
            edited = services.edit_comment(comment, actor=commenter, body="The harbor")
            assert (edited.body, edited.body_html) == (
                "The harbor",
                "<p>The harbor</p>",
            )
            assert edited.is_edited
        else:
            with pytest.raises(CommentRejected, match="edited for 10 minutes"):
                services.edit_comment(comment, actor=commenter, body="The harbor")
    assert actions_on(comment)[-1] == (
        "discussion.comment.edited" if allowed else "discussion.comment.posted"
    )


def test_the_edit_window_is_a_setting(settings, story, commenter):
    settings.GAZETTE_COMMENT_EDIT_MINUTES = 1
    comment = post(story, commenter)
    later = comment.created_at + timedelta(minutes=2)
    with (
        time_machine.travel(later),
        pytest.raises(CommentRejected, match="edited for 1 minutes"),
    ):
        services.edit_comment(comment, actor=commenter, body="Changed")


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_only_the_author_edits_or_deletes(story, commenter, other_commenter, change):
    comment = post(story, commenter)
    with pytest.raises(CommentRejected, match=f"only {change} your own"):
        if change == "edit":
            services.edit_comment(comment, actor=other_commenter, body="Mine now")
        else:
            services.delete_comment(comment, actor=other_commenter)
    comment.refresh_from_db()
    assert comment.is_visible


def test_a_comment_held_after_reports_cannot_be_edited(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 1
    comment = post(story, commenter, "Rude words")
    services.report_comment(comment, actor=other_commenter, reason="offensive")
    with pytest.raises(CommentRejected, match="waiting for a moderator"):
        services.edit_comment(comment, actor=commenter, body="Nice words")


def test_an_unchanged_edit_is_not_marked_edited(story, commenter):
    comment = post(story, commenter, "Same")
    assert not services.edit_comment(comment, actor=commenter, body="Same ").is_edited


def test_deleting_keeps_the_replies_and_drops_the_text(
    story, commenter, other_commenter
):
    top = post(story, commenter, "Something I regret")
    post(story, other_commenter, "An answer", parent=top)
    deleted = services.delete_comment(top, actor=commenter)
    assert deleted.state == Comment.State.DELETED
    assert (deleted.body, deleted.body_html) == ("", "")
    assert_counts_are_true(top.thread)
    assert Thread.objects.get().comment_count == 1
    with pytest.raises(CommentRejected, match="already been deleted"):
        services.delete_comment(top, actor=commenter)
    with pytest.raises(CommentRejected, match="can no longer be edited"):
        services.edit_comment(top, actor=commenter, body="Back")


# Respect -----------------------------------------------------------------------------


def test_respect_is_one_per_reader_and_can_be_taken_back(
    story, commenter, other_commenter, third_commenter
):
    comment = post(story, commenter)
    assert services.respect_comment(comment, actor=other_commenter).reaction_count == 1
    assert services.respect_comment(comment, actor=third_commenter).reaction_count == 2
    with pytest.raises(ReactionRefused, match="already given this comment"):
        services.respect_comment(comment, actor=other_commenter)
    assert services.withdraw_respect(comment, actor=other_commenter).reaction_count == 1
    with pytest.raises(ReactionRefused, match="have not given"):
        services.withdraw_respect(comment, actor=other_commenter)
    assert_counts_are_true(comment.thread)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("other_commenter", None),
        ("commenter", "You cannot give your own comment Respect."),
        ("unverified", "Confirm your email address"),
    ],
)
def test_who_may_give_respect(request, story, commenter, who, message):
    reader = (
        make_commenter(email_verified_at=None)
        if who == "unverified"
        else request.getfixturevalue(who)
    )
    comment = post(story, commenter)
    if message is None:
        assert services.respect_comment(comment, actor=reader).reaction_count == 1
        return
    with pytest.raises(ReactionRefused, match=message):
        services.respect_comment(comment, actor=reader)
    assert not Reaction.objects.exists()


def test_no_respect_for_a_deleted_comment(story, commenter, other_commenter):
    comment = post(story, commenter)
    services.delete_comment(comment, actor=commenter)
    with pytest.raises(ReactionRefused, match="no longer on the page"):
        services.respect_comment(comment, actor=other_commenter)


# Reports -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "text", "message"),
    [
        ("spam", "", None),
        ("other", "It doxxes someone", None),
        ("other", "  ", "Please say what is wrong with this comment."),
        ("story_error", "", "Please describe the error in the story."),
        ("rude", "", "Please choose why you are reporting this comment."),
        ("off_topic", "x" * 1001, "Your note is 1,001 characters long"),
    ],
)
def test_a_report_needs_a_reason_and_for_other_a_note(
    story, commenter, other_commenter, reason, text, message
):
    comment = post(story, commenter)
    if message is None:
        report = services.report_comment(
            comment, actor=other_commenter, reason=reason, text=text
        )
        assert (report.reason, report.status) == (reason, Report.Status.OPEN)
        return
    with pytest.raises(ReportRefused, match=message):
        services.report_comment(
            comment, actor=other_commenter, reason=reason, text=text
        )
    assert not Report.objects.exists()


def test_a_reader_reports_a_comment_once_and_never_their_own(
    story, commenter, other_commenter
):
    comment = post(story, commenter)
    services.report_comment(comment, actor=other_commenter, reason="spam")
    with pytest.raises(ReportRefused, match="already reported this comment"):
        services.report_comment(comment, actor=other_commenter, reason="off_topic")
    with pytest.raises(ReportRefused, match="cannot report your own comment"):
        services.report_comment(comment, actor=commenter, reason="spam")
    with pytest.raises(ReportRefused, match="Please sign in"):
        services.report_comment(comment, actor=AnonymousUser(), reason="spam")
    assert Report.objects.count() == 1


@pytest.mark.parametrize(("readers", "is_held"), [(2, False), (3, True)])
def test_a_comment_reported_by_enough_readers_waits_for_review(
    story, commenter, readers, is_held
):
    comment = post(story, commenter)
    for _ in range(readers):
        services.report_comment(comment, actor=make_commenter(), reason="spam")
    comment.refresh_from_db()
    assert comment.state == (
        Comment.State.PENDING if is_held else Comment.State.VISIBLE
    )
    assert_counts_are_true(comment.thread)
    if is_held:
        held = AuditEntry.objects.get(action="discussion.comment.held")
        assert (held.actor, held.actor_name) == (None, "automod")
        assert held.reasons == ["Reported by 3 readers"]
        assert comment.check_reasons[-1]["reason"] == "Reported by 3 readers"


def test_notes_of_story_errors_do_not_hide_a_comment(settings, story, commenter):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 1
    comment = post(story, commenter)
    services.report_comment(
        comment, actor=make_commenter(), reason="story_error", text="Wrong date"
    )
    comment.refresh_from_db()
    assert comment.is_visible


def test_a_note_of_a_story_error_is_mailed_to_the_editors_not_moderators(
    story, commenter, other_commenter, editor, moderator, mailbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    comment = post(story, commenter)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_comment(
            comment,
            actor=other_commenter,
            reason="story_error",
            text="The vote was on Tuesday, not Monday.",
        )
    [message] = mailbox.wait_for(editor.email)
    assert subject_of(message) == (
        "A reader notes an error in “Council weighs harbor plan”"
    )
    text = message.get_content()
    assert "The vote was on Tuesday, not Monday." in text
    assert "From: Ben Kalani" in text
    assert not mailbox.to(moderator.email)


# Featuring, muting ---------------------------------------------------------------


def test_moderators_feature_comments_readers_cannot(story, commenter, moderator):
    comment = post(story, commenter)
    with pytest.raises(PermissionDenied):
        services.feature_comment(comment, actor=commenter)
    assert services.feature_comment(comment, actor=moderator).is_featured
    assert actions_on(comment)[-1] == "discussion.comment.featured"


def test_a_reader_mutes_and_unmutes_another(commenter, other_commenter):
    services.mute_reader(other_commenter, actor=commenter)
    with pytest.raises(MuteRefused, match="already muted Ben Kalani"):
        services.mute_reader(other_commenter, actor=commenter)
    with pytest.raises(MuteRefused, match="cannot mute yourself"):
        services.mute_reader(commenter, actor=commenter)
    services.unmute_reader(other_commenter, actor=commenter)
    with pytest.raises(MuteRefused, match="have not muted Ben Kalani"):
        services.unmute_reader(other_commenter, actor=commenter)
    assert not Mute.objects.exists()


# Reply notices -------------------------------------------------------------------


def reply_with_mail(story, answered_by, replier, django_capture_on_commit_callbacks):
    top = post(story, answered_by, "What about the reef?")
    with django_capture_on_commit_callbacks(execute=True):
        return post(story, replier, "The reef is covered in section 4.", parent=top)


def test_a_reader_who_asked_is_mailed_replies_with_a_one_click_unsubscribe(
    client, story, commenter, other_commenter, mailbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    services.set_reply_notices(commenter, actor=commenter, enabled=True)
    reply = reply_with_mail(
        story, commenter, other_commenter, django_capture_on_commit_callbacks
    )
    [message] = mailbox.wait_for(commenter.email)
    assert subject_of(message) == (
        "Ben Kalani replied to your comment on “Council weighs harbor plan”"
    )
    text = message.get_content()
    assert "The reef is covered in section 4." in text
    assert f"http://127.0.0.1:8000/discussion/comment/{reply.root_id}/" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe in text
    response = client.post(
        unsubscribe.removeprefix("http://127.0.0.1:8000"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert not ReaderSettings.objects.get(reader=commenter).email_replies
    assert "discussion.reply_notices.stopped" in actions_on(
        ReaderSettings.objects.get(reader=commenter)
    )


@pytest.mark.parametrize("why_not", ["not_asked", "muted_the_replier", "self_reply"])
def test_no_reply_mail_unless_asked_and_wanted(
    story, commenter, other_commenter, mailbox, django_capture_on_commit_callbacks,
    why_not,
):  # fmt: skip
    if why_not != "not_asked":
        services.set_reply_notices(commenter, actor=commenter, enabled=True)
    if why_not == "muted_the_replier":
        services.mute_reader(other_commenter, actor=commenter)
    replier = commenter if why_not == "self_reply" else other_commenter
    reply = reply_with_mail(
        story, commenter, replier, django_capture_on_commit_callbacks
    )
    assert not services.send_reply_notice(reply)
    assert not mailbox.to(commenter.email)


# A reader's data -----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["remove", "anonymise"])
def test_erasing_a_reader_leaves_the_conversation_readable(
    story, commenter, other_commenter, mode
):
    mine = post(story, commenter, "My words")
    answer = post(story, other_commenter, "An answer", parent=mine)
    alone = post(story, commenter, "Nobody answered")
    services.respect_comment(answer, actor=commenter)
    services.report_comment(answer, actor=commenter, reason="off_topic")
    services.mute_reader(other_commenter, actor=commenter)
    services.mute_reader(commenter, actor=other_commenter)
    services.set_reply_notices(commenter, actor=commenter, enabled=True)

    assert services.erase_reader_comments(commenter, mode=mode) == 2

    for comment in (mine, alone):
        comment.refresh_from_db()
        assert comment.author is None
        if mode == "remove":
            assert comment.state == Comment.State.DELETED
            assert comment.body == ""
        else:
            assert comment.is_visible
    assert mine.body == ("" if mode == "remove" else "My words")
    assert not Reaction.objects.exists()
    assert not Report.objects.exists()
    assert not Mute.objects.exists()
    assert not ReaderSettings.objects.exists()
    assert_counts_are_true(mine.thread)
    assert AuditEntry.objects.get(action="discussion.reader.erased").reasons == [
        mode,
        "2 comments",
    ]


def test_erasing_needs_a_known_mode(commenter):
    with pytest.raises(ValueError, match="remove, anonymise"):
        services.erase_reader_comments(commenter, mode="shred")


def test_counts_stay_true_through_a_busy_discussion(
    settings, story, commenter, other_commenter, third_commenter
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 2
    top = post(story, commenter, "Top")
    second = post(story, other_commenter, "Second", parent=top)
    third = post(story, third_commenter, "Third", parent=second)
    post(story, commenter, "Fourth", parent=third)
    services.respect_comment(top, actor=other_commenter)
    services.respect_comment(second, actor=third_commenter)
    services.delete_comment(third, actor=third_commenter)
    for reader in (commenter, third_commenter):
        services.report_comment(second, actor=reader, reason="off_topic")
    services.withdraw_respect(top, actor=other_commenter)
    services.erase_reader_comments(commenter, mode="remove")
    assert_counts_are_true(top.thread)
    assert Thread.objects.get().comment_count == 0
