"""The site-wide facts every page shows (navigation, next scheduled change), kept per process."""

from __future__ import annotations

import copy
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from articles.conf import app_settings
from articles.models import Article, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def host_with_a_menu(settings):
    """Render the pages in a host's base template with a menu of sections."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).resolve().parent / "templates_nav"]
    settings.TEMPLATES = templates


def nav_and_max_age(client, url="/news/"):
    response = client.get(url)
    assert response.status_code == 200
    names = lxml_html.fromstring(response.content).xpath("//nav[@class='site-nav']//a/text()")
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    return [name.strip() for name in names], max_age


def site_wide_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    # The navigation's query lists sections; a section page's own looks one up by slug.
    return [
        sql
        for sql in (q["sql"] for q in ctx.captured_queries)
        if sql.startswith('SELECT MIN("articles_article"')
        or (sql.startswith('SELECT "articles_section"') and '"slug" =' not in sql)
    ]


def test_pages_read_the_navigation_and_next_change_once(client, article_factory):
    story = article_factory()
    pages = ["/news/", story.get_absolute_url(), story.section.get_absolute_url()]
    assert len(site_wide_queries(client, pages[0])) == 2
    for url in pages:
        assert site_wide_queries(client, url) == [], url


def test_a_write_in_this_process_shows_on_the_next_page(client, article_factory, section_factory):
    article_factory(section=section_factory("Weather"))
    assert nav_and_max_age(client)[0] == ["Weather"]
    story = article_factory(section=section_factory("Arts"), published=False)
    assert nav_and_max_age(client)[0] == ["Weather"]
    story.publish()
    assert nav_and_max_age(client)[0] == ["Arts", "Weather"]
    story.retract("Wrong photo")
    assert nav_and_max_age(client)[0] == ["Weather"]


def test_a_scheduled_story_enters_the_navigation_when_its_time_comes(
    client, settings, article_factory, section_factory
):
    settings.ARTICLES_SITE_FACTS_TIMEOUT = 3600  # only the embargo may end the kept facts
    article_factory(section=section_factory("Weather"))
    lifts = timezone.now() + timedelta(seconds=1.5)
    article_factory(section=section_factory("Arts"), status=Status.PUBLISHED, published_at=lifts)
    names, max_age = nav_and_max_age(client)
    assert names == ["Weather"]
    assert max_age <= 2  # no cache keeps the page past the embargo
    time.sleep(max(0, (lifts - timezone.now()).total_seconds()) + 0.1)
    assert nav_and_max_age(client)[0] == ["Arts", "Weather"]


def test_a_write_no_signal_announces_is_seen_within_the_timeout(
    client, settings, article_factory, section_factory
):
    # As a write in another process would be: this one hears no post_save of it.
    settings.ARTICLES_SITE_FACTS_TIMEOUT = 0.3
    story = article_factory(section=section_factory("Arts"))
    article_factory(section=section_factory("Weather"))
    assert nav_and_max_age(client)[0] == ["Arts", "Weather"]
    Article.objects.filter(pk=story.pk).update(status=Status.DRAFT)
    time.sleep(0.4)
    assert nav_and_max_age(client)[0] == ["Weather"]


def test_a_timeout_of_zero_reads_them_on_every_page(client, settings, article_factory):
    settings.ARTICLES_SITE_FACTS_TIMEOUT = 0
    story = article_factory()
    for url in ["/news/", story.get_absolute_url()]:
        assert len(site_wide_queries(client, url)) == 2, url


def test_with_the_page_cache_on_every_page_reads_the_next_change(client, settings, article_factory):
    # A kept page could outlive an expiry another process set during the lag.
    settings.ARTICLES_PAGE_CACHE = True
    settings.ARTICLES_SITE_FACTS_TIMEOUT = 3600
    story = article_factory()
    assert nav_and_max_age(client)[1] == app_settings.CACHE_MAX_AGE
    expires = timezone.now() + timedelta(seconds=30)
    Article.objects.filter(pk=story.pk).update(expire_at=expires)  # no signal: as elsewhere
    assert nav_and_max_age(client, story.get_absolute_url())[1] <= 30


def test_a_section_page_and_feed_find_their_section_among_the_kept_ones(
    client, article_factory, section_factory
):
    story = article_factory(section=section_factory("Arts"))
    hidden = article_factory(section=section_factory("Secret"), published=False)
    client.get("/news/")  # the navigation's sections, kept
    for url in [story.section.get_absolute_url(), f"{story.section.get_absolute_url()}rss/"]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        found = [
            q for q in ctx.captured_queries if q["sql"].startswith('SELECT "articles_section"')
        ]
        assert found == [], url
    # A section without a public story has no page, kept or not.
    assert client.get(hidden.section.get_absolute_url()).status_code == 404
    hidden.publish()
    assert client.get(hidden.section.get_absolute_url()).status_code == 200
