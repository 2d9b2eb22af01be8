"""Property-based probes: arbitrary Unicode through every public address and editors' forms.

Whatever a reader types into an address or an editor into a form, the answer is never
a server error, and every feed and sitemap stays XML afterwards.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from articles.text import clean_line, normalise_name

# Every category the probes found trouble in: controls (C0, C1), noncharacters, NUL,
# line and paragraph separators, right-to-left marks, emoji, combining marks.
AWKWARD = st.sampled_from(
    [
        *["\x00", "\x07", "\x0b", "\x1b", "\x85", "\x9f", "\ufffe", "\uffff", "\u2028"],
        *["\u202e", "\u200b", "\ufeff", "\U0001f4f0", "e\u0301", "%", "/", "?", "#", ".."],
        *["\\", " "],
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=8), AWKWARD), max_size=6).map("".join)
PROBE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SLUG_ROUTES = [
    "articles:article",
    "articles:section",
    "articles:tag",
    "articles:author",
    "articles:section_rss",
    "articles:tag_atom",
    "articles:author_rss",
    "articles:api_detail",
]
QUERY_ROUTES = [
    ("articles:home", ["page", "before", "after"]),
    ("articles:search", ["q", "page"]),
    ("articles:api_list", ["section", "tag", "since", "cursor", "page_size"]),
    ("articles:sitemap_section", ["p"]),
]
FEEDS_AND_SITEMAPS = ["articles:feed_rss", "articles:feed_atom", "articles:sitemap"]


def path_with(route: str, value: str) -> str:
    placeholder = "placeholder-slug"
    return reverse(route, kwargs={"slug": placeholder}).replace(
        placeholder, quote(value.encode("utf-8", "surrogatepass"), safe="")
    )


@pytest.fixture
def public_site(article_factory):
    article_factory("A public story", tags=["Floods"])
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("route", SLUG_ROUTES)
@PROBE
@given(value=TEXT)
def test_any_slug_in_an_address_is_never_a_server_error(public_site, route, value):
    response = public_site.get(path_with(route, value))
    assert response.status_code < 500, (route, value, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "names"), QUERY_ROUTES)
@PROBE
@given(values=st.lists(TEXT, min_size=4, max_size=5))
def test_any_query_parameter_is_never_a_server_error(public_site, route, names, values):
    kwargs = {"section": "articles"} if route == "articles:sitemap_section" else {}
    query = "&".join(f"{quote(n)}={quote(v, safe='')}" for n, v in zip(names, values, strict=False))
    response = public_site.get(reverse(route, kwargs=kwargs) + "?" + query)
    assert response.status_code < 500, (route, query, response.status_code)


@pytest.mark.django_db
@PROBE
@given(headline=TEXT.filter(clean_line), dek=TEXT, tag=TEXT.filter(normalise_name))
def test_stories_saved_without_forms_keep_feeds_and_sitemaps_xml(
    article_factory, headline, dek, tag
):
    article_factory(headline[:110], dek=dek[:300], tags=[tag[:100]])
    client = Client(raise_request_exception=False)
    for route in FEEDS_AND_SITEMAPS:
        response = client.get(reverse(route))
        assert response.status_code == 200, route
        etree.fromstring(response.content)
