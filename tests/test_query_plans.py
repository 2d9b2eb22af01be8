"""On PostgreSQL, every query of the public lists, feeds, sitemaps and API can use an index.

A test database holds a few rows, and on a few rows a sequential scan is the
planner's best choice whatever the indexes. So each query the page actually
ran is explained again with ``enable_seqscan = off``: that setting does not
forbid sequential scans, it makes them prohibitively expensive, so one still
shows up only when no index can serve the query. At a million stories (see
bench/README.md) the planner picks the same indexes by cost alone.
"""

from datetime import UTC, datetime

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


@pytest.fixture
def months(article_factory, archive):
    """The archive spread over a few more months, for the monthly story sitemaps."""
    section, _ = archive
    for month in (1, 3, 7):
        article_factory(section=section, published_at=datetime(2024, month, 9, tzinfo=UTC))
    return datetime(2024, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("name", ["index", "month", "news", "sections", "tags", "authors"])
def test_sitemap_queries_use_indexes(client, months, name):
    urls = {
        "index": reverse("articles:sitemap"),
        "month": reverse("articles:sitemap_month", kwargs={"month": months}),
    }
    url = urls.get(name) or reverse("articles:sitemap_section", kwargs={"section": name})
    assert sequential_scans(client, url) == []


@pytest.mark.parametrize("name", ["feed_rss", "feed_atom", "section", "tag", "author"])
def test_feed_queries_use_indexes(client, archive, name):
    section, author = archive
    slugs = {"section": section.slug, "tag": "common", "author": author.slug}
    if name in slugs:
        url = reverse(f"articles:{name}_rss", kwargs={"slug": slugs[name]})
    else:
        url = reverse(f"articles:{name}")
    assert sequential_scans(client, url) == []


SUBJECT_INDEXES = {"tag": "articles_tagged_order_idx", "author": "articles_byline_order_idx"}


def subject_plans(client, url, marker) -> list[str]:
    """Return the plans of the queries of ``url`` whose SQL holds ``marker``."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries if marker in q["sql"]]
    return [explain(sql) for sql in queries if sql.startswith("SELECT")]


@pytest.mark.parametrize("name", ["tag", "author"])
@pytest.mark.parametrize("kind", ["page", "rss"])
def test_subject_lists_read_the_join_tables_index(client, archive, name, kind):
    """Tag and author lists start from the join rows' copies (articles/models/copies.py).

    Not from a walk of the public index probing the join table for each story,
    which at a million stories reads ~30,000 entries for a tag of a few hundred.
    """
    _section, author = archive
    slug = "common" if name == "tag" else author.slug
    url = reverse(f"articles:{name}" if kind == "page" else f"articles:{name}_rss", args=[slug])
    table = {"tag": "articles_taggedarticle", "author": "articles_articleauthor"}[name]
    plans = subject_plans(client, url, f'ORDER BY "{table}"."published_at" DESC')
    assert plans
    for plan in plans:
        assert SUBJECT_INDEXES[name] in plan, plan
        assert "Seq Scan" not in plan, plan
        # The story is held to the rule too (published()): a stale copy never lists it.
        lines = plan.splitlines()
        story = [n for n, line in enumerate(lines) if " on articles_article " in line]
        assert story, plan
        for number in story:
            conditions = " ".join(lines[number + 1 : number + 3])
            assert "status)::text = 'published'" in conditions, plan


@pytest.mark.parametrize("name", ["tags", "authors"])
def test_subject_sitemaps_probe_the_join_tables_index(client, archive, name):
    url = reverse("articles:sitemap_section", kwargs={"section": name})
    table = {"tags": "articles_taggedarticle", "authors": "articles_articleauthor"}[name]
    plans = subject_plans(client, url, f'FROM "{table}" U0')  # the per-subject probe
    assert plans
    for plan in plans:
        assert SUBJECT_INDEXES[name[:-1]] in plan, plan
        assert "Seq Scan" not in plan, plan


def explain(sql: str) -> str:
    """Return the plan PostgreSQL picks for ``sql`` when it avoids sequential scans."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def api_next_page(client, url) -> str:
    link = client.get(url)["Link"]
    return link[link.index("<") + 1 : link.index(">")]


@pytest.mark.parametrize("params", ["", "?section={section}", "?tag=common", "?since=2020-01-01"])
def test_api_list_queries_use_indexes_on_every_page(client, settings, archive, params):
    settings.ARTICLES_API_PAGE_SIZE = 5
    section, _ = archive
    url = reverse("articles:api_list") + params.format(section=section.slug)
    deep = api_next_page(client, api_next_page(client, url))
    assert sequential_scans(client, url) == []
    assert sequential_scans(client, deep) == []


def test_api_cursor_starts_the_index_scan_at_the_cursor(client, settings, archive):
    """The cursor is an index condition, so a deep page reads what the first one does.

    Without it the scan starts at the newest story and filters its way down to the
    cursor: at a million stories, a page ten years back walks most of the index.
    """
    settings.ARTICLES_API_PAGE_SIZE = 5
    deep = api_next_page(client, reverse("articles:api_list"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(deep)
    page = next(q["sql"] for q in ctx.captured_queries if 'FROM "articles_article"' in q["sql"])
    plan = explain(page)
    # Two upper bounds on the publication time in the index condition: now, and the cursor.
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any(line.count("published_at <=") == 2 for line in conditions), plan


@pytest.mark.parametrize("name", ["home", "section", "tag", "author"])
def test_an_older_stories_link_starts_the_index_at_its_story(client, settings, archive, name):
    import html
    import re

    settings.ARTICLES_PAGE_SIZE = 5
    section, author = archive
    kwargs = {"home": {}, "section": {"slug": section.slug}, "tag": {"slug": "common"}}
    kwargs["author"] = {"slug": author.slug}
    url = reverse(f"articles:{name}", kwargs=kwargs[name] or None)
    older = re.search(r'rel="next" href="([^"]*)"', client.get(url).content.decode())
    deep = url + html.unescape(older.group(1))
    assert "before=" in deep
    assert sequential_scans(client, deep) == []
    with CaptureQueriesContext(connection) as ctx:
        client.get(deep)
    ids = next(q["sql"] for q in ctx.captured_queries if 'published_at" <=' in q["sql"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + ids)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("published_at <=" in line for line in index_conditions), plan
