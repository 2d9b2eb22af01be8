"""Store the weighted search document in a generated column with its own GIN index.

PostgreSQL only. ``search_document`` is ``GENERATED ALWAYS AS (...) STORED``: the
database computes it on every insert and update, so no write path (admin, importer,
``COPY``, raw SQL) can leave it stale. Ranking reads it instead of re-parsing every
matching story's body, which at a million stories took more than a minute. The
expression index of 0006 is dropped; its expression lives on in the column.

Adding the column rewrites the table under an exclusive lock (bench/README.md gives
the time at a million stories). The model does not declare the column (other
databases have none): ``articles.search.StoredDocument`` names it in queries.
"""

from django.db import migrations

# Literal SQL, not articles.search: a migration must build the same thing forever.
DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
)


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    # A GIN build over a million documents is much faster with room to sort in.
    execute("SET LOCAL maintenance_work_mem = '256MB'")
    # Drop the expression index first: the rewrite below rebuilds every index on the
    # table, and rebuilding this one would parse every story's text a second time.
    execute("DROP INDEX IF EXISTS articles_article_search_idx")
    execute(
        "ALTER TABLE articles_article ADD COLUMN search_document tsvector"
        f" GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    execute("CREATE INDEX articles_search_document_idx ON articles_article USING gin (search_document)")
    # The planner's choice between the GIN index and the publishing order needs the
    # new column's statistics (most common lexemes) now, not at the next autovacuum.
    execute("ANALYZE articles_article")


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("SET LOCAL maintenance_work_mem = '256MB'")
    execute(f"CREATE INDEX articles_article_search_idx ON articles_article USING gin (({DOCUMENT}))")
    execute("DROP INDEX IF EXISTS articles_search_document_idx")
    execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_join_rows_publishing_copies")]

    operations = [
        migrations.RunPython(add_search_document, remove_search_document, elidable=False)
    ]
