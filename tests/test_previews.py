"""Previews in the public template, and signed, expiring, revocable shared links."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import PreviewLink

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_editor_previews_a_draft_in_the_public_template(desk_editor_client, article_factory):
    draft = article_factory("Draft to see", published=False)
    response = desk_editor_client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft to see" in html and 'data-host="test-host"' in html
    assert 'class="preview-banner"' in html and 'content="noindex, nofollow"' in html
    assert 'datetime=""' not in html and "Not yet published" in html
    assert 'rel="canonical"' not in html  # a preview is not the story's address
    assert_private(response)


def test_share_page_creates_and_revokes_links(desk_editor_client, desk_editor, article_factory):
    draft = article_factory("Shared draft", published=False)
    url = reverse("admin:articles_article_share", args=[draft.pk])
    desk_editor_client.post(url, {"create": "1"})
    link = PreviewLink.objects.get()
    assert link.created_by == desk_editor
    assert previews.url_for(link) in desk_editor_client.get(url).content.decode()
    desk_editor_client.post(url, {"revoke": link.pk})
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_link_shows_its_draft_privately(client, article_factory):
    draft = article_factory("Shared draft", published=False)
    response = client.get(previews.url_for(previews.create_link(draft)))
    assert response.status_code == 200
    assert "Shared draft" in response.content.decode()
    assert_private(response)


def test_token_for_one_article_never_opens_another(client, article_factory):
    mine = article_factory("Mine", published=False)
    other = article_factory("Other secret", published=False)
    token = previews.token_for(previews.create_link(mine))
    url = reverse("articles:shared_preview", kwargs={"slug": other.slug, "token": token})
    response = client.get(url)
    assert response.status_code == 403
    assert "Other secret" not in response.content.decode()
    assert "not valid" in response.content.decode()


def test_forged_token_is_refused(client, article_factory):
    draft = article_factory(published=False)
    token = previews.token_for(previews.create_link(draft))
    url = reverse("articles:shared_preview", kwargs={"slug": draft.slug, "token": token + "x"})
    assert client.get(url).status_code == 403


def test_expired_link_is_gone(client, article_factory):
    draft = article_factory("Old draft", published=False)
    url = previews.url_for(previews.create_link(draft))
    later = timezone.now() + timedelta(days=30)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("time.time", return_value=later.timestamp()),
    ):
        response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode() and "Old draft" not in response.content.decode()
    assert_private(response)


def test_revoked_link_is_gone(client, article_factory):
    draft = article_factory("Pulled draft", published=False)
    link = previews.create_link(draft)
    link.revoked_at = timezone.now()
    link.save()
    response = client.get(previews.url_for(link))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_reporter_cannot_share_someone_elses_draft(reporter_client, article_factory):
    draft = article_factory(published=False)
    url = reverse("admin:articles_article_share", args=[draft.pk])
    assert reporter_client.post(url, {"create": "1"}).status_code == 403
    assert not PreviewLink.objects.exists()
