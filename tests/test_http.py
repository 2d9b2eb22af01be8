"""Conditional GET and Cache-Control on public responses; none on private ones."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

pytestmark = pytest.mark.django_db


def test_article_page_is_publicly_cacheable(client, settings, article_factory):
    settings.ARTICLES_CACHE_MAX_AGE = 120
    response = client.get(article_factory().get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=120", "s-maxage=120"}
    assert response["ETag"]


def test_article_page_answers_if_none_match_with_304(client, article_factory):
    url = article_factory().get_absolute_url()
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_article_page_answers_if_modified_since_with_304(client, article_factory):
    story = article_factory()
    response = client.get(story.get_absolute_url())
    assert response["Last-Modified"] == http_date(story.updated_at.timestamp())
    again = client.get(
        story.get_absolute_url(), headers={"if-modified-since": response["Last-Modified"]}
    )
    assert again.status_code == 304


def test_edited_story_no_longer_matches_its_old_etag(client, article_factory):
    story = article_factory()
    etag = client.get(story.get_absolute_url())["ETag"]
    story.headline = "A corrected headline"
    story.save()
    assert client.get(story.get_absolute_url(), headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize("name", ["home", "sitemap", "feed_atom"])
def test_other_public_responses_are_cacheable(client, article_factory, name):
    article_factory()
    assert "public" in client.get(reverse(f"articles:{name}"))["Cache-Control"]


def test_missing_story_is_not_cached(client, db):
    response = client.get(reverse("articles:article", kwargs={"slug": "nope"}))
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_admin_is_never_publicly_cacheable(editor_client, article_factory):
    story = article_factory()
    response = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_cache_lifetime_ends_when_an_embargo_lifts(client, settings, article_factory):
    settings.ARTICLES_CACHE_MAX_AGE = 300
    article_factory("Scheduled", published_at=timezone.now() + timedelta(seconds=100))
    cache_control = client.get(reverse("articles:home"))["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 100


def test_cache_lifetime_ends_when_a_story_expires(client, settings, article_factory):
    settings.ARTICLES_CACHE_MAX_AGE = 300
    story = article_factory("Short-lived", expire_at=timezone.now() + timedelta(seconds=60))
    cache_control = client.get(story.get_absolute_url())["Cache-Control"]
    assert 0 < int(cache_control.split("max-age=")[1].split(",")[0]) <= 60
