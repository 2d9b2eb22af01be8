"""Uploading inside the photo desk: check and stage, review the file's metadata, then save."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Image
from tests.conftest import jpeg_bytes, photo_bytes, upload, xmp_packet
from tests.test_imaging import gif_with_comment, png_bomb

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_image_chooser_upload")
CHOOSER = reverse("admin:articles_image_chooser")

AGENCY_PHOTO = photo_bytes(
    320,
    200,
    iptc={(1, 90): b"\x1b%G", (2, 80): "Åsa Ström".encode(), (2, 116): "© 2026 TT".encode()},
    xmp=xmp_packet(description="Ferry leaves Stockholm at dawn", credit="TT/Åsa Ström"),
)


def stored_files(media_root) -> list[Path]:
    """The files kept with the originals, beside the served media folder (never in it)."""
    assert not [p for p in Path(media_root).rglob("*") if p.is_file()], "a file readers can fetch"
    return [p for p in Path(f"{media_root}-originals").rglob("*") if p.is_file()]


def stage(client, *files, **extra):
    return client.post(UPLOAD, {"step": "upload", "files": list(files), **extra})


def review_data(response, **changes) -> dict:
    """What the review page would post unchanged (``form-0-caption=...`` to change a field)."""
    formset = response.context["formset"]
    data = {"step": "review"}
    management = formset.management_form
    for name in management.fields:
        data[management[name].html_name] = management[name].value()
    for form in formset:
        for name in form.fields:
            value = form[name].value()
            data[form[name].html_name] = "" if value is None else value
    data.update(changes)
    return data


def test_staging_shows_the_files_metadata_before_anything_is_saved(editor_client, media_root):
    response = stage(editor_client, upload("ferry.jpg", AGENCY_PHOTO))
    assert response.status_code == 200
    assert not Image.objects.exists()
    form = response.context["formset"].forms[0]
    assert form["caption"].value() == "Ferry leaves Stockholm at dawn"
    assert form["credit"].value() == "TT/Åsa Ström"
    assert form["creator"].value() == "Åsa Ström"
    assert form["copyright_notice"].value() == "© 2026 TT"
    html = response.content.decode()
    assert "Filled in from the file’s IPTC/XMP data:" in html and "data:image/jpeg;base64," in html
    assert "ferry.jpg" in html
    photo, preview = sorted(stored_files(media_root), key=lambda p: "preview" in p.name)
    assert photo.parent.name == "staging" and "ferry" not in photo.name  # a private name
    assert preview.name == photo.stem + ".preview.jpg"


def test_saving_the_review_keeps_the_editors_corrections(
    editor_client, media_root, django_capture_on_commit_callbacks
):
    staged = stage(editor_client, upload("ferry.jpg", AGENCY_PHOTO))
    data = review_data(staged, **{"form-0-credit": "TT News Agency", "form-0-alt_text": "A ferry"})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(UPLOAD, data)
    image = Image.objects.get()
    assert response.status_code == 302 and response["Location"] == image.admin_url()
    assert (image.credit, image.creator) == ("TT News Agency", "Åsa Ström")
    assert image.alt_text == "A ferry"
    assert image.caption == "Ferry leaves Stockholm at dawn"
    assert (image.width, image.height, image.format) == (320, 200, "JPEG")
    assert image.metadata["iptc"]["2:80"] == ["Åsa Ström"]
    assert image.file.name.endswith("/ferry.jpg")
    # What the admin's save does: the renditions are queued for the task worker.
    assert image.renditions_status == "pending"
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    staging_left = [p for p in stored_files(media_root) if p.parent.name == "staging"]
    assert staging_left == []


def test_a_photo_saved_in_the_dialog_is_chosen(editor_client):
    staged = stage(editor_client, upload("ferry.jpg", AGENCY_PHOTO), _popup="1")
    response = editor_client.post(UPLOAD, review_data(staged, _popup="1"))
    image = Image.objects.get()
    assert response.status_code == 200
    assert json.loads(response.context["photo_json"])["id"] == image.pk
    assert "data-chosen-photo" in response.content.decode()


def test_several_files_are_reviewed_and_saved_together(editor_client):
    staged = stage(
        editor_client,
        upload("one.jpg", AGENCY_PHOTO),
        upload("two.jpg", photo_bytes(80, 60, xmp=xmp_packet(credit="AP/Two"))),
        _popup="1",
    )
    assert len(staged.context["formset"].forms) == 2
    response = editor_client.post(UPLOAD, review_data(staged, _popup="1"))
    assert response.status_code == 302 and response["Location"] == CHOOSER + "?_popup=1"
    assert sorted(Image.objects.values_list("credit", flat=True)) == ["AP/Two", "TT/Åsa Ström"]
    mine = editor_client.get(CHOOSER, {"filter": "mine"})
    assert len(mine.context["photos"]) == 2  # the chooser's uploads count as the editor's


def test_one_invalid_review_saves_none_of_them(editor_client):
    staged = stage(
        editor_client,
        upload("one.jpg", AGENCY_PHOTO),
        upload("nocredit.jpg", jpeg_bytes(80, 60)),
    )
    response = editor_client.post(UPLOAD, review_data(staged))
    assert response.status_code == 200
    assert "credit" in response.context["formset"].forms[1].errors
    assert not Image.objects.exists()
    html = response.content.decode()  # shown again with both previews and what the files said
    assert html.count("data:image/jpeg;base64,") == 2 and "Filled in from the file" in html
    fixed = review_data(response, **{"form-1-credit": "Staff/Desk"})
    assert editor_client.post(UPLOAD, fixed).status_code == 302
    assert Image.objects.count() == 2


@pytest.mark.parametrize(
    "name, content",
    [
        ("bomb.png", png_bomb()),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"/></svg>'),
        ("cut.jpg", jpeg_bytes(300, 300)[:600]),
        ("poly.gif", gif_with_comment(b"<script>alert(1)</script>")),
        ("empty.jpg", b""),
    ],
    ids=["bomb", "svg", "truncated", "polyglot", "empty"],
)
def test_a_bad_file_gets_its_own_error_and_nothing_is_kept(
    editor_client, media_root, name, content
):
    response = stage(editor_client, upload(name, content))
    assert response.status_code == 400
    ((refused_name, messages),) = response.context["refused"]
    assert refused_name == name and all(len(message) > 12 for message in messages)
    assert name in response.content.decode()
    assert not stored_files(media_root) and not Image.objects.exists()


def test_good_files_go_on_to_review_beside_a_refused_one(editor_client, media_root):
    response = stage(editor_client, upload("ok.jpg", AGENCY_PHOTO), upload("bad.jpg", b"text"))
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1
    assert [name for name, _ in response.context["refused"]] == ["bad.jpg"]
    assert "bad.jpg" in response.content.decode()
    assert len(stored_files(media_root)) == 2  # the good one and its preview


def test_uploading_nothing_asks_for_a_file(editor_client):
    response = stage(editor_client)
    assert response.status_code == 400
    assert "Choose one or more photo files" in response.content.decode()


def test_an_expired_upload_must_be_uploaded_again(editor_client, settings, media_root):
    staged = stage(editor_client, upload("ferry.jpg", AGENCY_PHOTO))
    settings.ARTICLES_IMAGE_STAGING_MAX_AGE = -1
    response = editor_client.post(UPLOAD, review_data(staged))
    assert response.status_code == 200
    assert "upload the file again" in response.content.decode()
    assert not Image.objects.exists()
    stage(editor_client, upload("other.jpg", AGENCY_PHOTO))  # the next upload sweeps it away
    assert len(stored_files(media_root)) == 2  # the new one and its preview


def test_a_forged_or_foreign_token_is_refused(editor_client, desk_editor_client):
    staged = stage(editor_client, upload("ferry.jpg", AGENCY_PHOTO))
    forged = review_data(staged, **{"form-0-token": "staging/../../settings.py"})
    assert "upload the file again" in editor_client.post(UPLOAD, forged).content.decode()
    # Another editor cannot save (or see) someone else's staged upload.
    foreign = desk_editor_client.post(UPLOAD, review_data(staged))
    assert "upload the file again" in foreign.content.decode()
    assert not Image.objects.exists()


def test_the_review_warns_when_the_file_is_already_in_the_library(editor_client, image_factory):
    first = image_factory(content=AGENCY_PHOTO, caption="First use")
    html = stage(editor_client, upload("again.jpg", AGENCY_PHOTO)).content.decode()
    assert "already in the library" in html and first.admin_url() in html


def test_add_photo_starts_with_the_upload_step(editor_client):
    response = editor_client.get(reverse("admin:articles_image_add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="files"' in html and f'action="{UPLOAD}"' in html


def test_staging_needs_the_add_permission(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw-v-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(viewer)
    assert stage(client, upload("ferry.jpg", AGENCY_PHOTO)).status_code == 403
    assert client.get(reverse("admin:articles_image_add")).status_code == 403


def test_the_mine_filter_lists_the_photos_this_person_uploaded(
    editor_client, desk_editor_client, image_factory
):
    image_factory(caption="Imported, by nobody in the admin")
    stage_and_save = [
        (editor_client, "Chief's photo"),
        (desk_editor_client, "Erin's photo"),
    ]
    for client, caption in stage_and_save:
        staged = stage(client, upload("p.jpg", AGENCY_PHOTO))
        assert (
            client.post(UPLOAD, review_data(staged, **{"form-0-caption": caption})).status_code
            == 302
        )
    mine = editor_client.get(CHOOSER, {"filter": "mine"})
    assert [item["photo"]["caption"] for item in mine.context["photos"]] == ["Chief's photo"]
    assert len(editor_client.get(CHOOSER).context["photos"]) == 3
