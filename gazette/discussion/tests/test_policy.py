"""Staff change the moderation policy in the back office; the checks follow at once."""

import pytest
from django.urls import reverse

from gazette.discussion.errors import PostingTooFast
from gazette.discussion.models import Comment, ModerationPolicy
from gazette.discussion.policy import current_policy
from gazette.discussion.tests.builders import post
from gazette.discussion.tests.test_views import text_of
from gazette.newsroom.models import Section

pytestmark = pytest.mark.django_db

ADD = reverse("admin:discussion_moderationpolicy_add")


def saved(client, **fields) -> object:
    return client.post(ADD, {"premoderate_sections": [], **fields}, follow=True)


def test_without_a_saved_policy_the_environment_decides(settings):
    settings.GAZETTE_CIVILITY_HOLD = 0.45
    settings.GAZETTE_PREMODERATE_SECTIONS = ["sports"]
    policy = current_policy()
    assert policy.civility_hold == 0.45
    assert policy.premoderate_sections == {"sports"}


def test_a_moderator_holds_a_section_and_the_next_comment_waits(
    client, moderator, story, commenter
):
    client.force_login(moderator)
    section = story.section
    response = saved(client, premoderate_sections=[section.pk])
    assert response.status_code == 200
    assert list(ModerationPolicy.objects.get().premoderate_sections.all()) == [section]
    comment = post(story, commenter, "Held by the new policy")
    assert comment.state == Comment.State.PENDING
    assert f"Comments in {section.name} are pre-moderated" in str(comment.check_reasons)


def test_a_saved_limit_applies_to_the_next_comment(settings, story, commenter):
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    ModerationPolicy.objects.create(min_interval_seconds=30)
    post(story, commenter, "First")
    with pytest.raises(PostingTooFast):
        post(story, commenter, "Second, at once")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"civility_hold": "1.5"}, "must be a number above 0 and at most 1"),
        (
            {"civility_hold": "0.9", "civility_reject": "0.5"},
            "must not be above the reject threshold",
        ),
        ({"premoderate_rejection_rate": "2"}, "must be between 0 and 1"),
        ({"hourly_limit": "99999999"}, "must be at most 10,000"),
        ({"reports_to_hide": "0"}, "At least one report"),
    ],
)
def test_an_invalid_policy_is_refused_with_what_is_wrong_and_nothing_changes(
    client, moderator, fields, message
):
    client.force_login(moderator)
    response = saved(client, **fields)
    assert message in text_of(response)
    assert not ModerationPolicy.objects.exists()
    value = next(iter(fields.values()))
    assert f'value="{value}"' in response.content.decode(), "what they typed stays"


def test_there_is_one_policy_and_deleting_it_returns_to_the_defaults(
    client, administrator, settings
):
    client.force_login(administrator)
    saved(client, hourly_limit="5")
    assert current_policy().hourly_limit == 5
    policy = ModerationPolicy.objects.get()
    assert client.get(ADD).status_code == 403
    client.post(
        reverse("admin:discussion_moderationpolicy_delete", args=[policy.pk]),
        {"post": "yes"},
    )
    assert current_policy().hourly_limit == settings.GAZETTE_COMMENT_HOURLY_LIMIT


def test_readers_and_editors_cannot_change_the_policy(client, editor, reader):
    for person in (editor, reader):
        client.force_login(person)
        assert client.get(ADD).status_code in {302, 403}
    assert not ModerationPolicy.objects.exists()


def test_a_section_in_the_policy_adds_to_the_environments(settings):
    settings.GAZETTE_PREMODERATE_SECTIONS = ["sports"]
    business = Section.objects.create(name="Business", slug="business")
    ModerationPolicy.objects.create().premoderate_sections.add(business)
    from gazette.discussion.policy import forget_policy

    forget_policy()
    assert current_policy().premoderate_sections == {"sports", "business"}
