"""List pages never count the archive and fetch deep pages by id."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.pagination import encode_cursor

pytestmark = pytest.mark.django_db

HOME = "/news/"


@pytest.fixture
def stories(settings, article_factory):
    settings.ARTICLES_PAGE_SIZE = 3
    return [article_factory(headline=f"Story {i:02d}", hours_ago=i) for i in range(7)]


def test_list_pages_run_no_count_query(client, stories):
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME + "?page=2")
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


def test_pages_follow_each_other_newest_first(client, stories):
    pages = [client.get(f"{HOME}?page={n}").content.decode() for n in (1, 2, 3)]
    assert "Story 00" in pages[0] and "Story 03" in pages[1] and "Story 06" in pages[2]
    assert "Story 03" not in pages[0] and "Story 02" not in pages[1]


def links(page: str) -> dict[str, str]:
    """Return the page's "prev"/"next" link targets, unescaped."""
    found = re.findall(r'<a rel="(prev|next)" href="([^"]*)"', page)
    return {rel: html.unescape(href) for rel, href in found}


def test_older_stories_link_only_when_older_stories_exist(client, stories):
    assert links(client.get(HOME + "?page=2").content.decode())["next"].startswith(
        "?page=3&before="
    )
    last = client.get(HOME + "?page=3").content.decode()
    assert "next" not in links(last)
    assert links(last)["prev"].startswith("?page=2&after=")
    assert links(client.get(HOME + "?page=2").content.decode())["prev"] == "?page=1"


@pytest.mark.parametrize("url", [HOME, "/news/tag/common/"])
def test_following_the_links_gives_the_pages_by_number(client, stories, url):
    for story in stories:
        story.tags.add("Common")
    page, number, seen = client.get(url).content.decode(), 1, []
    while True:
        assert headlines(page) == headlines(client.get(f"{url}?page={number}").content.decode())
        seen += headlines(page)
        older = links(page).get("next")
        if older is None:
            break
        page, number = client.get(url + older).content.decode(), number + 1
    assert seen == [f"Story {i:02d}" for i in range(7)]
    # and back, newer by newer
    while number > 1:
        newer = links(page)["prev"]
        page, number = client.get(url + newer).content.decode(), number - 1
        assert headlines(page) == headlines(client.get(f"{url}?page={number}").content.decode())


def headlines(page: str) -> list[str]:
    return re.findall(r">(Story \d\d)</a>", page)


@pytest.mark.parametrize(
    "query", ["before=nonsense", "after=%%%", "before=MjAyNnwx", "page=2&before=x&after=y"]
)
def test_junk_cursors_are_not_found(client, stories, query):
    assert client.get(f"{HOME}?{query}").status_code == 404


def test_a_cursor_past_the_oldest_story_is_not_found(client, stories):
    page = client.get(HOME + "?page=2").content.decode()
    last = client.get(HOME + links(page)["next"]).content.decode()
    assert "next" not in links(last)
    oldest = stories[-1]

    assert (
        client.get(
            f"{HOME}?page=4&before={encode_cursor(oldest.published_at, oldest.pk)}"
        ).status_code
        == 404
    )


def test_a_page_past_the_end_is_not_found(client, stories):
    assert client.get(HOME + "?page=4").status_code == 404


def test_a_page_exactly_full_has_no_older_link(client, settings, article_factory):
    settings.ARTICLES_PAGE_SIZE = 2
    for i in range(4):
        article_factory(hours_ago=i)
    assert 'rel="next"' not in client.get(HOME + "?page=2").content.decode()
    assert client.get(HOME + "?page=3").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_junk_page_numbers_are_not_found(client, stories, page):
    assert client.get(f"{HOME}?page={page}").status_code == 404


def test_an_empty_archive_still_has_a_home_page(client, db):
    assert client.get(reverse("articles:home")).status_code == 200
