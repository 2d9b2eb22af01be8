"""No input a reader or an editor can send makes a server error (issue 14's probes)."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from articles.models import Article
from tests.conftest import change_form_data as conftest_change_form_data


def cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


BAD_PUBLIC_URLS = [
    # Page numbers past any database's 64-bit OFFSET.
    "/news/?page=99999999999999999999999",
    "/news/?page=9223372036854775808",
    "/news/section/news/?page=9223372036854775807",
    # A NUL byte in a slug, a filter or a token: PostgreSQL refuses any string holding one.
    "/news/story/a%00b/",
    "/news/tag/a%00b/",
    "/news/section/a%00b/",
    "/news/author/a%00b/",
    "/news/tag/a%00b/rss/",
    "/news/api/ninjs/?tag=a%00b",
    "/news/api/ninjs/?section=a%00b",
    "/news/api/ninjs/?since=2026-01-01%00",
    "/news/api/ninjs/a%00b/",
    "/news/search/?q=a%00b",
    "/news/?page=1%00",
    "/news/?p=1%00",
    "/news/story/some-story/preview/a%00b/",
    "/news/no-such-page%00/",
    # Forged list cursors with times at the ends of the calendar and huge keys.
    "/news/?page=2&before=" + cursor("9999-12-31T23:59:59+00:00|1"),
    "/news/?page=2&before=" + cursor("0001-01-01T00:00:00+05:00|1"),
    "/news/?page=2&after=" + cursor("0001-01-01T00:00:00-12:00|99999999999999999999"),
    "/news/?page=2&after=" + cursor("2026-01-01T00:00:00+00:00|-5"),
    "/news/api/ninjs/?cursor=" + cursor("0001-01-01T00:00:00+14:00|1"),
    "/news/api/ninjs/?cursor=" + cursor("2026-01-01T00:00:00+00:00|9223372036854775808"),
    # Sitemap months whose end is past the calendar, or before it.
    "/news/sitemap-articles-9999-12.xml",
    "/news/sitemap-articles-0000-01.xml",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", BAD_PUBLIC_URLS)
def test_bad_public_address_is_no_server_error(url, article_factory):
    article_factory("A public story")
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code < 500, (url, response.status_code)


@pytest.mark.django_db
def test_last_month_of_the_calendar_is_not_found_rather_than_an_error(client):
    assert client.get("/news/sitemap-articles-9999-11.xml").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=a%00b", "section__id__exact=%00", "p=%00"])
def test_admin_list_with_a_nul_in_its_query_is_no_server_error(admin_client, query):
    admin_client.raise_request_exception = False
    url = reverse("admin:articles_article_changelist") + "?" + query
    assert admin_client.get(url).status_code < 500


@pytest.mark.django_db
def test_over_long_tag_in_the_article_form_is_a_form_error(admin_client, article_factory):
    story = article_factory("Tagged story")
    long_name = "x" * 101
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {
            "headline": story.headline,
            "slug": story.slug,
            "section": story.section_id,
            "tags": f"Floods, {long_name}",
            "status": story.status,
            "base_version": story.version,
            "bylines-TOTAL_FORMS": 0,
            "bylines-INITIAL_FORMS": 0,
            "related_links-TOTAL_FORMS": 0,
            "related_links-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert not story.tags.exists()


@pytest.mark.django_db
def test_over_long_tag_in_the_bulk_action_is_refused_with_a_message(admin_client, article_factory):
    story = article_factory("Bulk-tagged story")
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "add_tags", "_selected_action": [story.pk], "tags": "y" * 150},
        follow=True,
    )
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert not story.tags.exists()


@pytest.mark.django_db
def test_bulk_tagging_counts_as_an_edit_so_an_open_form_meets_a_conflict(
    admin_client, article_factory
):
    story = article_factory("Story open in a form")
    opened_at = story.version
    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "add_tags", "_selected_action": [story.pk], "tags": "Floods"},
    )
    assert Article.objects.get(pk=story.pk).version == opened_at + 1


XML_FORBIDDEN = ["\ufffe", "\uffff", "\x07", "\x1b", "\x85", "\x9f"]


def change_form_data(story, **changes):
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "dek": story.dek,
        "section": story.section_id,
        "tags": "",
        "status": story.status,
        "base_version": story.version,
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "related_links-TOTAL_FORMS": 0,
        "related_links-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("char", XML_FORBIDDEN)
def test_headline_with_a_character_feeds_refuse_is_a_form_error(
    admin_client, article_factory, char
):
    story = article_factory("Clean headline")
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form_data(story, headline=f"Breaking{char} news"),
    )
    assert response.status_code == 200
    assert "cannot hold when published" in response.content.decode()
    named = "a line break" if char == "\x85" else f"U+{ord(char):04X}"
    assert named in response.content.decode()
    assert Article.objects.get(pk=story.pk).headline == "Clean headline"


@pytest.mark.django_db
def test_tab_in_a_single_line_field_is_named_not_swallowed(admin_client, article_factory):
    story = article_factory("Clean headline")
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form_data(story, dek="One\tsentence"),
    )
    assert "a tab at character 4" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("admin:articles_tag_add", {"name": "Floods\uffff", "description": ""}),
        ("admin:articles_section_add", {"name": "News\ufffe", "slug": "news-2"}),
        ("admin:articles_author_add", {"name": "Ana\x07", "slug": "ana"}),
    ],
)
def test_other_admin_forms_refuse_them_too(admin_client, url_name, data):
    response = admin_client.post(reverse(url_name), data)
    assert response.status_code == 200
    assert "cannot hold when published" in response.content.decode()


@pytest.mark.django_db
def test_writes_that_skip_forms_store_text_feeds_can_carry(client, article_factory):
    story = article_factory("Breaking\ufffe news\uffff", dek="Dek\x07")
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Breaking news", "Dek")
    feed = client.get(reverse("articles:feed_rss"))
    etree.fromstring(feed.content)  # still XML


@pytest.mark.django_db
def test_change_form_posted_without_its_version_is_refused(editor_client, article_factory):
    story = article_factory("Opened somewhere")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = conftest_change_form_data(editor_client.get(url), headline="Overwritten unseen")
    del data["base_version"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "does not say which version" in response.content.decode()
    assert Article.objects.get(pk=story.pk).headline == "Opened somewhere"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["admin:articles_article_changelist", "admin:articles_image_changelist"]
)
def test_admin_search_uses_at_most_ten_words_and_says_so(admin_client, article_factory, url_name):
    article_factory("Harbour bridge reopens")
    words = " ".join(["harbour"] + [f"word{n}" for n in range(3000)])
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse(url_name), {"q": words})
    assert response.status_code == 200
    assert "first 10 words only" in response.content.decode()
    assert max(len(q["sql"]) for q in queries.captured_queries) < 20_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_image_changelist",
        "admin:articles_tag_changelist",
        "admin:articles_section_changelist",
        "admin:articles_author_changelist",
        "admin:articles_auditevent_changelist",
    ],
)
def test_other_admin_lists_refuse_a_nul_too(admin_client, url_name):
    admin_client.raise_request_exception = False
    assert admin_client.get(reverse(url_name), {"q": "a\x00b", "o": "\x00"}).status_code == 400
