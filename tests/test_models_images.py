"""articles.models.images: the rights rule, placement, rendition URLs and upload facts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Image, PlacedPhoto, Status
from articles.models.images import PictureSources
from tests.conftest import jpeg_bytes, photo_bytes

pytestmark = pytest.mark.django_db


def test_usable_queryset_and_method_agree(image_factory):
    today = timezone.localdate()
    photos = {
        "none": image_factory(),
        "yesterday": image_factory(rights_expire_on=today - timedelta(days=1)),
        "today": image_factory(rights_expire_on=today),
        "tomorrow": image_factory(rights_expire_on=today + timedelta(days=1)),
    }
    usable = set(Image.objects.usable())
    assert usable == {photos["none"], photos["tomorrow"]}
    assert {p for p in photos.values() if p.is_usable()} == usable
    assert set(Image.objects.expired()) == {photos["yesterday"], photos["today"]}


def test_expiring_lists_only_photos_within_the_window(image_factory):
    today = timezone.localdate()
    soon = image_factory(rights_expire_on=today + timedelta(days=30))
    image_factory(rights_expire_on=today + timedelta(days=31))
    image_factory(rights_expire_on=today - timedelta(days=1))
    assert list(Image.objects.expiring()) == [soon]


def test_an_expired_photo_is_not_placed(image_factory):
    photo = image_factory(rights_expire_on=timezone.localdate())
    assert PlacedPhoto.place(photo) is None


def test_placement_overrides_caption_alt_and_crop_but_not_credit(image_factory):
    photo = image_factory(
        credit="AP/Credit", caption="Own caption", alt_text="Own alt", renditions=True
    )
    placed = PlacedPhoto.place(photo, caption="Story caption", alt_text="", ratio="1:1")
    assert (placed.caption, placed.alt_text, placed.ratio) == ("Story caption", "Own alt", "1:1")
    assert placed.credit == "AP/Credit"


def test_a_published_story_needs_alt_text_on_its_lead_photo(section_factory, image_factory):
    photo = image_factory(alt_text="")
    article = Article(
        headline="Lead without alt",
        section=section_factory(),
        status=Status.PUBLISHED,
        lead_image=photo,
    )
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "lead_image" in caught.value.message_dict
    article.lead_image_alt_text = "Alt text written for this story"
    article.full_clean()


def test_a_draft_may_use_a_photo_without_alt_text(section_factory, image_factory):
    Article(
        headline="Draft", section=section_factory(), lead_image=image_factory(alt_text="")
    ).full_clean()


def test_a_cc_photo_needs_its_licence_url(image_factory):
    with pytest.raises(ValidationError) as caught:
        image_factory(licence_kind="cc")
    assert "licence_url" in caught.value.message_dict


def test_upload_records_format_size_hash_and_oriented_dimensions(image_factory):
    photo = image_factory(content=photo_bytes(80, 40, orientation=8))
    assert (photo.format, photo.width, photo.height) == ("JPEG", 40, 80)
    assert photo.file_size == photo.file.size and len(photo.content_hash) == 64


def test_duplicates_are_found_by_content_hash(image_factory):
    first = image_factory(content=jpeg_bytes(30, 30))
    second = image_factory(content=jpeg_bytes(30, 30))
    other = image_factory(content=jpeg_bytes(31, 30))
    assert list(second.duplicates()) == [first]
    assert not other.duplicates().exists()


def test_until_its_renditions_exist_a_photo_is_shown_to_editors_only(image_factory):
    photo = image_factory(content=jpeg_bytes(1000, 600), renditions=False)
    assert photo.renditions_status == "pending"
    assert photo.rendition_url(640, "16:9") == ""
    assert photo.desk_url(640) == photo.file.url  # the admin's thumbnails: the desk's view
    assert photo.crops() == {}
    assert PlacedPhoto.place(photo) is None  # readers: no photo, never the original file
    assert PictureSources.for_image(photo, "16:9") is None


def test_rendition_api_for_other_code(image_factory):
    photo = image_factory(content=jpeg_bytes(1000, 600), renditions=True)
    crops = photo.crops()
    assert set(crops) == {"16:9", "4:3", "1:1"}
    assert crops["16:9"]["width"] == 960 and crops["16:9"]["height"] == 540
    assert crops["1:1"]["width"] == crops["1:1"]["height"] == 320
    assert photo.rendition_url(600, "16:9", "webp").endswith("/16x9-640.webp")
    assert photo.rendition_url(5000).endswith("/original-960.jpg")
    assert [r.width for r in photo.renditions("original", "jpeg")] == [320, 640, 960]


def test_renditions_of_a_focal_point_changed_meanwhile_are_not_put_in_use(image_factory):
    photo = image_factory(content=jpeg_bytes(800, 400))
    in_use = photo.renditions_key
    Image.objects.filter(pk=photo.pk).update(focal_x=10, renditions_status="pending")
    seen_by_the_worker = Image.objects.get(pk=photo.pk)  # the task loads the photo...
    Image.objects.filter(pk=photo.pk).update(focal_x=90)  # ...the editor moves the point again
    seen_by_the_worker.generate_renditions()
    photo.refresh_from_db()
    assert (photo.renditions_key, photo.renditions_status) == (in_use, "pending")
