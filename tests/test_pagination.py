"""List pages never count the archive and fetch deep pages by id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def test_older_stories_link_only_when_older_stories_exist(client, stories):
    assert 'rel="next" href="?page=3"' in client.get(HOME + "?page=2").content.decode()
    last = client.get(HOME + "?page=3").content.decode()
    assert 'rel="next"' not in last
    assert 'rel="prev" href="?page=2"' in last


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
