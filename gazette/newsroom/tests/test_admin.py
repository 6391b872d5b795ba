import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from gazette.newsroom.models import Article, Photo
from gazette.testing import image_upload, make_article, make_staff, top_news

pytestmark = pytest.mark.django_db

ADD_URL = "/newsroom/newsroom/article/add/"
CHANGELIST_URL = "/newsroom/newsroom/article/"


def change_url(article: Article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def article_form(**changes) -> dict:
    """What the admin's story form posts, with its empty corrections inline."""
    form = {
        "headline": "Harbor deal near",
        "slug": "harbor-deal-near",
        "subhead": "",
        "section": top_news().pk,
        "dateline": "HONOLULU",
        "body": "<p>The deal is near.</p>",
        "byline": "By Jane Doe",
        "wire_source": "",
        "lead_photo": "",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    form.update(changes)
    return form


def test_newsroom_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Reporter",
        "Editor",
        "Moderator",
        "Administrator",
    }


def test_reporter_files_a_draft_through_the_add_form(client, reporter):
    client.force_login(reporter)
    response = client.post(ADD_URL, article_form())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "Harbor deal near"
    assert article.status == Article.Status.DRAFT
    assert article.created_by == reporter


def test_reporter_cannot_publish_through_the_add_form(client, reporter):
    client.force_login(reporter)
    response = client.post(
        ADD_URL,
        article_form(status="published", published_at_0="2024-12-13", front_rank="1"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.front_rank is None


@pytest.mark.parametrize(
    ("role", "can_set_status"), [("editor", True), ("reporter", False)]
)
def test_status_is_a_field_only_for_editors(
    request, client, reporter, role, can_set_status
):
    article = make_article(status=Article.Status.DRAFT, created_by=reporter)
    client.force_login(request.getfixturevalue(role))
    page = client.get(change_url(article)).content.decode()
    assert ('name="status"' in page) is can_set_status
    assert ('name="published_at_0"' in page) is can_set_status


@pytest.mark.parametrize(
    ("role", "sees_actions"), [("editor", True), ("reporter", False)]
)
def test_publish_actions_are_offered_only_to_editors(
    request, client, role, sees_actions
):
    user = request.getfixturevalue(role)
    make_article(status=Article.Status.DRAFT, created_by=user)
    client.force_login(user)
    page = client.get(CHANGELIST_URL).content.decode()
    assert ('value="publish_now"' in page) is sees_actions
    assert ('value="unpublish"' in page) is sees_actions


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_publish_now_action(request, client, reporter, role, allowed):
    article = make_article(status=Article.Status.DRAFT, created_by=reporter)
    client.force_login(request.getfixturevalue(role))
    client.post(
        CHANGELIST_URL, {"action": "publish_now", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert (article.status == Article.Status.PUBLISHED) is allowed
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == (
        200 if allowed else 404
    )


def test_editor_schedules_through_the_story_form(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD_URL,
        article_form(
            status="scheduled", published_at_0="2999-01-01", published_at_1="06:00:00"
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editor_publishes_through_the_story_form_without_typing_a_time(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD_URL, article_form(status="published", published_at_0="", published_at_1="")
    )
    assert "is violated" not in response.content.decode()
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200


def test_reporter_edits_own_draft(client, reporter):
    article = make_article(status=Article.Status.DRAFT, created_by=reporter)
    client.force_login(reporter)
    response = client.post(
        change_url(article), article_form(slug=article.slug, headline="Deal signed")
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Deal signed"


def test_reporter_cannot_edit_another_reporters_story(client, reporter):
    article = make_article(
        status=Article.Status.DRAFT, created_by=make_staff("Reporter")
    )
    client.force_login(reporter)
    assert article.headline not in client.get(CHANGELIST_URL).content.decode()
    page = client.get(change_url(article))
    response = client.post(
        change_url(article), article_form(slug=article.slug, headline="Changed")
    )
    # The admin treats a story outside the reporter's own as one that does not exist.
    assert (page.status_code, page["Location"]) == (302, "/newsroom/")
    assert (response.status_code, response["Location"]) == (302, "/newsroom/")
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_reporter_cannot_edit_own_published_story(client, reporter):
    article = make_article(created_by=reporter)
    client.force_login(reporter)
    response = client.post(
        change_url(article), article_form(slug=article.slug, headline="Changed")
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_photo_upload_makes_renditions(client, reporter):
    client.force_login(reporter)
    response = client.post(
        "/newsroom/newsroom/photo/add/",
        {
            "image": image_upload(1000, 600, name="pier.jpg"),
            "credit": "JANE DOE / STAFF",
            "caption": "The pier at dawn.",
            "alt_text": "A pier at dawn",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1000, 600)
    assert sorted(photo.renditions.values_list("format", "width")) == [
        ("jpeg", 480),
        ("jpeg", 960),
        ("jpeg", 1000),
        ("webp", 480),
        ("webp", 960),
        ("webp", 1000),
    ]
