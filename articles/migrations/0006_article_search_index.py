"""A GIN index for full-text search over headline, dek and body (PostgreSQL only).

It is an expression index, so the query in ``articles/search.py`` must build the
same ``search_vector()``; other databases get no index and use the fallback search.
"""

from django.db import migrations


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from articles.search import INDEX_NAME, search_vector

    Article = apps.get_model("articles", "Article")
    schema_editor.add_index(Article, GinIndex(search_vector(), name=INDEX_NAME))


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.search import INDEX_NAME

    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX_NAME)}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_create_roles")]

    operations = [migrations.RunPython(add_search_index, remove_search_index, elidable=False)]
