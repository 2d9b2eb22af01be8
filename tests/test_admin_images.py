"""The photo library's admin: uploads, metadata, renditions, rights and bulk actions."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.models import Image, LicenceKind
from tests.conftest import jpeg_bytes, photo_bytes, upload, xmp_packet
from tests.test_imaging import IPTC_REFERENCE, gif_with_comment, needs_reference, png_bomb

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_image_add")
LIST_URL = reverse("admin:articles_image_changelist")


def photo_data(file, **fields):
    data = {"file": file, "focal_x": 50, "focal_y": 50, "alt_text": "Alt"}
    data.update(fields)
    return data


def stored_files(media_root) -> list[Path]:
    """Every file kept: in the served media folder and with the originals beside it."""
    folders = [Path(media_root), Path(f"{media_root}-originals")]
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


@needs_reference
def test_uploading_the_iptc_reference_image_fills_credits_from_the_file(editor_client):
    content = IPTC_REFERENCE.read_bytes()
    response = editor_client.post(ADD_URL, photo_data(upload("ref.jpg", content)))
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.caption == "The description aka caption (ref2017.1)"
    assert image.credit == "Credit Line (ref2017.1)"
    assert image.creator == "Creator1 (ref2017.1); Creator2 (ref2017.1)"
    assert image.copyright_notice.startswith("Copyright (Notice) 2017.1 IPTC")
    assert image.metadata["iptc"]["2:80"] == ["Creator1 (ref2017.1)"]
    assert (image.width, image.height, image.format) == (1000, 500, "JPEG")


def test_the_editors_values_win_over_the_files(editor_client):
    content = photo_bytes(xmp=xmp_packet(credit="TT/Åsa Ström", description="From the file"))
    editor_client.post(
        ADD_URL, photo_data(upload("a.jpg", content), credit="Staff/Desk", caption="")
    )
    image = Image.objects.get()
    assert (image.credit, image.caption) == ("Staff/Desk", "From the file")


def test_a_photo_without_any_credit_is_refused(editor_client):
    response = editor_client.post(ADD_URL, photo_data(upload()))
    assert "credit" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("bomb.png", png_bomb()),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"/></svg>'),
        ("page.jpg", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("cut.jpg", jpeg_bytes(300, 300)[:600]),
        ("poly.gif", gif_with_comment(b"<script>alert(1)</script>")),
        ("empty.jpg", b""),
    ],
    ids=["bomb", "svg", "html-renamed-jpg", "truncated", "polyglot", "empty"],
)
def test_unsafe_files_get_a_clear_error_and_save_nothing(editor_client, media_root, name, content):
    response = editor_client.post(ADD_URL, photo_data(upload(name, content), credit="AFP/X"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert errors and all(len(message) > 20 for message in errors)
    assert not Image.objects.exists()
    assert not stored_files(media_root)


def test_a_file_is_stored_under_the_extension_of_what_it_really_is(editor_client):
    editor_client.post(ADD_URL, photo_data(upload("holiday.html", jpeg_bytes()), credit="AP/Y"))
    assert Image.objects.get().file.name.endswith("/holiday.jpg")


def test_saving_a_photo_queues_its_renditions_and_the_worker_makes_them_once(
    editor_client, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            ADD_URL, photo_data(upload("w.jpg", jpeg_bytes(700, 400)), credit="AP/Y"), follow=True
        )
    image = Image.objects.get()
    assert (image.renditions_status, image.renditions_ready) == ("pending", False)
    assert "Processing…" in response.content.decode()
    run_tasks()
    image.refresh_from_db()
    assert (image.renditions_status, image.renditions_ready) == ("ready", True)
    for rendition in image.renditions("16:9", "webp") + image.renditions("1:1", "jpeg"):
        name = rendition.url.removeprefix("/media/")
        assert default_storage.exists(name)
    assert image.generate_renditions() == 0  # already there: nothing redone
    assert "Ready" in editor_client.get(LIST_URL).content.decode()


def test_moving_the_focal_point_keeps_the_old_crops_until_the_new_ones_are_made(
    editor_client, image_factory, run_tasks, django_capture_on_commit_callbacks
):
    image = image_factory(content=jpeg_bytes(800, 400), renditions=True)
    before = image.rendition_url(320, "1:1")
    data = photo_data("", credit=image.credit, caption=image.caption, focal_x=90, focal_y=40)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:articles_image_change", args=[image.pk]), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.renditions_status == "pending"
    assert image.rendition_url(320, "1:1") == before  # still in use meanwhile
    run_tasks()
    image.refresh_from_db()
    after = image.rendition_url(320, "1:1")
    assert after != before
    assert default_storage.exists(after.removeprefix("/media/"))
    assert not default_storage.exists(before.removeprefix("/media/"))


def test_the_change_page_offers_a_clickable_and_a_numeric_focal_point(editor_client, image_factory):
    image = image_factory()
    html = editor_client.get(reverse("admin:articles_image_change", args=[image.pk])).content
    assert b'class="focal-point-picker"' in html and b"focal-point.js" in html
    assert b'name="focal_x"' in html and b'name="focal_y"' in html


def test_uploading_the_same_file_again_warns_and_links_to_it(editor_client, image_factory):
    first = image_factory(content=jpeg_bytes(90, 60, colour=(1, 2, 3)), caption="First use")
    response = editor_client.post(
        ADD_URL,
        photo_data(upload("again.jpg", jpeg_bytes(90, 60, colour=(1, 2, 3))), credit="AP/Y"),
        follow=True,
    )
    html = response.content.decode()
    assert "already in the library" in html
    assert reverse("admin:articles_image_change", args=[first.pk]) in html


def select(action, images, **extra):
    return {"action": action, "_selected_action": [i.pk for i in images], **extra}


def test_bulk_set_credit_asks_then_applies(editor_client, image_factory):
    photos = [image_factory(credit="old"), image_factory(credit="old")]
    page = editor_client.post(LIST_URL, select("set_credit", photos))
    assert page.status_code == 200 and b'name="credit"' in page.content
    editor_client.post(LIST_URL, select("set_credit", photos, apply="1", credit="EPA/New Name"))
    assert set(Image.objects.values_list("credit", flat=True)) == {"EPA/New Name"}


def test_bulk_set_copyright(editor_client, image_factory):
    photos = [image_factory(), image_factory()]
    editor_client.post(
        LIST_URL, select("set_copyright", photos, apply="1", copyright_notice="© 2026 EPA")
    )
    assert set(Image.objects.values_list("copyright_notice", flat=True)) == {"© 2026 EPA"}


def test_bulk_set_licence_needs_a_url_for_creative_commons(editor_client, image_factory):
    photos = [image_factory()]
    page = editor_client.post(
        LIST_URL,
        select("set_licence", photos, apply="1", licence_kind=LicenceKind.CREATIVE_COMMONS),
    )
    assert b"licence" in page.content and page.status_code == 200
    assert Image.objects.get().licence_kind == ""
    editor_client.post(
        LIST_URL,
        select(
            "set_licence",
            photos,
            apply="1",
            licence_kind=LicenceKind.CREATIVE_COMMONS,
            licence_url="https://creativecommons.org/licenses/by/4.0/",
        ),
    )
    assert Image.objects.get().licence_url.endswith("/by/4.0/")


def test_the_list_shows_photos_expiring_soon_and_where_they_are_used(
    editor_client, image_factory, article_factory
):
    soon = timezone.localdate() + timedelta(days=10)
    expiring = image_factory(caption="Expiring soon", rights_expire_on=soon)
    image_factory(caption="Far off", rights_expire_on=soon + timedelta(days=100))
    image_factory(caption="Forever")
    article_factory("Where it leads", lead_image=expiring)
    html = editor_client.get(LIST_URL, {"rights": "expiring"}).content.decode()
    assert "Expiring soon" in html and "Where it leads" in html
    assert "Far off" not in html and "Forever" not in html


def test_the_change_page_lists_where_the_photo_leads(editor_client, image_factory, article_factory):
    photo = image_factory()
    article_factory("First story using it", lead_image=photo)
    html = editor_client.get(reverse("admin:articles_image_change", args=[photo.pk])).content
    assert b"First story using it" in html


def test_replacing_the_file_replaces_its_renditions(editor_client, image_factory, run_tasks):
    image = image_factory(content=jpeg_bytes(800, 400), renditions=True)
    old = image.rendition_url(320, "16:9").removeprefix("/media/")
    data = photo_data(upload("new.jpg", jpeg_bytes(600, 600)), credit=image.credit)
    editor_client.post(reverse("admin:articles_image_change", args=[image.pk]), data)
    image.refresh_from_db()
    assert (image.width, image.height) == (600, 600)
    # The old set shows the old picture: readers see no photo until the new one is made.
    assert (image.renditions_status, image.renditions_ready) == ("pending", False)
    run_tasks()
    image.refresh_from_db()
    assert not default_storage.exists(old)
    assert default_storage.exists(image.rendition_url(320, "16:9").removeprefix("/media/"))
