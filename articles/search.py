"""Search over public stories: PostgreSQL full-text search, or a simple fallback.

On PostgreSQL, stories match a web-search style query (``"exact phrase"``,
``-without``, ``or``) against the headline (weight A), the dek (B) and the
body (C), ranked, with highlighted snippets, served by the GIN expression
index ``articles_article_search_idx`` (migration ``0006``). Elsewhere (SQLite),
every word must appear in one of those fields; newest first.
"""

from __future__ import annotations

import html
import re

from django.db import connection
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .text import clean_line

SEARCH_CONFIG = "english"
INDEX_NAME = "articles_article_search_idx"
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


def search_vector():
    """Return the weighted document the GIN index is built on (PostgreSQL only)."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def search(queryset, query: str):
    """Narrow public ``queryset`` to stories matching ``query``, best first.

    Each story gets a ``search_snippet`` annotation (PostgreSQL) for ``snippet()``.
    """
    if not query:
        return queryset.none()
    if uses_full_text():
        return _full_text(queryset, query)
    return _fallback(queryset, query)


def _full_text(queryset, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    vector = search_vector()
    return (
        queryset.annotate(search_document=vector)
        .filter(search_document=tsquery)
        .annotate(
            search_rank=SearchRank(vector, tsquery),
            search_snippet=SearchHeadline(
                "body",
                tsquery,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
            ),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)[:MAX_FALLBACK_WORDS]


def _fallback(queryset, query: str):
    from django.db.models import Q

    words = query_words(query)
    if not words:
        return queryset.none()
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
