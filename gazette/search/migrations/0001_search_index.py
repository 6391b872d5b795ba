"""The full-text index of published stories, in each database's own engine.

The statements are idempotent, so the browser tests can replay data
migrations after a live-server test has emptied the database.

SQLite gets an FTS5 table (rowid = article id); PostgreSQL a table with a
weighted tsvector (A headline, B subhead, C body) and a GIN index. Neither is a
Django model: gazette.search.services keeps them current.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS search_article USING fts5(
        headline, subhead, body,
        section_id UNINDEXED, published_at UNINDEXED,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_article_forget AFTER DELETE ON newsroom_article
    BEGIN DELETE FROM search_article WHERE rowid = old.id; END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_article_forget",
    "DROP TABLE IF EXISTS search_article",
]
POSTGRESQL_FORWARD = [
    """
    CREATE TABLE IF NOT EXISTS search_article (
        article_id bigint PRIMARY KEY,
        headline text NOT NULL,
        subhead text NOT NULL,
        body text NOT NULL,
        section_id bigint NOT NULL,
        published_at timestamp with time zone NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', headline), 'A')
            || setweight(to_tsvector('english', subhead), 'B')
            || setweight(to_tsvector('english', body), 'C')
        ) STORED
    )
    """,
    "CREATE INDEX IF NOT EXISTS search_article_document_idx "
    "ON search_article USING GIN (document)",
    # A trigger, not a foreign key, forgets deleted stories: a key would stop
    # Django from truncating newsroom_article (test flushes) on its own.
    """
    CREATE OR REPLACE FUNCTION search_article_forget() RETURNS trigger AS $$
    BEGIN DELETE FROM search_article WHERE article_id = OLD.id; RETURN OLD; END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER search_article_forget AFTER DELETE ON newsroom_article
    FOR EACH ROW EXECUTE FUNCTION search_article_forget()
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_article_forget ON newsroom_article",
    "DROP FUNCTION IF EXISTS search_article_forget()",
    "DROP TABLE IF EXISTS search_article",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0004_photo_image_url")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
