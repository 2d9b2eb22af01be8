"""Cards and "More from" choices kept in the shared cache: same pages, never stale."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.test_pagecache import closed_port

pytestmark = pytest.mark.django_db

HOME = "/news/"


@pytest.fixture(autouse=True, params=[False, True], ids=["fragments", "fragments+pages"])
def fragment_cache(request, settings):
    """Every test runs with the fragment cache alone, and under the page cache too."""
    settings.ARTICLES_FRAGMENT_CACHE = True
    settings.ARTICLES_PAGE_CACHE = request.param
    cache.clear()
    yield
    cache.clear()


def queries(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def newsroom(article_factory, section_factory, image_factory):
    """A section of tagged stories with photos, and one story to read among them."""
    section = section_factory("Politics")
    photo = image_factory(credit="REUTERS/Jonathan Ernst")
    older = [
        article_factory(
            f"Budget story {n}",
            section=section,
            tags=["Budget"],
            lead_image=photo,
            hours_ago=10 + n,
        )
        for n in range(4)
    ]
    story = article_factory("Chancellor sets out budget", section=section, tags=["Budget"])
    return {"section": section, "photo": photo, "older": older, "story": story}


def test_pages_are_the_same_with_and_without_the_fragment_cache(client, settings, newsroom):
    urls = [
        HOME,
        newsroom["section"].get_absolute_url(),
        newsroom["story"].get_absolute_url(),
        newsroom["story"].tags.get().get_absolute_url(),
    ]
    cold = [client.get(url).content for url in urls]
    warm = [client.get(url).content for url in urls]
    settings.ARTICLES_FRAGMENT_CACHE = False
    plain = [client.get(url).content for url in urls]
    assert cold == warm == plain
    assert b"REUTERS/Jonathan Ernst" in warm[0]
    assert b"Budget story 0" in warm[2]  # in the "More from" module


def test_kept_parts_cost_fewer_queries(client, settings, newsroom):
    settings.ARTICLES_PAGE_CACHE = False  # the fragments' own effect
    url = newsroom["story"].get_absolute_url()
    first, cold = queries(client, url)
    second, warm = queries(client, url)
    assert first == second
    assert warm < cold
    settings.ARTICLES_FRAGMENT_CACHE = False
    _, plain = queries(client, url)
    assert warm < plain


def test_query_count_of_a_kept_choice_does_not_grow_with_its_stories(
    client, settings, newsroom, related_link_factory, article_factory
):
    settings.ARTICLES_PAGE_CACHE = False  # the fragments' own effect
    settings.ARTICLES_RELATED_COUNT = 2
    url = newsroom["story"].get_absolute_url()
    client.get(url)
    _, two = queries(client, url)
    settings.ARTICLES_RELATED_COUNT = 4
    client.get(url)
    _, four = queries(client, url)
    assert two == four


def test_an_edited_headline_reaches_every_card_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    client.get(HOME)
    client.get(newsroom["story"].get_absolute_url())
    old = newsroom["older"][0]
    with django_capture_on_commit_callbacks(execute=True):
        old.headline = "Budget story, corrected"
        old.save()
    for url in (HOME, newsroom["section"].get_absolute_url(), newsroom["story"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Budget story, corrected" in page
        assert "Budget story 0<" not in page


def test_a_renamed_section_reaches_every_card_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    client.get(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom["section"].name = "Westminster"
        newsroom["section"].save()
    assert client.get(HOME).content.decode().count(">Westminster</a>") >= 5


def test_a_new_photo_credit_reaches_every_card_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    client.get(HOME)
    client.get(newsroom["story"].get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        newsroom["photo"].credit = "AP Photo/Jane Doe"
        newsroom["photo"].save()
    for url in (HOME, newsroom["story"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert "AP Photo/Jane Doe" in page
        assert "REUTERS/Jonathan Ernst" not in page


def test_a_story_published_in_the_section_enters_the_module_at_once(
    client, settings, newsroom, article_factory, django_capture_on_commit_callbacks
):
    settings.ARTICLES_RELATED_COUNT = 4
    url = newsroom["story"].get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(
            "Budget reaction, live", section=newsroom["section"], tags=["Budget"], hours_ago=0.1
        )
    assert "Budget reaction, live" in client.get(url).content.decode()


def test_a_retracted_story_leaves_every_page_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    url = newsroom["story"].get_absolute_url()
    assert "Budget story 0" in client.get(url).content.decode()
    assert "Budget story 0" in client.get(HOME).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom["older"][0].retract("Wrong figures.")
    assert "Budget story 0" not in client.get(url).content.decode()
    assert "Budget story 0" not in client.get(HOME).content.decode()


def test_an_embargoed_story_enters_the_module_when_its_time_comes(
    client, monkeypatch, newsroom, article_factory
):
    url = newsroom["story"].get_absolute_url()
    embargoed = article_factory(
        "Budget embargo lifts", section=newsroom["section"], tags=["Budget"], hours_ago=-0.5
    )
    assert "Budget embargo lifts" not in client.get(url).content.decode()
    later = embargoed.published_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Budget embargo lifts" in client.get(url).content.decode()


def test_max_age_still_ends_at_the_next_embargo_when_kept(
    client, newsroom, article_factory, django_capture_on_commit_callbacks
):
    client.get(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        article_factory("Scheduled for later", hours_ago=-0.25)
    response = client.get(HOME)
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 15 * 60


def test_pages_are_served_when_the_cache_is_down(
    client, settings, caplog, newsroom, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.ARTICLES_PAGE_CACHE_ALIAS = "pages"
    with caplog.at_level(logging.WARNING, logger="articles.pagecache"):
        for url in (HOME, newsroom["story"].get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 200
            assert b"REUTERS/Jonathan Ernst" in response.content
    assert "Page cache unavailable" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        newsroom["story"].headline = "Still editable"
        newsroom["story"].save()
    assert b"Still editable" in client.get(newsroom["story"].get_absolute_url()).content


def test_the_section_navigation_is_kept_until_a_section_changes(
    rf, section_factory, article_factory, django_capture_on_commit_callbacks
):
    from django.template import Context, Template

    nav = Template(
        "{% load articles_tags %}{% sections as all %}{% for s in all %}{{ s.name }};{% endfor %}"
    )
    politics = section_factory("Politics")
    article_factory(section=politics)
    article_factory(section=section_factory("Sport"))

    def render():
        with CaptureQueriesContext(connection) as ctx:
            html = nav.render(Context({"request": rf.get("/")}))
        return html, len(ctx.captured_queries)

    # The sections, and the next scheduled change (until which they hold).
    assert render() == ("Politics;Sport;", 2)
    assert render() == ("Politics;Sport;", 0)
    with django_capture_on_commit_callbacks(execute=True):
        politics.name = "Westminster"
        politics.save()
    assert render() == ("Sport;Westminster;", 2)


def test_the_navigation_gains_a_section_when_its_first_story_goes_public(
    rf, section_factory, article_factory, django_capture_on_commit_callbacks
):
    from django.template import Context, Template

    nav = Template(
        "{% load articles_tags %}{% sections as all %}{% for s in all %}{{ s.name }};{% endfor %}"
    )

    def render():
        return nav.render(Context({"request": rf.get("/")}))

    article_factory(section=section_factory("Sport"))
    lifts = timezone.now() + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(section=section_factory("Budget"), published_at=lifts)
        draft = article_factory(section=section_factory("Mergers"), published=False)
    assert render() == "Sport;"
    with django_capture_on_commit_callbacks(execute=True):
        draft.publish()
    assert render() == "Mergers;Sport;"
    # The embargo lifts by itself, with no signal: the kept navigation holds until then.
    time.sleep(max(0, (lifts - timezone.now()).total_seconds()) + 0.05)
    assert render() == "Budget;Mergers;Sport;"
