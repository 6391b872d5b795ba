from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gazette.newsroom.models import Article, Page
from gazette.newsroom.services import (
    correct_article,
    publish_article,
    revise_page,
    save_article,
    schedule_article,
    unpublish_article,
)
from gazette.testing import make_article, top_news

pytestmark = pytest.mark.django_db

AP_MONTHS = ["", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
             "Sept.", "Oct.", "Nov.", "Dec."]  # fmt: skip


@pytest.fixture
def clock(monkeypatch):
    """Django's clock, held still and moved on by the test."""

    class Clock:
        def __init__(self) -> None:
            self.now = timezone.now()

        def advance(self, delta: timedelta) -> None:
            self.now += delta

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def draft(**changes) -> Article:
    return make_article(status=Article.Status.DRAFT, **changes)


def reader_status(client, article: Article) -> int:
    return client.get(article.get_absolute_url()).status_code


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_only_an_editor_publishes(request, client, role, allowed):
    article = draft()
    actor = request.getfixturevalue(role)
    if allowed:
        publish_article(article, actor=actor)
    else:
        with pytest.raises(PermissionDenied, match="Only an editor"):
            publish_article(article, actor=actor)
    article.refresh_from_db()
    assert (article.status == Article.Status.PUBLISHED) is allowed
    assert reader_status(client, article) == (200 if allowed else 404)


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_only_an_editor_schedules(request, role, allowed):
    article = draft()
    actor = request.getfixturevalue(role)
    at = timezone.now() + timedelta(hours=3)
    if allowed:
        schedule_article(article, actor=actor, at=at)
    else:
        with pytest.raises(PermissionDenied):
            schedule_article(article, actor=actor, at=at)
    article.refresh_from_db()
    assert (article.status == Article.Status.SCHEDULED) is allowed


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_only_an_editor_unpublishes(request, client, role, allowed):
    article = make_article()
    actor = request.getfixturevalue(role)
    if allowed:
        unpublish_article(article, actor=actor)
    else:
        with pytest.raises(PermissionDenied):
            unpublish_article(article, actor=actor)
    article.refresh_from_db()
    assert (article.status == Article.Status.DRAFT) is allowed
    assert reader_status(client, article) == (404 if allowed else 200)


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_only_an_editor_changes_status_when_saving(request, role, allowed):
    article = save_article(
        Article(headline="Harbor plan", section=top_news(), body="<p>Text.</p>"),
        actor=request.getfixturevalue("reporter"),
    )
    article.status = Article.Status.PUBLISHED
    actor = request.getfixturevalue(role)
    if allowed:
        save_article(article, actor=actor)
    else:
        with pytest.raises(PermissionDenied):
            save_article(article, actor=actor)
    assert Article.objects.get(pk=article.pk).status == (
        Article.Status.PUBLISHED if allowed else Article.Status.DRAFT
    )


def test_reporter_cannot_file_a_story_already_published(reporter):
    article = Article(
        headline="Harbor plan",
        section=top_news(),
        body="<p>Text.</p>",
        status=Article.Status.PUBLISHED,
    )
    with pytest.raises(PermissionDenied):
        save_article(article, actor=reporter)
    assert not Article.objects.exists()


def test_reporter_cannot_move_a_scheduled_time(reporter, editor):
    article = draft(created_by=reporter)
    at = timezone.now() + timedelta(days=1)
    schedule_article(article, actor=editor, at=at)
    article.published_at = timezone.now() - timedelta(minutes=1)
    with pytest.raises(PermissionDenied):
        save_article(article, actor=reporter)
    assert Article.objects.get(pk=article.pk).published_at == at


def test_reporter_files_a_draft_credited_to_them(reporter):
    article = save_article(
        Article(headline="Harbor plan", section=top_news(), body="<p>Text.</p>"),
        actor=reporter,
    )
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.created_by == reporter


def test_scheduled_story_appears_when_its_time_comes(client, editor, clock):
    article = draft()
    schedule_article(article, actor=editor, at=clock.now + timedelta(hours=1))
    assert reader_status(client, article) == 404
    assert article.headline not in client.get("/").content.decode()

    clock.advance(timedelta(hours=1, seconds=1))

    assert reader_status(client, article) == 200
    assert article.headline in client.get("/").content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.SCHEDULED


def test_a_time_in_the_past_cannot_be_scheduled(editor):
    article = draft()
    with pytest.raises(ValidationError, match="must be in the future"):
        schedule_article(article, actor=editor, at=timezone.now() - timedelta(1))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_drafts_are_not_found_by_readers(client):
    assert reader_status(client, draft()) == 404


def test_publishing_again_keeps_the_first_publication_time(client, editor):
    first_published = timezone.now() - timedelta(days=2)
    article = make_article(published_at=first_published)
    unpublish_article(article, actor=editor)
    assert reader_status(client, article) == 404
    publish_article(article, actor=editor)
    assert Article.objects.get(pk=article.pk).published_at == first_published
    assert reader_status(client, article) == 200


def test_publishing_a_scheduled_story_now_brings_it_forward(client, editor):
    article = draft()
    schedule_article(article, actor=editor, at=timezone.now() + timedelta(days=1))
    publish_article(article, actor=editor)
    article.refresh_from_db()
    assert article.published_at <= timezone.now()
    assert reader_status(client, article) == 200


def test_correction_is_dated_at_the_foot_of_the_story(client, editor):
    article = make_article(body="<p>The pier is 300 feet long.</p>")
    correction = correct_article(
        article, actor=editor, text="The pier is 200 feet long, not 300."
    )
    article.refresh_from_db()
    assert article.updated_at == correction.published_at
    html = client.get(article.get_absolute_url()).content.decode()
    footer = html[html.index("The pier is 300 feet long.") :]
    day = timezone.localdate(correction.published_at)
    assert '<h2 id="corrections-title">Corrections</h2>' in footer
    assert (
        f"{AP_MONTHS[day.month]} {day.day}, {day.year}</time>: "
        "The pier is 200 feet long, not 300.</p>"
    ) in footer
    assert "Updated <time" in html


def test_a_correction_needs_its_text(editor):
    article = make_article()
    with pytest.raises(ValidationError, match="needs its text"):
        correct_article(article, actor=editor, text="   ")
    assert not article.corrections.exists()


def test_editing_a_live_story_moves_its_updated_time(editor):
    article = make_article()
    article.headline = "Council approves harbor plan"
    save_article(article, actor=editor)
    article.refresh_from_db()
    assert article.updated_at is not None
    assert article.was_updated


def test_editing_a_draft_does_not_mark_it_updated(reporter):
    article = draft(created_by=reporter)
    article.headline = "Council approves harbor plan"
    save_article(article, actor=reporter)
    assert Article.objects.get(pk=article.pk).updated_at is None


def test_saving_cleans_the_body_html(editor):
    article = save_article(
        Article(
            headline="Harbor plan",
            section=top_news(),
            body=(
                '<p onclick="steal()">Text <strong>bold</strong>.</p>'
                "<script>alert('x')</script>"
                '<img src="x" onerror="alert(1)">'
                '<p><a href="javascript:alert(1)">link</a> '
                '<a href="https://example.com/">ok</a></p>'
            ),
        ),
        actor=editor,
    )
    body = Article.objects.get(pk=article.pk).body
    assert "<script" not in body
    assert "alert" not in body
    assert "onerror" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert "<p>Text <strong>bold</strong>.</p>" in body
    assert '<a href="https://example.com/" rel="noopener noreferrer">ok</a>' in body


def test_stories_with_the_same_headline_get_numbered_slugs(editor):
    slugs = [
        save_article(
            Article(headline="Surf's up!", section=top_news(), body="<p>Text.</p>"),
            actor=editor,
        ).slug
        for _ in range(3)
    ]
    assert slugs == ["surfs-up", "surfs-up-2", "surfs-up-3"]


def test_a_headline_without_letters_still_gets_a_slug(editor):
    article = save_article(
        Article(headline="!!!", section=top_news(), body="<p>Text.</p>"), actor=editor
    )
    assert article.slug == "story"


def test_saving_a_story_again_keeps_its_slug(editor):
    article = save_article(
        Article(headline="Surf's up", section=top_news(), body="<p>Text.</p>"),
        actor=editor,
    )
    article.headline = "Surf's down"
    save_article(article, actor=editor)
    assert Article.objects.get(pk=article.pk).slug == "surfs-up"


def test_revising_a_page_raises_its_version_and_cleans_it(client, editor):
    page = Page.objects.get(slug="terms")
    page.body = "<p>New terms.</p><script>alert(1)</script>"
    revise_page(page, actor=editor)
    page.refresh_from_db()
    assert page.version == 2
    assert page.body == "<p>New terms.</p>"
    html = client.get("/about/terms/").content.decode()
    assert "New terms." in html
    assert "Version 2" in html
