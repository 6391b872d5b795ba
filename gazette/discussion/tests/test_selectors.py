import json
import random
from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from gazette.discussion import selectors, services
from gazette.discussion.models import Comment, Thread
from gazette.discussion.tests.builders import bulk_comments, make_commenter, post
from gazette.newsroom.models import Article
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


def page_of(story, reader=None, **options) -> selectors.CommentPage:
    viewer = selectors.viewer_of(reader)
    return selectors.comment_page(
        selectors.discussion_of(story), viewer=viewer, **options
    )


def bodies(comments) -> list[str]:
    return [comment.body for comment in comments]


def respected_by(comment, count: int) -> None:
    for _ in range(count):
        services.respect_comment(comment, actor=make_commenter())


@pytest.fixture
def three_comments(story, commenter, other_commenter):
    """Oldest has most Respect, the middle one most replies."""
    oldest = post(story, commenter, "Oldest")
    middle = post(story, other_commenter, "Middle")
    newest = post(story, commenter, "Newest")
    respected_by(oldest, 2)
    respected_by(newest, 1)
    post(story, commenter, "Reply one", parent=middle)
    post(story, commenter, "Reply two", parent=middle)
    return oldest, middle, newest


@pytest.mark.parametrize(
    ("sort_key", "order"),
    [
        (None, ["Newest", "Middle", "Oldest"]),
        ("newest", ["Newest", "Middle", "Oldest"]),
        ("oldest", ["Oldest", "Middle", "Newest"]),
        ("reactions", ["Oldest", "Newest", "Middle"]),
        ("replies", ["Middle", "Newest", "Oldest"]),
        ("nonsense", ["Newest", "Middle", "Oldest"]),
    ],
)
def test_readers_sort_the_comments(story, three_comments, sort_key, order):
    page = page_of(story, sort_key=sort_key)
    assert bodies(page.comments) == order
    assert [sort.key for sort in page.sorts] == [
        "newest",
        "oldest",
        "reactions",
        "replies",
    ]


def test_featured_comments_come_first_under_their_own_tab(
    story, three_comments, moderator
):
    oldest, _, _ = three_comments
    services.feature_comment(oldest, actor=moderator)
    page = page_of(story)
    assert page.sort.key == "featured"
    assert bodies(page.comments) == ["Oldest"]
    assert page.sorts[0].label == "Featured"
    assert bodies(page_of(story, sort_key="newest").comments)[0] == "Newest"


@pytest.mark.parametrize("sort_key", ["newest", "oldest", "reactions", "replies"])
def test_load_more_walks_every_comment_once_in_order(
    settings, story, commenter, sort_key
):
    settings.GAZETTE_COMMENT_PAGE_SIZE = 7
    thread = bulk_comments(story, [commenter], 45)
    chance = random.Random(sort_key)
    for comment in Comment.objects.filter(thread=thread):
        # Ties on purpose: many comments share a count.
        comment.reaction_count = chance.randint(0, 3)
        comment.reply_count = chance.randint(0, 2)
        comment.save(update_fields=["reaction_count", "reply_count"])
    sort = selectors.SORTS[sort_key]
    expected = list(
        selectors.ordered(Comment.objects.filter(thread=thread), sort).values_list(
            "pk", flat=True
        )
    )
    seen, after = [], None
    while True:
        page = page_of(story, sort_key=sort_key, after=after)
        seen += [comment.pk for comment in page.comments]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == expected
    assert len(seen) == 45


def test_a_made_up_page_is_not_found(story, commenter):
    post(story, commenter)
    with pytest.raises(Http404):
        page_of(story, after="tomorrow_1")


def test_replies_hang_under_their_comment_up_to_a_setting(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_REPLIES_SHOWN = 3
    top = post(story, commenter, "Top")
    first = post(story, other_commenter, "First reply", parent=top)
    post(story, commenter, "Answer to the first", parent=first)
    for number in range(3):
        post(story, other_commenter, f"Later reply {number}", parent=top)
    [shown] = page_of(story).comments
    assert bodies(shown.shown_replies) == ["First reply", "Later reply 0"]
    assert bodies(shown.shown_replies[0].shown_replies) == ["Answer to the first"]
    assert shown.more_replies == 2


def test_a_deleted_comment_stays_as_a_placeholder_only_when_answered(
    story, commenter, other_commenter
):
    answered = post(story, commenter, "Answered")
    alone = post(story, commenter, "Alone")
    post(story, other_commenter, "An answer", parent=answered)
    for comment in (answered, alone):
        services.delete_comment(comment, actor=commenter)
    [placeholder] = page_of(story).comments
    assert placeholder.pk == answered.pk
    assert placeholder.state == Comment.State.DELETED
    assert bodies(placeholder.shown_replies) == ["An answer"]


def test_a_held_comment_is_shown_only_to_its_author(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_CHECKS = [
        "gazette.discussion.tests.builders.hold_comments_with_links"
    ]
    post(story, commenter, "See http://example.com")
    assert bodies(page_of(story, commenter).comments) == ["See http://example.com"]
    assert page_of(story, other_commenter).comments == []
    assert page_of(story).comments == []


def test_a_muted_readers_comments_leave_the_muters_page(
    story, commenter, other_commenter, third_commenter
):
    answered = post(story, other_commenter, "Muted but answered")
    post(story, other_commenter, "Muted")
    post(story, third_commenter, "Answer", parent=answered)
    services.mute_reader(other_commenter, actor=commenter)
    muted_page = page_of(story, commenter).comments
    assert [(c.body, c.is_muted) for c in muted_page] == [("Muted but answered", True)]
    assert bodies(page_of(story, third_commenter).comments) == [
        "Muted",
        "Muted but answered",
    ]


def test_a_discussion_is_open_until_its_closing_time(settings, story):
    settings.GAZETTE_COMMENTS_CLOSE_AFTER_DAYS = 3
    discussion = selectors.discussion_of(story)
    assert discussion.is_open
    assert discussion.closes_at == story.published_at + timedelta(days=3)
    with time_machine.travel(discussion.closes_at):
        assert selectors.discussion_of(story).is_closed


def test_a_story_without_comments_costs_no_thread(story):
    discussion = selectors.discussion_of(story)
    assert discussion.thread is None
    assert discussion.comment_count == 0
    assert not Thread.objects.exists()


def test_the_conversation_page_pages_through_direct_replies(
    settings, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_PAGE_SIZE = 2
    top = post(story, commenter, "Top")
    replies = [post(story, other_commenter, f"Reply {n}", parent=top) for n in range(3)]
    post(story, commenter, "Deep", parent=replies[1])
    viewer = selectors.viewer_of(None)
    first = selectors.conversation(top, viewer=viewer)
    [root] = first.comments
    assert bodies(root.shown_replies) == ["Reply 0", "Reply 1"]
    assert bodies(root.shown_replies[1].shown_replies) == ["Deep"]
    following = selectors.conversation(top, viewer=viewer, after=first.next_cursor)
    assert bodies(following.comments[0].shown_replies) == ["Reply 2"]
    assert following.next_cursor is None


def test_the_address_of_a_late_reply_shows_it(
    settings, client, story, commenter, other_commenter
):
    settings.GAZETTE_COMMENT_PAGE_SIZE = 2
    top = post(story, commenter, "Top")
    for number in range(4):
        post(story, other_commenter, f"Reply {number}", parent=top)
    late = post(story, commenter, "The late reply", parent=top)
    page = client.get(selectors.address_of(late))
    assert "The late reply" in page.content.decode()


def test_a_readers_overview_marks_replies_new_since_the_last_visit(
    story, commenter, other_commenter
):
    mine = post(story, commenter, "Mine")
    post(story, other_commenter, "First answer", parent=mine)
    overview = selectors.reader_overview(commenter)
    assert overview.new_reply_count == 1
    services.mark_replies_seen(commenter, actor=commenter)
    assert selectors.reader_overview(commenter).new_reply_count == 0
    post(story, other_commenter, "Second answer", parent=mine)
    overview = selectors.reader_overview(commenter)
    assert [(reply.body, reply.is_new) for reply in overview.replies] == [
        ("Second answer", True),
        ("First answer", False),
    ]
    assert overview.visible_count == 1


def test_a_readers_export_holds_everything_and_is_plain_json(
    story, commenter, other_commenter
):
    mine = post(story, commenter, "My view on the harbor")
    theirs = post(make_article(), other_commenter, "Their view")
    services.respect_comment(theirs, actor=commenter)
    services.report_comment(theirs, actor=commenter, reason="other", text="Rude")
    services.mute_reader(other_commenter, actor=commenter)
    services.set_reply_notices(commenter, actor=commenter, enabled=True)
    exported = json.loads(json.dumps(selectors.reader_export(commenter)))
    [comment] = exported["comments"]
    assert comment["text"] == "My view on the harbor"
    assert comment["story"] == "Council weighs harbor plan"
    assert comment["id"] == mine.pk
    assert exported["respect_given"][0]["comment"] == theirs.pk
    assert exported["reports"][0]["text"] == "Rude"
    assert exported["muted_readers"][0]["display_name"] == "Ben Kalani"
    assert exported["settings"]["email_replies"] is True
    assert "discussion.comment.posted" in [a["action"] for a in exported["actions"]]
    assert "Their view" not in json.dumps(exported)


def test_a_story_s_head_is_what_its_discussion_shows_in_one_query(
    story, commenter, django_assert_num_queries
):
    post(story, commenter, "A first word.")
    whole = selectors.discussion_of(selectors.live_article(story.slug))
    with django_assert_num_queries(1):
        head = selectors.live_article_head(story.slug)
        seen = selectors.discussion_of(head)
        assert head.get_absolute_url() == story.get_absolute_url()
    assert (head.pk, head.published_at, head.modified_at) == (
        story.pk,
        story.published_at,
        Article.objects.get(pk=story.pk).modified_at,
    )
    assert (seen.state, seen.closes_at, seen.comment_count) == (
        whole.state,
        whole.closes_at,
        whole.comment_count,
    )
    assert (seen.thread.pk, seen.thread.version, seen.thread.created_at) == (
        whole.thread.pk,
        whole.thread.version,
        whole.thread.created_at,
    )


def test_a_story_s_head_without_a_thread_needs_no_second_query(
    django_assert_num_queries,
):
    story = make_article(slug="quiet-story")
    with django_assert_num_queries(1):
        head = selectors.live_article_head(story.slug)
        assert selectors.discussion_of(head).thread is None


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Article.Status.DRAFT},
        {
            "status": Article.Status.SCHEDULED,
            "published_at": timezone.now() + timedelta(hours=1),
        },
    ],
)
def test_a_story_readers_may_not_see_has_no_head(changes):
    story = make_article(slug="not-yet", **changes)
    with pytest.raises(Http404):
        selectors.live_article_head(story.slug)
    with pytest.raises(Http404):
        selectors.live_article_head("no-such-story")
