"""Surrogate keys on public responses and purges by key (articles/edge.py), without a CDN.

tests/test_edge_varnish.py runs the same code against a real Varnish.
"""

from __future__ import annotations

import logging
import re
import socket
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles import edge, previews
from articles.models import Article, Section
from articles.signals import pages_changed

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def purging(settings):
    """Purge through ``ARTICLES_PURGER`` after commits, as a host that set it at start-up."""
    settings.ARTICLES_PURGER = "articles.edge.LoggingPurger"
    edge.connect()
    yield settings
    pages_changed.disconnect(sender=Article, dispatch_uid=edge.DISPATCH_UID)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


def test_no_header_unless_configured(client, article_factory):
    response = client.get(article_factory().get_absolute_url())
    assert not {"Surrogate-Key", "Cache-Tag", "xkey"} & set(response.headers)


@pytest.mark.parametrize(
    "header, separator", [("Surrogate-Key", " "), ("Cache-Tag", ","), ("xkey", " ")]
)
def test_a_story_page_names_what_it_shows(client, settings, article_factory, header, separator):
    settings.ARTICLES_SURROGATE_KEY_HEADER = header
    story = article_factory(tags=["Harbour"])
    keys = client.get(story.get_absolute_url())[header].split(separator)
    # Every change to what the story's page shows moves the story's own scope.
    assert keys == ["site", f"story:{story.slug}"]
    assert client.get(reverse("articles:home"))[header].split(separator) == ["lists", "site"]


def test_a_linked_story_is_reached_through_the_page_s_own_key(
    purging,
    caplog,
    client,
    article_factory,
    related_link_factory,
    django_capture_on_commit_callbacks,
):
    purging.TASKS = IMMEDIATE
    purging.ARTICLES_SURROGATE_KEY_HEADER = "xkey"
    story, linked = article_factory(), article_factory()
    related_link_factory(story, linked)
    # Only the page's own keys: no key named by the linked story's id, which no purge names.
    assert client.get(story.get_absolute_url())["xkey"].split() == ["site", f"story:{story.slug}"]
    logged = caplog.at_level(logging.INFO, logger="articles.edge")
    with logged, django_capture_on_commit_callbacks(execute=True):
        linked.headline = "Edited"
        linked.save()
    assert f"story:{story.slug}" in caplog.text.split()


def test_keys_take_the_prefix_and_survive_a_page_cache_hit(client, settings, article_factory):
    settings.ARTICLES_SURROGATE_KEY_HEADER = "Surrogate-Key"
    settings.ARTICLES_SURROGATE_KEY_PREFIX = "times:"
    settings.ARTICLES_PAGE_CACHE = True
    url = article_factory().get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second["Surrogate-Key"] == first["Surrogate-Key"]
    assert all(key.startswith("times:") for key in first["Surrogate-Key"].split())
    assert "times:site" in first["Surrogate-Key"].split()


def test_no_keys_on_errors_previews_or_the_admin(client, editor_client, settings, article_factory):
    settings.ARTICLES_SURROGATE_KEY_HEADER = "xkey"
    draft = article_factory(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "xkey" not in client.get(draft.get_absolute_url())
    shared = client.get(previews.url_for(previews.create_link(draft)))
    assert shared.status_code == 200 and "xkey" not in shared
    editor_pages = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[draft.pk]),
        reverse("admin:articles_article_preview", args=[draft.pk]),
    ]
    for url in editor_pages:
        response = editor_client.get(url)
        assert response.status_code == 200 and "xkey" not in response, url


def test_a_committed_change_purges_its_scopes(
    purging, caplog, article_factory, django_capture_on_commit_callbacks
):
    purging.TASKS = IMMEDIATE
    purging.ARTICLES_SURROGATE_KEY_PREFIX = "times:"
    with django_capture_on_commit_callbacks(execute=True):
        story = article_factory(tags=["Harbour"])  # its section is new: the whole site
    caplog.clear()
    logged = caplog.at_level(logging.INFO, logger="articles.edge")
    with logged, django_capture_on_commit_callbacks(execute=True):
        story.headline = "Edited"
        story.save()
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Purge keys")]
    keys = line.removeprefix("Purge keys: ").split()
    tag = story.tags.get()
    expected = {f"story:{story.slug}", f"section:{story.section.slug}", f"tag:{tag.slug}", "lists"}
    assert {f"times:{scope}" for scope in expected} == set(keys)


def test_a_section_renamed_purges_the_whole_site(
    purging, caplog, article_factory, django_capture_on_commit_callbacks
):
    purging.TASKS = IMMEDIATE
    section = article_factory().section
    logged = caplog.at_level(logging.INFO, logger="articles.edge")
    with logged, django_capture_on_commit_callbacks(execute=True):
        Section.objects.filter(pk=section.pk).first().save()
    assert "site" in caplog.text.split()


def test_nothing_listens_without_a_purger(article_factory, django_capture_on_commit_callbacks):
    story = article_factory()
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert not DBTaskResult.objects.filter(task_path="articles.edge.purge_keys").exists()


def test_the_purge_is_queued_for_the_worker_not_run_in_the_save(
    purging, article_factory, django_capture_on_commit_callbacks
):
    purging.ARTICLES_PURGER = "articles.edge.VarnishXkeyPurger"
    purging.ARTICLES_VARNISH_PURGE_URLS = [f"http://127.0.0.1:{closed_port()}/"]
    story = article_factory()
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    queued = DBTaskResult.objects.filter(task_path="articles.edge.purge_keys").order_by("run_after")
    assert [task.status for task in queued] == ["READY", "READY"]  # now, and once more later
    first, again = queued
    assert first.args_kwargs == again.args_kwargs
    assert f"story:{story.slug}" in first.args_kwargs["args"][0]
    assert again.run_after > first.run_after


def test_an_unreachable_varnish_is_logged_not_raised(settings, caplog):
    settings.ARTICLES_VARNISH_PURGE_URLS = [f"http://127.0.0.1:{closed_port()}/"]
    settings.ARTICLES_PURGE_TIMEOUT = 1
    with caplog.at_level(logging.WARNING, logger="articles.edge"):
        edge.VarnishXkeyPurger().purge(["story:1", "lists"])
    assert "Purge at http://127.0.0.1:" in caplog.text and "story:1 lists" in caplog.text


def test_an_editors_save_survives_an_unreachable_varnish(
    purging, caplog, article_factory, django_capture_on_commit_callbacks
):
    purging.TASKS = IMMEDIATE  # the purge runs inside the commit: the worst case
    purging.ARTICLES_PURGER = "articles.edge.VarnishXkeyPurger"
    purging.ARTICLES_VARNISH_PURGE_URLS = [f"http://127.0.0.1:{closed_port()}/"]
    story = article_factory()
    logged = caplog.at_level(logging.WARNING, logger="articles.edge")
    with logged, django_capture_on_commit_callbacks(execute=True):
        story.headline = "Saved all the same"
        story.save()
    story.refresh_from_db()
    assert story.headline == "Saved all the same"
    assert "Purge at" in caplog.text


DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.skipif(not DOCS.exists(), reason="needs docs/: the checkout, not an installed wheel")
def test_the_production_recipe_shows_the_tested_vcl():
    """docs/production.md shows docs/newsroom.vcl, which tests/test_edge_varnish.py runs."""
    docs = DOCS
    shown = re.search(r"```vcl\n(.*?)```", (docs / "production.md").read_text(), re.S).group(1)
    assert shown == (docs / "newsroom.vcl").read_text()
