"""Reads from the search index: ranked, filtered, highlighted published stories."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString

from gazette.newsroom.models import Article, Section
from gazette.newsroom.selectors import day_bounds, with_reader_relations
from gazette.search.terms import (
    MARK_END,
    MARK_START,
    cleaned_query,
    fts5_match,
    highlighted,
    search_terms,
)

SNIPPET_WORDS = 32

# Each engine's statement takes the match and the filters, in that order, as
# %(name)s parameters. Headline matches weigh most, then subhead, then body:
# bm25 column weights on SQLite, setweight A/B/C on PostgreSQL.
SQLITE_FROM = """
    FROM search_article
    JOIN newsroom_article ON newsroom_article.id = search_article.rowid
    WHERE search_article MATCH %(match)s {filters}
"""
SQLITE_PAGE = """
    SELECT search_article.rowid,
        highlight(search_article, 0, %(start)s, %(end)s),
        snippet(search_article, 2, %(start)s, %(end)s, '…', %(words)s)
    {from_filtered}
    ORDER BY bm25(search_article, 10.0, 4.0, 1.0), newsroom_article.published_at DESC
    LIMIT %(limit)s OFFSET %(offset)s
"""
POSTGRESQL_FROM = """
    FROM search_article
    JOIN newsroom_article ON newsroom_article.id = search_article.article_id
    WHERE search_article.document @@ websearch_to_tsquery('english', %(match)s)
    {filters}
"""
POSTGRESQL_PAGE = """
    SELECT found.article_id,
        ts_headline('english', found.headline, found.query, %(headline_options)s),
        ts_headline('english', found.body, found.query, %(snippet_options)s)
    FROM (
        SELECT search_article.article_id, search_article.headline,
            search_article.body, websearch_to_tsquery('english', %(match)s) AS query,
            ts_rank(search_article.document, websearch_to_tsquery('english', %(match)s))
                AS rank,
            newsroom_article.published_at
        {from_filtered}
        ORDER BY rank DESC, newsroom_article.published_at DESC
        LIMIT %(limit)s OFFSET %(offset)s
    ) AS found
    ORDER BY found.rank DESC, found.published_at DESC
"""


@dataclass(frozen=True)
class Hit:
    article: Article
    headline: SafeString
    snippet: SafeString


class SearchResults:
    """Stories matching a search, counted and fetched a page at a time.

    Django's Paginator asks for count() and a slice; each runs one statement.
    """

    def __init__(self, sql_from: str, parameters: dict) -> None:
        self.sql_from = sql_from
        self.parameters = parameters
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            if not self.sql_from:
                self._count = 0
            else:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) " + self.sql_from, self.parameters)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Hit]:
        if not isinstance(page, slice):
            raise TypeError("Search results are read a page at a time.")
        offset = page.start or 0
        limit = (page.stop if page.stop is not None else self.count()) - offset
        if not self.sql_from or limit <= 0:
            return []
        template = SQLITE_PAGE if connection.vendor == "sqlite" else POSTGRESQL_PAGE
        options = f"StartSel={MARK_START}, StopSel={MARK_END}"
        with connection.cursor() as cursor:
            cursor.execute(
                template.format(from_filtered=self.sql_from),
                {
                    **self.parameters,
                    "start": MARK_START,
                    "end": MARK_END,
                    "words": SNIPPET_WORDS,
                    "headline_options": options + ", HighlightAll=true",
                    "snippet_options": options
                    + f", MaxWords={SNIPPET_WORDS}, MinWords=12"
                    + ', MaxFragments=2, FragmentDelimiter=" … "',
                    "limit": limit,
                    "offset": offset,
                },
            )
            rows = cursor.fetchall()
        articles = with_reader_relations(Article.objects.all()).in_bulk(
            [row[0] for row in rows]
        )
        return [
            Hit(
                article=articles[article_id],
                headline=highlighted(headline),
                snippet=highlighted(snippet),
            )
            for article_id, headline, snippet in rows
            if article_id in articles
        ]


def search_stories(
    query: str,
    *,
    section: Section | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
) -> SearchResults:
    """Published stories matching what a reader typed, best match first.

    Dates are paper days, both ends included. A query with no words in it
    (punctuation, emoji) matches nothing; no query is ever an error.
    """
    terms = search_terms(query)
    if not terms or connection.vendor not in {"sqlite", "postgresql"}:
        return SearchResults("", {})
    adapt = connection.ops.adapt_datetimefield_value
    parameters = {
        "match": fts5_match(terms)
        if connection.vendor == "sqlite"
        else cleaned_query(query),
        "published": Article.Status.PUBLISHED,
        "scheduled": Article.Status.SCHEDULED,
        "now": adapt(timezone.now()),
    }
    filters = [
        "AND newsroom_article.status IN (%(published)s, %(scheduled)s)",
        "AND newsroom_article.published_at <= %(now)s",
    ]
    if section is not None:
        parameters["section"] = section.pk
        filters.append("AND newsroom_article.section_id = %(section)s")
    if published_from is not None:
        parameters["from"] = adapt(day_bounds(published_from)[0])
        filters.append("AND newsroom_article.published_at >= %(from)s")
    if published_to is not None:
        parameters["to"] = adapt(day_bounds(published_to)[1])
        filters.append("AND newsroom_article.published_at < %(to)s")
    template = SQLITE_FROM if connection.vendor == "sqlite" else POSTGRESQL_FROM
    return SearchResults(template.format(filters=" ".join(filters)), parameters)
