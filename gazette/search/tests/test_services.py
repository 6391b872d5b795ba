import pytest
from django.core.management import call_command
from django.db import connection

from gazette.newsroom.services import (
    correct_article,
    publish_article,
    save_article,
    unpublish_article,
)
from gazette.search.selectors import search_stories
from gazette.search.services import rebuild_index
from gazette.testing import make_article

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [hit.article.headline for hit in search_stories(query)[0:20]]


def test_a_published_story_is_found_and_a_draft_is_not(editor):
    article = save_article(
        make_article(headline="Ferry service resumes", status="draft")
    )
    assert found("ferry") == []
    publish_article(article, actor=editor)
    assert found("ferry") == ["Ferry service resumes"]


def test_an_edit_replaces_the_indexed_text(editor):
    article = save_article(make_article(headline="Ferry service resumes"))
    article.headline = "Ferry service halted again"
    article.body = "<p>Engines failed.</p>"
    save_article(article, actor=editor)
    assert found("resumes") == []
    assert found("engines") == ["Ferry service halted again"]


def test_an_unpublished_story_leaves_the_results(editor):
    article = save_article(make_article(headline="Ferry service resumes"))
    unpublish_article(article, actor=editor)
    assert found("ferry") == []


def test_a_corrected_story_is_still_found(editor):
    article = save_article(make_article(headline="Ferry service resumes"))
    correct_article(article, actor=editor, text="The ferry leaves at 9, not 8.")
    assert found("ferry") == ["Ferry service resumes"]


def test_a_deleted_story_leaves_the_results():
    article = save_article(make_article(headline="Ferry service resumes"))
    article.delete()
    assert found("ferry") == []


def test_rebuild_indexes_stories_filed_outside_the_services():
    make_article(headline="Imported ferry schedule")
    assert found("ferry") == []
    assert rebuild_index() == 1
    assert found("ferry") == ["Imported ferry schedule"]


def test_search_rebuild_command_reports_the_count(capsys):
    make_article(headline="Imported ferry schedule")
    make_article(headline="Draft ferry schedule", status="draft")
    call_command("search", "rebuild", verbosity=0)
    assert "Search index holds 1 stories." in capsys.readouterr().out
    assert found("ferry") == ["Imported ferry schedule"]


def test_the_index_lives_in_the_databases_own_engine():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "search_article" in tables
