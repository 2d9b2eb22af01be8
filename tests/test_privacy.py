"""Original uploads, with their GPS and camera data, are never referenced by a public surface."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Image
from tests.conftest import photo_bytes, upload

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
            assert photo.file.name not in body, (url, photo.file.name)
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'property="og:image"' in page and "/renditions/" in page


# Where originals are kept ---------------------------------------------------------------

ADD_PHOTO = reverse("admin:articles_image_add")


def upload_with_gps(client) -> Image:
    file = upload("harbour.jpg", photo_bytes(800, 450, gps=True))
    response = client.post(
        ADD_PHOTO,
        {"file": file, "focal_x": 50, "focal_y": 50, "alt_text": "Boats", "credit": "AP/X"},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    return Image.objects.get()


def test_an_uploaded_original_is_kept_outside_the_served_media_folder(
    editor_client, media_root, run_tasks
):
    photo = upload_with_gps(editor_client)
    run_tasks()  # the worker makes the renditions
    photo.refresh_from_db()
    served = [
        p.relative_to(media_root).as_posix() for p in Path(media_root).rglob("*") if p.is_file()
    ]
    assert served and all(name.startswith(f"{photo.renditions_key}/") for name in served)
    kept = Path(f"{media_root}-originals") / photo.file.name
    assert kept.read_bytes() == photo_bytes(800, 450, gps=True)  # GPS and all, for the desk
    assert not photo.file.url.startswith(settings.MEDIA_URL)


def test_the_desk_fetches_an_original_through_the_admin_only(
    editor_client, reporter_client, media_root, django_user_model
):
    from django.test import Client

    client = Client()
    photo = upload_with_gps(editor_client)
    url = photo.file.url
    assert url == reverse("admin:articles_image_original", kwargs={"name": photo.file.name})
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert b"".join(response.streaming_content) == photo_bytes(800, 450, gps=True)
    assert reporter_client.get(url).status_code == 200  # reporters may see the library
    assert client.get(url).status_code == 302  # readers are sent to log in
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    client.force_login(outsider)  # staff without the photo permissions
    assert client.get(url).status_code == 404
    for name in ("photos/none.jpg", "../../etc/passwd", "staging/x.jpg", f"{photo.file.name}/x"):
        assert editor_client.get(f"/admin/articles/image/original/{name}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_served_originals_to_the_private_folder(media_root, capsys):
    from django.core.files.storage import default_storage

    from tests.test_migrations import migrate_to

    photo = Image.objects.create(file="photos/2026/01/old.jpg", width=1, height=1, credit="AP")
    gone = Image.objects.create(file="photos/2026/01/gone.jpg", width=1, height=1, credit="AP")
    migrate_to([("articles", "0016_stored_suggestions")])
    try:
        default_storage.save(photo.file.name, ContentFile(b"original bytes"))
        migrate_to(None)
    finally:
        migrate_to(None)
    assert not default_storage.exists(photo.file.name)
    assert Image.objects.get(pk=photo.pk).file.read() == b"original bytes"
    assert gone.file.name in capsys.readouterr().out  # named, left alone
