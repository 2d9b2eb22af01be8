"""Search over public stories: PostgreSQL full-text search, or a simple fallback.

On PostgreSQL, stories match a web-search style query (``"exact phrase"``,
``-without``, ``or``) against the headline (weight A), the dek (B) and the
body (C), ranked, with highlighted snippets. Each story is stemmed in its own
language (``languages.SEARCH_CONFIGS``, ``simple`` for others); the query is
read in the configuration of each language of ``LANGUAGES`` and matches in any,
so one tsquery serves the GIN index whatever the archive's languages. The
weighted document is the stored generated column ``search_document`` that the
database itself keeps in step with every write, with a GIN index (migrations
``0011``, ``0021``); the model does not
declare it, so queries name it through ``StoredDocument``. Elsewhere (SQLite),
every word must appear in one of those fields; newest first.

Only the newest ``ARTICLES_SEARCH_LIMIT`` matches are ranked and paginated, so a
word found in half the archive costs the same as one found in a few thousand
stories; ``count()`` tells whether more matched.
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.db import connection
from django.db.models import Case, Expression, Value, When
from django.db.models.expressions import Col
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .conf import app_settings
from .languages import FALLBACK_CONFIG, search_config, search_configs
from .text import clean_line

# The configuration of migrations 0006 and 0011, before stories had a language.
SEARCH_CONFIG = "english"
# The expression index migration 0006 made; 0011 replaced it with DOCUMENT_INDEX_NAME.
INDEX_NAME = "articles_article_search_idx"
DOCUMENT_COLUMN = "search_document"
DOCUMENT_INDEX_NAME = "articles_search_document_idx"
MAX_QUERY_LENGTH = 200
MAX_FALLBACK_WORDS = 8
# Private-use characters mark the matches inside ts_headline's output, so they
# survive stripping the body's tags and escaping, and become <mark> only then.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_query(raw: str | None) -> str:
    """Return the reader's query as one clean line of reasonable length."""
    return clean_line(raw or "")[:MAX_QUERY_LENGTH]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def story_config() -> Case:
    """Return the text-search configuration of each story's language, as an expression.

    Covers the languages of ``LANGUAGES``; migration 0021 spells out every code of
    ``SEARCH_CONFIGS`` for the stored document.
    """
    whens = [
        When(language=code, then=Value(search_config(code)))
        for code, _name in settings.LANGUAGES
        if search_config(code) != FALLBACK_CONFIG
    ]
    return Case(*whens, default=Value(FALLBACK_CONFIG))


def search_vector(config=SEARCH_CONFIG):
    """Return the weighted document, computed in ``config`` (PostgreSQL only).

    Migration 0021 stores it, in ``story_config()``, in ``search_document``; queries
    read the stored column (``StoredDocument``) instead of recomputing it.
    """
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def search_query(query: str):
    """Return ``query`` read in every story language's configuration: a match in any counts."""
    from django.contrib.postgres.search import SearchQuery

    parsed = [SearchQuery(query, search_type="websearch", config=c) for c in search_configs()]
    combined = parsed[0]
    for each in parsed[1:]:
        combined = combined | each
    return combined


class StoredDocument(Expression):
    """The stored ``search_document`` column of the query's article table (PostgreSQL only).

    The column exists only on PostgreSQL, so the model cannot declare it; this
    resolves to a column of the query's own table alias, which Django relabels
    like any other when the query becomes a subquery.
    """

    def resolve_expression(self, query=None, *args, **kwargs):
        from django.contrib.postgres.search import SearchVectorField

        field = SearchVectorField()
        field.set_attributes_from_name(DOCUMENT_COLUMN)
        field.model = query.model
        return Col(query.get_initial_alias(), field)


def search(queryset, query: str):
    """Narrow public ``queryset`` to its newest matches for ``query``, best first.

    At most ``ARTICLES_SEARCH_LIMIT`` stories: the newest matches, ranked. Each
    story gets a ``search_snippet`` annotation (PostgreSQL) for ``snippet()``.
    """
    matches = _matches(queryset, query)
    if matches is None:
        return queryset.none()
    # Ranking reads every candidate's document: bound the candidates, newest first
    # (the GIN index finds them; the publishing order breaks the tie).
    newest = matches.order_by("-published_at", "-pk").values("pk")[: app_settings.SEARCH_LIMIT]
    queryset = queryset.filter(pk__in=newest)
    if uses_full_text():
        return _ranked(queryset, query)
    return queryset


def count(queryset, query: str) -> int:
    """Count ``query``'s matches in ``queryset``, up to ``ARTICLES_SEARCH_LIMIT + 1``.

    One more than the limit means "more than the limit": counting stops there.
    """
    matches = _matches(queryset, query)
    if matches is None:
        return 0
    return matches.order_by().values("pk")[: app_settings.SEARCH_LIMIT + 1].count()


def _matches(queryset, query: str):
    """Return the stories of ``queryset`` matching ``query`` (unordered), or None for no query."""
    if not query:
        return None
    if uses_full_text():
        return queryset.alias(search_document=StoredDocument()).filter(
            search_document=search_query(query)
        )
    return _fallback(queryset, query)


def _ranked(queryset, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    tsquery = search_query(query)
    # ts_headline is costly: PostgreSQL evaluates it after the sort and LIMIT, for
    # the page's rows only (tests/test_search.py checks the plan).
    return queryset.annotate(
        search_rank=SearchRank(StoredDocument(), tsquery),
        search_snippet=SearchHeadline(
            "body",
            tsquery,
            config=story_config(),
            start_sel=_START,
            stop_sel=_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
        ),
    ).order_by("-search_rank", "-published_at", "-pk")


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)[:MAX_FALLBACK_WORDS]


def _fallback(queryset, query: str):
    from django.db.models import Q

    words = query_words(query)
    if not words:
        return None
    for word in words:
        queryset = queryset.filter(
            Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        )
    return queryset


def snippet(article, query: str) -> SafeString:
    """Return a short, escaped extract of the story with the matched words in ``<mark>``."""
    raw = getattr(article, "search_snippet", None)
    if raw is None:
        text = article.dek or Truncator(html.unescape(strip_tags(article.body))).words(30)
        words = sorted(set(query_words(query)), key=len, reverse=True)
        if not words:
            return escape(text)
        pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
        pieces, last = [], 0
        for match in pattern.finditer(text):
            pieces += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            last = match.end()
        pieces.append(escape(text[last:]))
        return mark_safe("".join(pieces))
    text = escape(html.unescape(strip_tags(raw)))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))
