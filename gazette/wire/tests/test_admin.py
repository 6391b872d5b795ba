"""The Wire queue and the wire's history in the back office."""

import json

import pytest

from gazette.newsroom.models import Article
from gazette.testing import make_article
from gazette.wire.services import import_file

QUEUE = "/newsroom/wire/wirequeueitem/"


def wire_draft(tmp_path, headline: str = "Vote set for Friday") -> Article:
    path = tmp_path / "vote.json"
    path.write_text(
        json.dumps(
            {
                "uri": f"urn:newsml:wire.example.com:{headline}",
                "version": "1",
                "headlines": [{"role": "main", "value": headline}],
                "bodies": [{"contentType": "text/plain", "value": "The vote is set."}],
            }
        )
    )
    [result] = import_file(path, publish=False)
    return result.article


@pytest.mark.django_db
def test_the_wire_queue_lists_the_wires_drafts_only(client, editor, tmp_path):
    wire_draft(tmp_path)
    make_article(headline="Our own story")
    make_article(headline="Our own draft", status=Article.Status.DRAFT)
    client.force_login(editor)
    page = client.get(QUEUE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vote set for Friday" in html
    assert "Our own story" not in html
    assert "Our own draft" not in html


@pytest.mark.django_db
def test_an_editor_publishes_from_the_wire_queue(client, editor, tmp_path):
    article = wire_draft(tmp_path)
    client.force_login(editor)
    client.post(QUEUE, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "Vote set for Friday" not in client.get(QUEUE).content.decode()


@pytest.mark.django_db
def test_a_queued_story_opens_in_the_story_form(client, editor, tmp_path):
    article = wire_draft(tmp_path)
    client.force_login(editor)
    response = client.get(f"{QUEUE}{article.pk}/change/")
    assert response.status_code == 302
    assert response.url == f"/newsroom/newsroom/article/{article.pk}/change/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_queue", "can_publish"),
    [("editor", True, True), ("reporter", True, False), ("moderator", False, False)],
)
def test_who_sees_the_queue_and_who_publishes_from_it(
    request, client, tmp_path, role, sees_queue, can_publish
):
    wire_draft(tmp_path)
    client.force_login(request.getfixturevalue(role))
    page = client.get(QUEUE)
    assert (page.status_code == 200) is sees_queue
    if sees_queue:
        assert ('value="publish_now"' in page.content.decode()) is can_publish


@pytest.mark.django_db
def test_a_storys_wire_history_reads_in_the_back_office(client, editor, tmp_path):
    wire_draft(tmp_path)
    client.force_login(editor)
    page = client.get("/newsroom/wire/wireversion/")
    assert page.status_code == 200
    assert "Vote set for Friday" in page.content.decode()
