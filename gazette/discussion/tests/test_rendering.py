"""Comments rendered once and reused: the same page as rendering each every time,
never stale, and each reader's own CSRF token in the forms."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from gazette.accounts import services as accounts
from gazette.discussion import rendering, services
from gazette.discussion.models import Comment, Report, Thread
from gazette.discussion.tests.builders import make_commenter, post
from gazette.pagecache import signed_in as kept_pages
from gazette.testing import make_staff

pytestmark = pytest.mark.django_db

STORY_URL = "/story/harbor-plan/"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NONCE = re.compile(r'nonce="[^"]*"')


@pytest.fixture
def busy_discussion(story, commenter, other_commenter):
    """A comment of every kind a page shows, as `commenter` sees them."""
    dee = make_commenter("Dee Lani")
    editor = make_commenter("Kai Editor", is_staff=True)
    mine = post(story, commenter, "My own view on the harbor.")
    theirs = post(story, other_commenter, "The harbor needs dredging.")
    reply = post(story, dee, "Dredging costs money.", parent=theirs)
    post(story, commenter, "Answering the answer.", parent=reply)
    post(story, editor, "From the newsroom: the vote is on Friday.")
    respected = post(story, dee, "A fair point about the budget.")
    services.respect_comment(respected, actor=commenter)
    reported = post(story, other_commenter, "Something to report.")
    services.report_comment(
        reported, actor=commenter, reason=Report.Reason.OFF_TOPIC, text="Off topic"
    )
    gone = post(story, dee, "Soon deleted, with a reply below.")
    post(story, other_commenter, "A reply that stays.", parent=gone)
    services.delete_comment(gone, actor=dee)
    services.feature_comment(theirs, actor=make_staff("Moderator"), is_featured=True)
    services.edit_comment(mine, actor=commenter, body="My own view, edited.")
    muted_author = make_commenter("Moe Muted")
    post(story, muted_author, "A comment from someone muted.")
    services.mute_reader(muted_author, actor=commenter)
    return mine


def comparable(response) -> str:
    """The page without what changes on every answer: nonces, masked tokens."""
    page = NONCE.sub("", response.content.decode())
    return TOKEN_FIELD.sub('name="csrfmiddlewaretoken" value=""', page)


def signed_in(reader) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


@pytest.mark.parametrize("sort", ["", "?sort=newest", "?sort=oldest"])
@pytest.mark.parametrize("who", ["anonymous", "author", "staff"])
def test_reused_markup_is_the_markup_rendered_afresh(
    settings, story, commenter, busy_discussion, who, sort
):
    client = {
        "anonymous": Client(),
        "author": signed_in(commenter),
        "staff": signed_in(make_staff("Moderator", "Mo Moderator")),
    }[who]
    settings.GAZETTE_COMMENTS_KEPT_RENDERED = 0
    afresh = comparable(client.get(STORY_URL + sort))
    settings.GAZETTE_COMMENTS_KEPT_RENDERED = 5000
    client.get(STORY_URL + sort)
    reused = comparable(client.get(STORY_URL + sort))
    assert reused == afresh
    assert rendering.TOKEN_PLACEHOLDER not in reused


def test_each_change_to_a_comment_or_its_author_shows_on_the_next_page(
    story, commenter, other_commenter
):
    comment = post(story, other_commenter, "The harbor needs dredging.")
    reader = signed_in(commenter)
    assert "Ben Kalani" in reader.get(STORY_URL).content.decode()
    services.respect_comment(comment, actor=make_commenter("Dee Lani"))
    assert '<span class="respect__count">1<' in reader.get(STORY_URL).content.decode()
    accounts.rename_reader(
        other_commenter, display_name="Ben K.", actor=other_commenter
    )
    byline = f'id="comment-{comment.pk}-by">Ben K.</h3>'
    assert byline in reader.get(STORY_URL).content.decode()
    services.edit_comment(
        comment, actor=other_commenter, body="The harbor needs dredging soon."
    )
    assert "dredging soon." in reader.get(STORY_URL).content.decode()
    services.respect_comment(comment, actor=commenter)
    assert 'aria-pressed="true"' in reader.get(STORY_URL).content.decode()


def test_each_reader_gets_their_own_token_in_the_reused_forms(
    story, commenter, other_commenter
):
    comment = post(story, make_commenter("Dee Lani"), "The harbor needs dredging.")
    respect_url = reverse("discussion:respect", kwargs={"pk": comment.pk})
    for reader in (commenter, other_commenter):
        client = signed_in(reader)
        page = client.get(STORY_URL).content.decode()
        [token] = set(TOKEN_FIELD.findall(page))
        answer = client.post(
            respect_url,
            {"action": "give", "next": STORY_URL, "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302, "the token in the page is the reader's"
    comment.refresh_from_db()
    assert comment.reaction_count == 2


def onlookers():
    """A visitor and a reader with nothing of their own in the thread."""
    return [Client(), signed_in(make_commenter("Onlooker"))]


def assert_kept_pages_are_fresh(clients, *, showing: str | tuple[str, str]) -> None:
    """Each client's next page (kept, if the thread has not moved) equals the page
    rendered from the comments, and shows what the change made (for a visitor,
    then for a reader, where the two differ)."""
    if isinstance(showing, str):
        showing = (showing, showing)
    for client, shown in zip(clients, showing, strict=True):
        kept = comparable(client.get(STORY_URL))
        rendering._lists.clear()
        kept_pages._pages.clear()
        assert kept == comparable(client.get(STORY_URL))
        assert shown in kept


def make_staff_member(reader) -> None:
    """As the back office does: comments by staff carry a badge."""
    reader.is_staff = True
    reader.save()


def test_kept_first_pages_follow_every_change_to_what_they_show(
    story, commenter, other_commenter
):
    clients = onlookers()
    moderator = make_staff("Moderator")
    first = post(story, commenter, "The harbor needs dredging.")
    for client in clients:
        client.get(STORY_URL)
    assert len(rendering._lists) == len(clients)
    changes = [
        (lambda: post(story, other_commenter, "A second view."), "A second view."),
        (
            lambda: post(story, other_commenter, "A reply.", parent=first),
            "A reply.",
        ),
        (
            lambda: services.edit_comment(
                first, actor=commenter, body="The harbor needs dredging soon."
            ),
            "dredging soon.",
        ),
        (
            lambda: services.respect_comment(first, actor=other_commenter),
            (">1 Respect<", '>1<span class="visually-hidden"> reader gives'),
        ),
        (
            lambda: services.feature_comment(first, actor=moderator),
            ">Featured</a>",
        ),
        (
            lambda: accounts.rename_reader(
                commenter, display_name="Ann K.", actor=commenter
            ),
            f'id="comment-{first.pk}-by">Ann K.</h3>',
        ),
        (lambda: make_staff_member(commenter), "badge--staff"),
        (
            lambda: services.withdraw_respect(first, actor=other_commenter),
            (">0 Respect<", '>0<span class="visually-hidden"> readers give'),
        ),
        (
            lambda: services.reject_comment(first, actor=moderator, reason="other"),
            "Comment removed by a moderator.",
        ),
        (
            lambda: services.erase_reader_comments(other_commenter, mode="anonymise"),
            "Former reader",
        ),
        (
            lambda: services.close_discussion(story, actor=make_staff("Editor")),
            "Comments on this story are closed.",
        ),
    ]
    for change, showing in changes:
        change()
        assert_kept_pages_are_fresh(clients, showing=showing)


def test_a_comment_held_for_review_moves_no_page_until_it_is_let_through(
    story, commenter, other_commenter
):
    clients = onlookers()
    moderator = make_staff("Moderator")
    post(story, commenter, "The harbor needs dredging.")
    services.set_premoderation(other_commenter, actor=moderator)
    for client in clients:
        client.get(STORY_URL)
    version = Thread.objects.get(article=story).version
    held = post(story, other_commenter, "Held for a moderator.")
    assert held.state == Comment.State.PENDING
    assert Thread.objects.get(article=story).version == version
    for client in clients:
        assert "Held for a moderator." not in client.get(STORY_URL).content.decode()
    assert_kept_pages_are_fresh(clients, showing="The harbor needs dredging.")
    # Its author sees it waiting, on a page read for them.
    assert "Held for a moderator." in (
        signed_in(other_commenter).get(STORY_URL).content.decode()
    )
    services.approve_comment(held, actor=moderator)
    assert_kept_pages_are_fresh(clients, showing="Held for a moderator.")


def test_a_reader_with_their_own_part_in_the_thread_gets_their_own_page(
    story, commenter, other_commenter
):
    comment = post(story, other_commenter, "The harbor needs dredging.")
    onlooker = signed_in(commenter)
    onlooker.get(STORY_URL)
    services.respect_comment(comment, actor=commenter)
    assert 'aria-pressed="true"' in onlooker.get(STORY_URL).content.decode()
    assert 'aria-pressed="true"' not in (
        signed_in(make_commenter("Dee Lani")).get(STORY_URL).content.decode()
    )


def test_the_kept_markup_stays_within_its_bound(settings, story, commenter):
    settings.GAZETTE_COMMENTS_KEPT_RENDERED = 3
    for number in range(5):
        post(story, commenter, f"Comment number {number}")
    page = Client().get(STORY_URL).content.decode()
    assert all(f"Comment number {number}" in page for number in range(5))
    assert len(rendering._kept) <= 3


def test_the_kept_first_pages_stay_within_their_bound(settings, story, commenter):
    settings.GAZETTE_COMMENT_LISTS_KEPT = 2
    post(story, commenter, "A view on the harbor.")
    client = Client()
    for sort in ("newest", "oldest", "reactions"):
        assert "A view on the harbor." in client.get(f"{STORY_URL}?sort={sort}").text
    assert len(rendering._lists) == 2
