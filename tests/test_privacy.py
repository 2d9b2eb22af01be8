"""Original uploads, with their GPS and camera data, are never referenced by a public surface."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import photo_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_with_photos(article_factory, image_factory, media_root):
    lead = image_factory(content=photo_bytes(800, 450, gps=True), caption="Lead")
    inline = image_factory(content=photo_bytes(640, 480, gps=True), caption="Inline")
    story = article_factory(
        "Story with photos",
        lead_image=lead,
        body=f'<p>Text.</p><figure data-image="{inline.pk}"></figure>',
        tags=["Floods"],
    )
    return story, [lead, inline]


def public_urls(story) -> list[str]:
    story.refresh_from_db()
    month = timezone.localtime(story.published_at, UTC).replace(day=1, hour=0, minute=0)
    return [
        story.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        reverse("articles:section_rss", args=[story.section.slug]),
        reverse("articles:tag_atom", args=["floods"]),
        reverse("articles:api_list"),
        reverse("articles:api_detail", args=[story.slug]),
        reverse("articles:sitemap_month", args=[month]),
        "/news/sitemap-news.xml",
    ]


def test_no_public_surface_names_an_original_file(client, story_with_photos):
    story, photos = story_with_photos
    for url in public_urls(story):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for photo in photos:
            assert photo.file.url not in body, (url, photo.file.url)
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'property="og:image"' in page and "/renditions/" in page
