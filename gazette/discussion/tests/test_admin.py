import pytest
from django.urls import reverse

from gazette.discussion import services
from gazette.discussion.models import AuditEntry, Comment, Thread
from gazette.discussion.tests.builders import make_commenter, post

pytestmark = pytest.mark.django_db

REPORTS = reverse("admin:discussion_report_changelist")
STORY_ERRORS = reverse("admin:discussion_storyerrornote_changelist")


@pytest.fixture
def reported(story, commenter, other_commenter):
    """One comment reported as spam, and a note of an error in the story."""
    comment = post(story, commenter, "Cheap watches here")
    services.report_comment(
        comment, actor=other_commenter, reason="other", text="Advertising"
    )
    services.report_comment(
        comment, actor=make_commenter(), reason="story_error", text="Wrong pier name"
    )
    return comment


def test_moderators_see_reports_but_not_notes_of_story_errors(
    client, moderator, reported
):
    client.force_login(moderator)
    page = client.get(REPORTS).content.decode()
    assert "Advertising" in page
    assert "Cheap watches here" in page
    assert "Wrong pier name" not in page
    assert client.get(STORY_ERRORS).status_code == 403


def test_editors_see_notes_of_errors_in_their_stories(client, editor, reported):
    client.force_login(editor)
    page = client.get(STORY_ERRORS).content.decode()
    assert "Wrong pier name" in page
    assert "Council weighs harbor plan" in page
    assert client.get(REPORTS).status_code == 403


def test_readers_do_not_reach_the_reports(client, commenter, reported):
    client.force_login(commenter)
    response = client.get(REPORTS)
    assert response.status_code == 302
    assert response["Location"].startswith("/newsroom/login/")


def test_a_moderator_features_a_comment_from_the_back_office(
    client, moderator, story, commenter
):
    comment = post(story, commenter)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:discussion_comment_changelist"),
        {"action": "feature", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "Comments featured: 1." in response.content.decode()
    assert Comment.objects.get().is_featured
    assert AuditEntry.objects.filter(
        action="discussion.comment.featured", actor=moderator
    ).exists()


def test_an_editor_closes_a_discussion_from_the_back_office(
    client, editor, story, commenter
):
    post(story, commenter)
    client.force_login(editor)
    client.post(
        reverse("admin:discussion_thread_changelist"),
        {"action": "close_discussions", "_selected_action": [story.thread.pk]},
    )
    assert Thread.objects.get().state == Thread.State.CLOSED


def test_no_one_changes_comments_by_hand_in_the_back_office(
    client, administrator, story, commenter
):
    comment = post(story, commenter)
    client.force_login(administrator)
    change = reverse("admin:discussion_comment_change", args=[comment.pk])
    page = client.get(change).content.decode()
    assert 'name="body"' not in page
    assert client.get(reverse("admin:discussion_comment_add")).status_code == 403
