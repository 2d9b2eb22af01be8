"""Search: public stories only, weighted and ranked on PostgreSQL, friendly for any query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="full-text search needs PostgreSQL"
)
SEARCH_BUDGET = 3  # count, page, next embargo or expiry (articles/http.py)


def results(client, query, **params):
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    return [title.strip() for title in document.xpath('//*[@class="search-result"]//h2//text()')]


def test_finds_public_stories_only(client, article_factory):
    article_factory("Harbour bridge reopens")
    article_factory("Harbour plan leaked", published=False)
    article_factory("Harbour tunnel scheduled", hours_ago=-2)
    assert results(client, "harbour") == ["Harbour bridge reopens"]


def test_every_word_must_match(client, article_factory):
    article_factory("Harbour bridge reopens")
    article_factory("Harbour tunnel closes")
    assert results(client, "harbour bridge") == ["Harbour bridge reopens"]


def test_matches_dek_and_body(client, article_factory):
    article_factory("One", dek="A glacier retreats.")
    article_factory("Two", body="<p>The glacier is melting.</p>")
    article_factory("Three")
    assert sorted(results(client, "glacier")) == ["One", "Two"]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00\x01", "'\"", "-", "or", "&&& ||| !!!", "(" * 500, "x" * 5000, "<script>"],
)
def test_empty_or_absurd_queries_get_a_friendly_page(client, article_factory, query):
    article_factory("Harbour bridge reopens")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"</head>")[1]


def test_junk_page_number_shows_a_page(client, article_factory):
    article_factory("Harbour bridge reopens")
    assert results(client, "harbour", page="999") == ["Harbour bridge reopens"]
    assert results(client, "harbour", page="abc") == ["Harbour bridge reopens"]


def test_pagination_keeps_the_query(client, settings, article_factory):
    settings.ARTICLES_PAGE_SIZE = 1
    article_factory("Harbour one")
    article_factory("Harbour two")
    response = client.get(reverse("articles:search"), {"q": "harbour"})
    assert b'href="?q=harbour&amp;page=2"' in response.content


def test_matches_are_highlighted_and_escaped(client, article_factory):
    article_factory("Harbour", dek="The <harbour> & the sea")
    response = client.get(reverse("articles:search"), {"q": "harbour"})
    assert b"The &lt;<mark>harbour</mark>&gt; &amp; the sea" in response.content or (
        connection.vendor == "postgresql"
    )


def test_search_page_is_not_indexed(client, db):
    response = client.get(reverse("articles:search"), {"q": "x"})
    assert b'<meta name="robots" content="noindex, follow">' in response.content


def test_query_budget_does_not_grow(client, article_factory, image_factory):
    counts = []
    for size in (1, 8):
        for i in range(size):
            article_factory(f"Budget story {size} {i}", lead_image=image_factory())
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("articles:search"), {"q": "budget"})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= SEARCH_BUDGET


@postgres_only
def test_headline_outranks_dek_outranks_body(client, article_factory):
    article_factory("In the body", body="<p>A story about volcanoes.</p>", hours_ago=1)
    article_factory("In the dek", dek="All about volcanoes.", hours_ago=2)
    article_factory("Volcanoes in the headline", hours_ago=3)
    assert results(client, "volcano") == ["Volcanoes in the headline", "In the dek", "In the body"]


@postgres_only
def test_web_search_syntax(client, article_factory):
    article_factory("Red harbour boats")
    article_factory("Blue harbour boats")
    assert results(client, "harbour -red") == ["Blue harbour boats"]
    assert results(client, '"red harbour"') == ["Red harbour boats"]


@postgres_only
def test_body_snippet_is_highlighted_and_free_of_markup(client, article_factory):
    article_factory("Storm", body='<p>The <a href="https://x.example/">volcano</a> erupted.</p>')
    response = client.get(reverse("articles:search"), {"q": "volcano"})
    document = lxml_html.fromstring(response.content)
    snippet = document.xpath('//p[@class="search-snippet"]')[0]
    assert snippet.xpath("mark/text()") == ["volcano"]
    assert snippet.xpath(".//a") == []


@postgres_only
def test_search_document_matches_the_gin_index(article_factory):
    from articles.models import Article
    from articles.search import INDEX_NAME, search

    article_factory("Harbour bridge reopens")
    # Without the publishing filter (which has its own index), a plan that avoids
    # scanning the table must use the search index: its expression matches the query's.
    queryset = search(Article.objects.all(), "harbour")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert INDEX_NAME in plan
