"""Search: public stories only, weighted and ranked on PostgreSQL, friendly for any query."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="full-text search needs PostgreSQL"
)
SEARCH_BUDGET = 3  # count (bounded), page, next embargo or expiry (articles/http.py)


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


def test_more_matches_than_the_limit_say_so_and_show_the_newest(client, settings, article_factory):
    settings.ARTICLES_SEARCH_LIMIT = 2
    article_factory("Harbour oldest", hours_ago=3)
    article_factory("Harbour older", hours_ago=2)
    article_factory("Harbour newest", hours_ago=1)
    response = client.get(reverse("articles:search"), {"q": "harbour"})
    assert b"More than 2 stories found" in response.content
    assert sorted(results(client, "harbour")) == ["Harbour newest", "Harbour older"]
    assert results(client, "harbour", page="2") == results(client, "harbour")


def test_matches_up_to_the_limit_are_counted(client, settings, article_factory):
    settings.ARTICLES_SEARCH_LIMIT = 2
    article_factory("Harbour one")
    article_factory("Harbour two")
    response = client.get(reverse("articles:search"), {"q": "harbour"})
    assert b"2 stories found." in response.content
    assert b"More than" not in response.content


def explain(sql: str, *options: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN ({', '.join(('COSTS OFF', *options))}) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def search_page_queries(client, query: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("articles:search"), {"q": query}).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "@@" in q["sql"]]


@postgres_only
def test_search_queries_read_the_stored_document(client, article_factory):
    for i in range(30):
        article_factory(f"Harbour story {i}" if i % 3 else f"Glacier story {i}")
    queries = search_page_queries(client, "harbour")
    assert len(queries) == 2  # the count, then the page
    for sql in queries:
        # Ranking and matching read the stored document, never re-parsing the body,
        # and the candidates come from an index (the GIN or the publishing order).
        plan = explain(sql)
        assert "Seq Scan on articles_article" not in plan
        assert "to_tsvector" not in plan


@postgres_only
def test_search_document_matches_the_gin_index(article_factory):
    from articles.models import Article
    from articles.search import DOCUMENT_INDEX_NAME, search

    article_factory("Harbour bridge reopens")
    # Without the publishing filter (which has its own index), a plan that avoids
    # scanning the table must use the stored document's GIN index.
    queryset = search(Article.objects.all(), "harbour")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert DOCUMENT_INDEX_NAME in plan


@postgres_only
def test_snippets_are_made_for_the_page_only(client, settings, article_factory):
    settings.ARTICLES_PAGE_SIZE = 2
    for i in range(5):
        article_factory(f"Harbour story {i}")
    page_query = search_page_queries(client, "harbour")[-1]
    plan = explain(page_query, "VERBOSE")
    # ts_headline runs above the sort and the LIMIT: only for the page's rows.
    sort = plan.index("Sort Key")
    assert "ts_headline" not in plan[sort:]
    assert "ts_headline" in plan[:sort]
    assert plan.lstrip().startswith(("Limit", "Result"))


@postgres_only
def test_an_edited_story_is_found_by_its_new_words_at_once(client, article_factory):
    from articles.models import Article

    story = article_factory("Harbour bridge reopens", body="<p>Traffic flows again.</p>")
    # Any write path, even one that skips save(): the database keeps the document.
    Article.objects.filter(pk=story.pk).update(headline="Ferry returns", body="<p>Gulls.</p>")
    assert results(client, "ferry") == ["Ferry returns"]
    assert results(client, "gulls") == ["Ferry returns"]
    assert results(client, "harbour") == []


@postgres_only
def test_stored_document_is_the_weighted_document(article_factory):
    from articles.models import Article
    from articles.search import StoredDocument, search_vector, story_config

    article_factory("Harbour bridge", dek="A dek.", body="<p>The <b>body</b> text.</p>")
    article_factory("Another", dek="", body="")
    rows = Article.objects.annotate(computed=search_vector(story_config()), stored=StoredDocument())
    pairs = list(rows.values_list("computed", "stored"))
    assert len(pairs) == 2
    assert all(computed == stored for computed, stored in pairs)


@postgres_only
def test_results_and_snippets_for_a_small_archive(client, article_factory):
    article_factory(
        "Volcano erupts", body="<p>Ash fell on the town as the volcano woke.</p>", hours_ago=4
    )
    article_factory("Quiet day", dek="No volcano news today.", hours_ago=1)
    article_factory("Town hall", body="<p>The <em>volcano</em> tour is back.</p>", hours_ago=2)
    article_factory("Unrelated", body="<p>Harbour.</p>")
    response = client.get(reverse("articles:search"), {"q": "volcanoes"})
    document = lxml_html.fromstring(response.content)
    found = []
    for item in document.xpath('//*[@class="search-result"]'):
        (snippet,) = item.xpath('.//p[@class="search-snippet"]')
        snippet = lxml_html.tostring(snippet, encoding="unicode")
        found.append((item.xpath("string(.//h2)").strip(), " ".join(snippet.split())))
    # Headline, then dek, then body; snippets are ts_headline's fragments of the body.
    assert found == [
        (
            "Volcano erupts",
            '<p class="search-snippet">fell on the town as the <mark>volcano</mark> woke</p>',
        ),
        ("Quiet day", '<p class="search-snippet"> Body. </p>'),
        ("Town hall", '<p class="search-snippet"><mark>volcano</mark> tour is back</p>'),
    ]
    assert b"3 stories found." in response.content
