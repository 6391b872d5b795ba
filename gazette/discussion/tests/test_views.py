import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gazette.discussion import services
from gazette.discussion.models import AuditEntry, Comment, ReaderSettings, Report
from gazette.discussion.notices import unsubscribe_token
from gazette.discussion.tests.builders import bulk_comments, make_commenter, post
from gazette.testing import make_article, make_section

pytestmark = pytest.mark.django_db

STORY_URL = "/story/harbor-plan/"
HTMX = {
    "HTTP_HX_REQUEST": "true",
    "HTTP_HX_CURRENT_URL": f"http://testserver{STORY_URL}",
}


def text_of(response) -> str:
    """The page as a reader reads it: tags dropped, entities decoded, spaces joined."""
    without_tags = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def textarea_of(response, field_id: str = "comment-body") -> str:
    match = re.search(
        rf'<textarea id="{field_id}"[^>]*>(.*?)</textarea>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no textarea {field_id}"
    return html.unescape(match.group(1))


def post_url(story) -> str:
    return reverse("discussion:post", kwargs={"slug": story.slug})


# The story page -------------------------------------------------------------------


def test_the_policy_stands_above_the_comment_box_and_the_comments(
    client, story, commenter, other_commenter
):
    post(story, other_commenter, "The harbor needs dredging.")
    client.force_login(commenter)
    page = client.get(STORY_URL).content.decode()
    policy = page.index("By participating in online discussions")
    box = page.index('<textarea id="comment-body"')
    comment = page.index("The harbor needs dredging.")
    assert policy < box < comment
    for link in ("/about/terms/", "/about/guidelines/", "/about/help/"):
        assert f'href="{link}"' in page[page.index('class="comment-policy"') :]


def test_the_story_page_counts_and_shows_the_comments(client, story, commenter):
    top = post(story, commenter, "First!")
    post(story, make_commenter("Dee Lani"), "Second", parent=top)
    text = text_of(client.get(STORY_URL))
    assert "2 comments" in text
    assert "Ana Pua" in text
    assert "First!" in text
    assert "Dee Lani" in text


@pytest.mark.parametrize(
    ("who", "shown", "link"),
    [
        ("anonymous", "Sign in to join the discussion.", "Sign in or create"),
        ("unverified", "Confirm your email address to comment", "Send the link again"),
        ("new_terms", "Read and accept the new version to comment", "Read and accept"),
    ],
)
def test_readers_who_may_not_post_see_why_in_place_of_the_box(
    client, story, who, shown, link
):
    if who == "unverified":
        client.force_login(make_commenter(email_verified_at=None))
    elif who == "new_terms":
        client.force_login(make_commenter(accepts_terms=False))
    response = client.get(STORY_URL)
    text = text_of(response)
    assert shown in text
    assert link in text
    assert '<textarea id="comment-body"' not in response.content.decode()


def test_staff_comments_carry_a_badge_and_erased_readers_a_plain_name(client, story):
    post(story, make_commenter("Lani Desk", is_staff=True), "From the desk")
    gone = make_commenter("Gone Reader")
    post(story, gone, "I was here")
    services.erase_reader_comments(gone, mode="anonymise")
    text = text_of(client.get(STORY_URL))
    assert "Lani Desk Staff" in text
    assert "Former reader" in text
    assert "Gone Reader" not in text


@pytest.mark.parametrize(
    ("state", "notice", "has_box", "shows_comments"),
    [
        ("open", None, True, True),
        ("closed", "Comments on this story are closed. You can", False, True),
        ("hidden", "Comments are not available on this story.", False, False),
    ],
)  # fmt: skip
def test_a_story_is_open_closed_or_hidden(
    client, story, commenter, editor, state, notice, has_box, shows_comments
):
    post(story, commenter, "An early thought")
    if state == "closed":
        services.close_discussion(story, actor=editor)
    elif state == "hidden":
        services.hide_discussion(story, actor=editor)
    client.force_login(commenter)
    response = client.get(STORY_URL)
    text = text_of(response)
    assert (notice in text) if notice else ("closed" not in text)
    assert ('<textarea id="comment-body"' in response.content.decode()) == has_box
    assert ("An early thought" in text) == shows_comments


def test_fronts_show_each_storys_comment_count(client, story, commenter):
    post(story, commenter)
    post(story, commenter, "Another")
    sports = make_section(name="Sports")
    make_article(section=sports, headline="Quiet game")
    text = text_of(client.get("/"))
    assert "2 comments on Council weighs harbor plan" in text
    assert "comment on Quiet game" not in text
    assert "2 comments" in text_of(client.get(story.section.get_absolute_url()))


# Posting without JavaScript -----------------------------------------------------


def test_a_posted_comment_is_shown_in_place_with_a_notice(client, story, commenter):
    client.force_login(commenter)
    response = client.post(post_url(story), {"body": "Dredge it.", "next": STORY_URL})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{STORY_URL}?sort=newest#comment-{comment.pk}"
    page = client.get(response["Location"])
    text = text_of(page)
    assert "Your comment is posted." in text
    assert f'id="comment-{comment.pk}"' in page.content.decode()
    assert "Dredge it." in text


def test_a_held_comment_is_announced_as_awaiting_review(
    settings, client, story, commenter
):
    settings.GAZETTE_COMMENT_CHECKS = [
        "gazette.discussion.tests.builders.hold_comments_with_links"
    ]
    client.force_login(commenter)
    response = client.post(
        post_url(story), {"body": "Read http://x.example"}, follow=True
    )
    text = text_of(response)
    assert "Your comment is awaiting review" in text
    assert "Awaiting review: only you can see this comment" in text


BAD_INPUT = [
    ("", "Please write your comment first."),
    ("   \n\n  ", "Please write your comment first."),
    ("x" * 3001, "Your comment is 3,001 characters long; the limit is 3,000."),
    ("Hello\u200bthere", "invisible character (U+200B Zero Width Space)"),
    ("Ring\x07", "invisible character (U+0007, a control character)"),
    ("<b>Bold</b> & \u202eevil", "U+202E Right-To-Left Override"),
]


@pytest.mark.parametrize(("body", "message"), BAD_INPUT)
@pytest.mark.parametrize("with_htmx", [False, True])
def test_bad_text_comes_back_with_a_message_and_as_typed(
    client, story, commenter, body, message, with_htmx
):
    client.force_login(commenter)
    headers = HTMX if with_htmx else {}
    response = client.post(post_url(story), {"body": body}, **headers)
    assert response.status_code == 200
    assert message in text_of(response)
    assert textarea_of(response) == body
    assert ('role="alert"' in response.content.decode()) is True
    assert ("<html" in response.content.decode()) is not with_htmx
    assert not Comment.objects.exists()


def test_a_double_clicked_submit_posts_once(client, story, commenter):
    client.force_login(commenter)
    first = client.post(post_url(story), {"body": "Only once"})
    second = client.post(post_url(story), {"body": "Only once"}, follow=True)
    assert first.status_code == 302
    assert "You have already posted this comment." in text_of(second)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("with_htmx", [False, True])
def test_a_stale_form_keeps_the_text_and_says_so(story, commenter, with_htmx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commenter)
    client.get(STORY_URL)
    headers = HTMX if with_htmx else {}
    response = client.post(
        post_url(story),
        {"body": "Words I typed for ages", "csrfmiddlewaretoken": "stale" * 8},
        **headers,
    )
    assert response.status_code == 403
    assert "Your session had expired, so nothing was sent." in text_of(response)
    assert textarea_of(response) == "Words I typed for ages"
    assert not Comment.objects.exists()


def test_other_forms_refused_for_csrf_get_the_sites_own_page(client, editor):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/newsroom/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form was not sent" in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("closed", "Comments on this story are closed."),
        ("hidden", "Comments are not available on this story."),
    ],
)
def test_posting_to_a_closed_or_hidden_story_is_refused(
    client, story, commenter, editor, state, message
):
    change = (
        services.close_discussion if state == "closed" else services.hide_discussion
    )
    change(story, actor=editor)
    client.force_login(commenter)
    response = client.post(post_url(story), {"body": "Too late?"})
    assert message in text_of(response)
    assert textarea_of(response) == "Too late?"
    assert not Comment.objects.exists()


def test_posting_to_a_missing_story_is_not_found(client, commenter):
    client.force_login(commenter)
    response = client.post("/discussion/story/no-such-story/post/", {"body": "Hi"})
    assert response.status_code == 404
    assert "We can’t find that page" in text_of(response)


# With htmx -------------------------------------------------------------------------


def test_htmx_posts_put_the_comment_on_the_page_and_clear_the_box(
    client, story, commenter
):
    client.force_login(commenter)
    response = client.post(post_url(story), {"body": "Quick thought"}, **HTMX)
    page = response.content.decode()
    comment = Comment.objects.get()
    assert "<html" not in page
    assert "Your comment is posted." in text_of(response)
    assert textarea_of(response) == ""
    assert 'hx-swap-oob="afterbegin:#comments-list"' in page
    assert f'id="comment-{comment.pk}"' in page


def test_htmx_load_more_brings_the_next_comments(settings, client, story, commenter):
    settings.GAZETTE_COMMENT_PAGE_SIZE = 3
    bulk_comments(story, [commenter], 7)
    first = client.get(STORY_URL).content.decode()
    more = re.search(r'hx-get="([^"]+after=[^"]+)"', first).group(1)
    response = client.get(html.unescape(more), **HTMX)
    text = text_of(response)
    assert "<html" not in response.content.decode()
    assert [n for n in range(7) if f"Comment {n}" in text] == [1, 2, 3]
    assert "Load more comments" in text
    plain = client.get(html.unescape(more))
    assert "More comments" in text_of(plain)
    assert "Comment 3" in text_of(plain)


def test_htmx_sort_tabs_swap_the_list(client, story, commenter):
    post(story, commenter, "Older")
    post(story, commenter, "Newer")
    list_url = reverse("discussion:comments", kwargs={"slug": story.slug})
    response = client.get(list_url, {"sort": "oldest"}, **HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<div class="comments" id="comments-region">')
    assert text_of(response).index("Older") < text_of(response).index("Newer")
    assert 'aria-current="true">Oldest<' in page


@pytest.mark.parametrize(
    "cursor", ["99999999999999999999_1", "-99999999999999999999_1", "soon_1", "1"]
)
def test_a_cursor_out_of_any_range_is_no_such_page(client, story, commenter, cursor):
    post(story, commenter, "Older")
    list_url = reverse("discussion:comments", kwargs={"slug": story.slug})
    response = client.get(list_url, {"sort": "newest", "after": cursor})
    assert response.status_code == 404


# Replies -----------------------------------------------------------------------------


def test_replying_without_javascript_returns_to_the_reply(
    client, story, commenter, other_commenter
):
    top = post(story, other_commenter, "What of the reef?")
    client.force_login(commenter)
    reply_url = reverse("discussion:reply", kwargs={"pk": top.pk})
    form = client.get(reply_url, {"next": STORY_URL})
    assert "Your reply to Ben Kalani" in text_of(form)
    assert "What of the reef?" in text_of(form)
    response = client.post(
        reply_url, {"body": "Section 4 covers it.", "next": STORY_URL}
    )
    reply = Comment.objects.get(parent=top)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    page = client.get(response["Location"])
    assert "Section 4 covers it." in text_of(page)
    assert "Your comment is posted." in text_of(page)


def test_replying_with_htmx_shows_the_reply_under_the_comment(
    client, story, commenter, other_commenter
):
    top = post(story, other_commenter, "Top")
    client.force_login(commenter)
    reply_url = reverse("discussion:reply", kwargs={"pk": top.pk})
    form = client.get(reply_url, **HTMX)
    assert form.content.decode().startswith(
        '<form class="comment-form comment-form--reply"'
    )
    response = client.post(reply_url, {"body": "An answer"}, **HTMX)
    page = response.content.decode()
    assert "<html" not in page
    assert "Your comment is posted." in text_of(response)
    assert f'<ol hx-swap-oob="beforeend:#replies-{top.pk}">' in page
    assert "An answer" in text_of(response)


def test_a_reply_below_the_deepest_level_joins_it_naming_whom_it_answers(
    client, story, commenter, other_commenter
):
    top = post(story, other_commenter, "Top")
    second = post(story, commenter, "Second", parent=top)
    third = post(story, other_commenter, "Third", parent=second)
    client.force_login(commenter)
    reply_url = reverse("discussion:reply", kwargs={"pk": third.pk})
    response = client.post(reply_url, {"body": "Fourth"}, **HTMX)
    assert f'<ol hx-swap-oob="beforeend:#replies-{second.pk}">' in (
        response.content.decode()
    )
    assert "In reply to Ben Kalani" in text_of(response)


def test_a_reply_to_a_deleted_comment_is_refused_keeping_the_text(
    client, story, commenter, other_commenter
):
    top = post(story, other_commenter, "Soon gone")
    services.delete_comment(top, actor=other_commenter)
    client.force_login(commenter)
    reply_url = reverse("discussion:reply", kwargs={"pk": top.pk})
    response = client.post(reply_url, {"body": "But I wanted to say"})
    assert "That comment has been deleted, so it can no longer be answered." in (
        text_of(response)
    )
    assert textarea_of(response, f"reply-body-{top.pk}") == "But I wanted to say"
    assert Comment.objects.count() == 1


def test_deleted_comments_with_replies_leave_a_placeholder(
    client, story, commenter, other_commenter
):
    top = post(story, commenter, "Regrettable")
    post(story, other_commenter, "Still here", parent=top)
    services.delete_comment(top, actor=commenter)
    text = text_of(client.get(STORY_URL))
    assert "Comment deleted." in text
    assert "Regrettable" not in text
    assert "Still here" in text


def test_deleting_with_htmx_updates_the_count_above_the_discussion(
    client, story, commenter, other_commenter
):
    post(story, other_commenter, "Still here")
    mine = post(story, commenter, "Regrettable")
    client.force_login(commenter)
    url = reverse("discussion:delete", kwargs={"pk": mine.pk})
    response = client.post(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="comments-title" hx-swap-oob="true">1 comment</h2>' in page


# Respect ------------------------------------------------------------------------------


def test_respect_without_javascript_returns_to_the_comment(
    client, story, commenter, other_commenter
):
    comment = post(story, other_commenter)
    client.force_login(commenter)
    url = reverse("discussion:respect", kwargs={"pk": comment.pk})
    response = client.post(url, {"action": "give", "next": STORY_URL})
    assert response["Location"] == f"{STORY_URL}#comment-{comment.pk}"
    page = client.get(STORY_URL).content.decode()
    assert 'aria-pressed="true"' in page
    again = client.post(url, {"action": "give", "next": STORY_URL}, follow=True)
    assert "You have already given this comment your Respect." in text_of(again)
    assert comment.reactions.count() == 1


def test_respect_with_htmx_updates_the_count_in_place(
    client, story, commenter, other_commenter
):
    comment = post(story, other_commenter)
    client.force_login(commenter)
    url = reverse("discussion:respect", kwargs={"pk": comment.pk})
    given = client.post(url, {"action": "give"}, **HTMX).content.decode()
    assert given.startswith('<form class="respect"')
    assert 'aria-pressed="true"' in given
    assert '<span class="respect__count">1<' in given
    taken = client.post(url, {"action": "withdraw"}, **HTMX).content.decode()
    assert 'aria-pressed="false"' in taken
    assert '<span class="respect__count">0<' in taken


# Reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("with_htmx", [False, True])
def test_the_reporter_is_told_the_report_was_received(
    client, story, commenter, other_commenter, with_htmx
):
    comment = post(story, other_commenter)
    client.force_login(commenter)
    url = reverse("discussion:report", kwargs={"pk": comment.pk})
    headers = HTMX if with_htmx else {}
    response = client.post(
        url, {"reason": "personal_attack", "next": STORY_URL}, **headers
    )
    assert "Thank you. Your report was received" in text_of(response)
    assert ("<html" in response.content.decode()) is not with_htmx
    assert Report.objects.get().reason == "personal_attack"
    assert "Reported" in text_of(client.get(STORY_URL))


def test_reporting_ones_own_comment_is_refused_keeping_the_note(
    client, story, commenter
):
    comment = post(story, commenter)
    client.force_login(commenter)
    url = reverse("discussion:report", kwargs={"pk": comment.pk})
    response = client.post(url, {"reason": "other", "text": "Testing"})
    text = text_of(response)
    assert "You cannot report your own comment." in text
    assert textarea_of(response, f"report-{comment.pk}-text") == "Testing"
    assert 'value="other" checked' in response.content.decode()
    assert not Report.objects.exists()


def test_an_error_in_the_story_goes_to_the_editors(
    client, story, commenter, other_commenter
):
    comment = post(story, other_commenter)
    client.force_login(commenter)
    url = reverse("discussion:report", kwargs={"pk": comment.pk})
    response = client.post(url, {"reason": "story_error", "text": "Wrong mayor"})
    assert "sent to its editors" in text_of(response)


# Editing, deleting ----------------------------------------------------------------


def test_an_edited_comment_is_marked_edited(client, story, commenter):
    comment = post(story, commenter, "Frist")
    client.force_login(commenter)
    url = reverse("discussion:edit", kwargs={"pk": comment.pk})
    response = client.post(url, {"body": "First", "next": STORY_URL}, **HTMX)
    assert response["HX-Retarget"] == f"#comment-{comment.pk}"
    assert "Edited First" in text_of(response)
    assert "Edited" in text_of(client.get(STORY_URL))


def test_editing_after_the_window_is_refused_keeping_the_text(client, story, commenter):
    comment = post(story, commenter, "Old")
    client.force_login(commenter)
    url = reverse("discussion:edit", kwargs={"pk": comment.pk})
    with time_machine.travel(comment.created_at + timedelta(minutes=11)):
        response = client.post(url, {"body": "New words"})
    assert "the time for this one has passed" in text_of(response)
    assert textarea_of(response, f"edit-body-{comment.pk}") == "New words"


def test_readers_cannot_reach_anothers_edit_or_delete_form(
    client, story, commenter, other_commenter
):
    comment = post(story, other_commenter)
    client.force_login(commenter)
    for name in ("discussion:edit", "discussion:delete"):
        assert client.get(reverse(name, kwargs={"pk": comment.pk})).status_code == 404


def test_deleting_with_htmx_leaves_a_notice_in_place(client, story, commenter):
    comment = post(story, commenter)
    client.force_login(commenter)
    url = reverse("discussion:delete", kwargs={"pk": comment.pk})
    assert "Delete your comment?" in text_of(client.get(url))
    response = client.post(url, **HTMX)
    assert "Your comment is deleted." in text_of(response)
    assert response["HX-Reswap"] == "outerHTML"


# Muting ----------------------------------------------------------------------


def test_muting_a_reader_takes_their_comments_off_the_page(
    client, story, commenter, other_commenter
):
    comment = post(story, other_commenter, "Noise")
    client.force_login(commenter)
    url = reverse("discussion:mute", kwargs={"pk": comment.pk})
    response = client.post(url, {"next": STORY_URL}, follow=True)
    text = text_of(response)
    assert "You muted Ben Kalani." in text
    assert "Noise" not in text


# The reader's own page, mail -------------------------------------------------------


def test_a_readers_page_shows_comments_replies_reports_and_standing(
    client, story, commenter, other_commenter
):
    mine = post(story, commenter, "My comment")
    post(story, other_commenter, "A reply to you", parent=mine)
    theirs = post(story, other_commenter, "Their comment")
    services.report_comment(theirs, actor=commenter, reason="spam")
    client.force_login(commenter)
    text = text_of(client.get(reverse("discussion:reader")))
    assert "You are in good standing" in text
    assert "Replies to you 1 new" in text
    assert "Ben Kalani replied on Council weighs harbor plan" in text
    assert "My comment" in text
    assert "Spam — a comment by Ben Kalani" in text
    assert "Open" in text
    assert "Replies to you 1 new" in text_of(client.get(reverse("discussion:reader")))
    marked = client.post(reverse("discussion:replies_seen"), follow=True)
    assert "1 new" not in text_of(marked)
    assert "Mark the replies as read" not in text_of(marked)


def test_reading_ones_page_writes_nothing(client, story, commenter, other_commenter):
    mine = post(story, commenter, "My comment")
    post(story, other_commenter, "A reply to you", parent=mine)
    client.force_login(commenter)
    audit_entries = AuditEntry.objects.count()
    client.get(reverse("discussion:reader"))
    assert AuditEntry.objects.count() == audit_entries
    assert not ReaderSettings.objects.filter(reader=commenter).exists()
    assert client.get(reverse("discussion:replies_seen")).status_code == 405


def test_a_reader_opts_in_to_reply_mail(client, commenter):
    client.force_login(commenter)
    response = client.post(
        reverse("discussion:notices"), {"email_replies": "on"}, follow=True
    )
    assert "We will email you when someone replies to you." in text_of(response)
    assert 'id="email-replies" checked' in response.content.decode()


def test_the_readers_page_needs_a_signed_in_reader(client):
    response = client.get(reverse("discussion:reader"))
    assert response.status_code == 302


def test_an_unsubscribe_link_asks_then_stops_the_mail(client, commenter):
    services.set_reply_notices(commenter, actor=commenter, enabled=True)
    url = reverse(
        "discussion:unsubscribe", kwargs={"token": unsubscribe_token(commenter)}
    )
    assert "Stop emailing" in text_of(client.get(url))
    commenter.discussion_settings.refresh_from_db()
    assert commenter.discussion_settings.email_replies
    assert "we will not email" in text_of(client.post(url))
    assert client.get(url.replace(":", ":x")).status_code == 404


# Query counts ---------------------------------------------------------------------


def story_page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def busy_story(slug: str, comments: int, authors) -> None:
    story = make_article(slug=slug)
    thread = bulk_comments(story, authors, comments)
    newest = Comment.objects.filter(thread=thread).order_by("-created_at").first()
    post(story, authors[0], "A reply on the first page", parent=newest)


def test_the_first_page_of_10000_comments_costs_what_10_cost(
    client, commenter, other_commenter, django_assert_num_queries
):
    busy_story("quiet-story", 10, [commenter, other_commenter])
    busy_story("busy-story", 10_000, [commenter, other_commenter])
    client.force_login(commenter)
    quiet = story_page_queries(client, "/story/quiet-story/")
    with django_assert_num_queries(quiet):
        response = client.get("/story/busy-story/")
    assert "10,001 comments" in text_of(response)


def test_story_page_query_count(client, story, commenter, django_assert_num_queries):
    top = post(story, commenter)
    post(story, make_commenter(), parent=top)
    # The story (with its section and thread), its corrections, the sections for
    # the masthead; then whether any comment is featured, a page of comments,
    # their replies.
    with django_assert_num_queries(6):
        client.get(STORY_URL)
    # The same first page again: kept for the thread's version, no comment read.
    with django_assert_num_queries(3):
        client.get(STORY_URL)
    # Signed in: the session, the reader, the accounts app's checks of the
    # moderators' sanctions and of the terms, and whether the reader has
    # anything of their own in the thread: not yet, so the kept page again.
    client.force_login(make_commenter("Dee Lani"))
    # A reader who may post sees forms a visitor does not: the page is rendered
    # once for the readers like them, after one light read of the story (what
    # a kept page depends on, gazette/pagecache/signed_in.py)...
    with django_assert_num_queries(1 + 8 + 3):
        client.get(STORY_URL)
    # ... and then kept whole for them: that light read, the session, the
    # reader, the two checks, whether they have a part in the thread now.
    with django_assert_num_queries(6):
        client.get(STORY_URL)
    # The author sees their own comments as their own: the kept page with
    # their comments put in, after one more query for their marks on it.
    client.force_login(commenter)
    with django_assert_num_queries(6 + 1):
        client.get(STORY_URL)
    # A reader with a comment awaiting review (only they see it) gets the page
    # read for them.
    held = post(story, commenter, "A second thought.")
    held.state = Comment.State.PENDING
    held.save()
    with django_assert_num_queries(1 + 11):
        client.get(STORY_URL)


def test_comment_counts_cost_the_fronts_no_queries(client, commenter):
    for number in range(3):
        section = make_section()
        make_article(section=section, slug=f"story-{number}")
    quiet = story_page_queries(client, "/")
    for number in range(3):
        post(make_article(section=make_section()), commenter, f"Comment {number}")
    assert story_page_queries(client, "/") == quiet
    assert text_of(client.get("/")).count("1 comment on") == 3


def test_featured_comments_lead_under_their_own_tab(
    client, story, commenter, other_commenter, moderator
):
    post(story, commenter, "An ordinary comment")
    chosen = post(story, other_commenter, "A comment worth reading")
    services.feature_comment(chosen, actor=moderator)
    page = client.get(STORY_URL).content.decode()
    assert 'aria-current="true">Featured<' in page
    text = text_of(client.get(STORY_URL))
    assert "A comment worth reading" in text
    assert "An ordinary comment" not in text
    assert "An ordinary comment" in text_of(client.get(STORY_URL, {"sort": "newest"}))


def test_featured_replies_name_whom_they_answer_in_one_query_for_all(
    client, story, commenter, other_commenter, moderator, django_assert_num_queries
):
    def feature_a_reply(number: int) -> None:
        top = post(story, make_commenter(f"Asker {number}"), f"Question {number}")
        reply = post(story, other_commenter, f"Answer {number}", parent=top)
        services.feature_comment(reply, actor=moderator)

    feature_a_reply(1)
    one = story_page_queries(client, STORY_URL)
    for number in range(2, 6):
        feature_a_reply(number)
    with django_assert_num_queries(one):
        text = text_of(client.get(STORY_URL))
    for number in range(1, 6):
        assert f"In reply to Asker {number}" in text


def test_a_conversation_has_its_own_page_and_replies_lead_there(
    client, story, commenter, other_commenter
):
    top = post(story, commenter, "Top of the conversation")
    reply = post(story, other_commenter, "A reply in it", parent=top)
    conversation = client.get(reverse("discussion:comment", kwargs={"pk": top.pk}))
    text = text_of(conversation)
    assert "A conversation started by Ana Pua" in text
    assert "A reply in it" in text
    permalink = client.get(reverse("discussion:comment", kwargs={"pk": reply.pk}))
    assert permalink.status_code == 302
    assert permalink["Location"].endswith(f"#comment-{reply.pk}")


def test_a_visitor_asked_to_reply_is_told_to_sign_in(client, story, commenter):
    top = post(story, commenter)
    response = client.get(reverse("discussion:reply", kwargs={"pk": top.pk}))
    assert "Sign in to join the discussion." in text_of(response)
    assert "<textarea" not in response.content.decode()
