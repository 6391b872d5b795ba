"""Every write to the search index.

A story enters the index when it is published or scheduled, is rewritten on each
save or correction, and leaves it when it is unpublished. The newsroom's services
call index_article inside their own transaction, so the index never disagrees
with the story. Only SQLite (FTS5) and PostgreSQL keep an index; elsewhere these
do nothing.
"""

import logging
from collections.abc import Callable

from django.db import connection, transaction

from gazette.newsroom.models import Article
from gazette.search.terms import (
    angles_hidden,
    plain_text,
    without_control_characters,
)

logger = logging.getLogger("gazette.search")

SQLITE_FORGET = "DELETE FROM search_article WHERE rowid = %s"
SQLITE_STORE = """
    INSERT INTO search_article
        (rowid, headline, subhead, body, section_id, published_at)
    VALUES (%s, %s, %s, %s, %s, %s)
"""
POSTGRESQL_FORGET = "DELETE FROM search_article WHERE article_id = %s"
POSTGRESQL_STORE = """
    INSERT INTO search_article
        (article_id, headline, subhead, body, section_id, published_at)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (article_id) DO UPDATE SET
        headline = EXCLUDED.headline,
        subhead = EXCLUDED.subhead,
        body = EXCLUDED.body,
        section_id = EXCLUDED.section_id,
        published_at = EXCLUDED.published_at
"""


def has_index() -> bool:
    return connection.vendor in {"sqlite", "postgresql"}


def index_article(article: Article) -> Article:
    """Bring a story's index entry in line with it: stored if readers may find it
    now or later (published, scheduled), removed if it is a draft."""
    if not has_index():
        return article
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_FORGET, [article.pk])
            if article.status == Article.Status.DRAFT:
                return article
            cursor.execute(SQLITE_STORE, entry(article))
        elif article.status == Article.Status.DRAFT:
            cursor.execute(POSTGRESQL_FORGET, [article.pk])
        else:
            cursor.execute(POSTGRESQL_STORE, entry(article))
    return article


def entry(article: Article) -> list:
    texts = [
        without_control_characters(article.headline),
        without_control_characters(article.subhead),
        plain_text(article.body),
    ]
    if connection.vendor == "postgresql":
        texts = [angles_hidden(text) for text in texts]
    return [
        article.pk,
        *texts,
        article.section_id,
        connection.ops.adapt_datetimefield_value(article.published_at),
    ]


@transaction.atomic
def rebuild_index(*, on_stored: Callable[[Article], None] | None = None) -> int:
    """Empty the index and store every published or scheduled story again.

    Returns how many stories it holds; on_stored is called after each (a progress
    bar).
    """
    if not has_index():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_article")
    stored = 0
    stories = Article.objects.exclude(status=Article.Status.DRAFT).order_by("pk")
    for article in stories.iterator(chunk_size=500):
        index_article(article)
        stored += 1
        if on_stored is not None:
            on_stored(article)
    logger.info("search.index.rebuilt stories=%s", stored)
    return stored
