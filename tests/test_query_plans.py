"""On PostgreSQL, every query of the public list pages can be served by an index.

A test database holds a few rows, and on a few rows a sequential scan is the
planner's best choice whatever the indexes. So each query the page actually
ran is explained again with ``enable_seqscan = off``: that setting does not
forbid sequential scans, it makes them prohibitively expensive, so one still
shows up only when no index can serve the query. At a million stories (see
bench/README.md) the planner picks the same indexes by cost alone.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL"
    ),
]

TABLES = ("articles_article", "articles_taggedarticle", "articles_articleauthor")


def sequential_scans(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert any("articles_article" in query["sql"] for query in ctx.captured_queries)
    found = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in ctx.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found += [f"{t}: {query['sql']}" for t in TABLES if f"Seq Scan on {t}" in plan]
    return found


@pytest.fixture
def archive(article_factory, author_factory, section_factory):
    section, author = section_factory(), author_factory()
    for i in range(30):
        article_factory(section=section, tags=["common", f"rare {i}"], authors=[author])
    return section, author


@pytest.mark.parametrize("page", ["1", "2"])
@pytest.mark.parametrize("name", ["home", "section", "tag", "author"])
def test_list_page_queries_use_indexes(client, archive, name, page):
    section, author = archive
    kwargs = {"home": {}, "section": {"slug": section.slug}, "tag": {"slug": "common"}}
    kwargs["author"] = {"slug": author.slug}
    url = reverse(f"articles:{name}", kwargs=kwargs[name] or None) + f"?page={page}"
    assert sequential_scans(client, url) == []
