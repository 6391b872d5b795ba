"""What readers see of moderation: "Post anyway", notices, appeals, the report."""

import csv
import io

import pytest
from django.urls import reverse

from gazette.discussion import services
from gazette.discussion.models import Appeal, Comment, Notice, WordListEntry
from gazette.discussion.tests.builders import post
from gazette.discussion.tests.test_views import text_of, textarea_of
from gazette.testing import make_staff

pytestmark = pytest.mark.django_db

ATTACK = "People like you never listen."


def test_the_reader_is_told_the_guideline_and_may_post_anyway(client, story, commenter):
    client.force_login(commenter)
    url = reverse("discussion:post", kwargs={"slug": story.slug})
    warned = client.post(url, {"body": ATTACK})
    assert "may break this guideline: No personal attacks" in text_of(warned)
    assert 'name="confirm" value="1"' in warned.content.decode()
    assert textarea_of(warned) == ATTACK
    assert not Comment.objects.exists()
    client.post(url, {"body": ATTACK, "confirm": "1"})
    assert Comment.objects.get().state == Comment.State.PENDING


def test_a_reader_reads_the_decision_and_appeals_it_once(
    client, story, commenter, other_commenter, moderator
):
    comment = post(story, commenter, "The pier is a waste")
    services.reject_comment(comment, actor=moderator, reason="off_topic")
    notice = Notice.objects.get(reader=commenter)
    client.force_login(other_commenter)
    assert client.get(notice.get_absolute_url()).status_code == 404
    client.force_login(commenter)
    listed = text_of(client.get(reverse("discussion:reader")))
    assert "Comment rejected" in listed
    page = text_of(client.get(notice.get_absolute_url()))
    assert "The guideline applied: Stay on the topic of the story." in page
    assert "Decided by a moderator" in page
    empty = client.post(notice.get_absolute_url(), {"text": " "})
    assert "form-error" in empty.content.decode()
    client.post(notice.get_absolute_url(), {"text": "It was on topic."})
    assert Appeal.objects.get().text == "It was on topic."
    again = text_of(client.get(notice.get_absolute_url()))
    assert "Waiting for a moderator" in again
    assert "Send the appeal" not in again


def test_a_warned_reader_acknowledges_on_their_page_then_may_comment(
    client, story, commenter, moderator
):
    services.warn_reader(commenter, actor=moderator, reason="personal_attack")
    client.force_login(commenter)
    page = text_of(client.get(reverse("discussion:reader")))
    assert "A moderator has warned you" in page
    client.post(reverse("discussion:acknowledge"))
    assert "I have read the warning" not in text_of(
        client.get(reverse("discussion:reader"))
    )
    assert post(story, commenter).is_visible


def test_the_transparency_report_counts_decisions_by_reason_and_actor(
    client, settings, story, commenter, other_commenter, moderator
):
    settings.GAZETTE_PREMODERATE_ALL = True
    first = post(story, commenter, "First")
    second = post(story, other_commenter, "Second")
    services.reject_comment(first, actor=moderator, reason="spam")
    services.approve_comment(second, actor=moderator)
    notice = Notice.objects.get(reader=commenter)
    appeal = services.appeal_decision(notice, actor=commenter, text="Not spam")
    services.resolve_appeal(
        appeal, actor=make_staff("Moderator"), is_upheld=False, outcome="Spam."
    )
    page = client.get("/transparency/")
    assert page.status_code == 200
    assert "0% of 1" in text_of(page)
    rows = list(csv.reader(io.StringIO(client.get("/transparency/?format=csv").text)))
    assert rows[0] == ["month", "action", "reason", "by", "count"]
    body = {tuple(row[1:]) for row in rows[1:]}
    assert ("comment.held", "premoderation", "automated", "2") in body
    assert ("comment.rejected", "spam", "person", "1") in body
    assert ("comment.approved", "", "person", "1") in body
    assert ("appeals.upheld_share", "", "", "0.00") in body


@pytest.mark.parametrize(
    ("entry", "saved"), [("idiot", True), ("*ass", False), ("", False)]
)
def test_staff_edit_the_word_lists_in_the_back_office_with_checks(
    client, moderator, entry, saved
):
    client.force_login(moderator)
    response = client.post(
        reverse("admin:discussion_wordlistentry_add"),
        {"kind": "banned", "entry": entry},
    )
    assert WordListEntry.objects.filter(entry=entry).exists() == saved
    if not saved:
        assert "errorlist" in response.content.decode()
