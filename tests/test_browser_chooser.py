"""The photo desk in a real browser: the lead-photo widget, the chooser dialog, uploads."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from articles.models import Article, Image
from tests.browser import axe_violations, log_in_as, no_horizontal_overflow
from tests.conftest import photo_bytes, xmp_packet

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "desk-password-1")
    return ("desk", "desk-password-1")


@pytest.mark.django_db(transaction=True)
def test_editor_chooses_a_lead_photo_in_the_dialog(
    browser, live_server, desk, article_factory, image_factory
):
    story = article_factory("Story needing a photo")
    image_factory(caption="Harbour at dusk", credit="AP/Harbour", renditions=True)
    wanted = image_factory(caption="Ferry at dawn", credit="TT/Ferry", renditions=True)
    page = log_in_as(browser, live_server, *desk)
    try:
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        widget = page.locator(".photo-chooser-widget")
        assert widget.get_by_text("No photo chosen.").is_visible()
        assert not widget.locator("input[name=lead_image]").is_visible()  # the no-JS fallback
        assert axe_violations(page, ".field-lead_image") == []

        widget.get_by_role("button", name="Choose photo").click()
        dialog = page.get_by_role("dialog", name="Choose a photo")
        dialog.wait_for()
        chooser = page.frame_locator("dialog iframe")
        chooser.get_by_role("button", name="Ferry at dawn TT/Ferry").click()
        dialog.wait_for(state="detached")
        assert widget.locator(".photo-card-caption").inner_text() == "Ferry at dawn"
        assert widget.locator(".photo-card-credit").inner_text() == "TT/Ferry"
        assert widget.locator("input[name=lead_image]").input_value() == str(wanted.pk)

        page.locator("button[name=_action][value=save]").first.click()
        page.wait_for_load_state()
        story.refresh_from_db()
        assert story.lead_image_id == wanted.pk
        # The widget showing a chosen photo (the rest of the form is other branches' work).
        assert axe_violations(page, ".field-lead_image") == []

        widget.get_by_role("button", name="Remove").click()
        assert widget.locator("input[name=lead_image]").input_value() == ""
        assert widget.get_by_text("No photo chosen.").is_visible()
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_the_chooser_works_by_keyboard_and_escape_closes_it(
    browser, live_server, desk, article_factory, image_factory
):
    story = article_factory("Keyboard story")
    photo = image_factory(caption="Only photo", credit="AFP/Only")
    page = log_in_as(browser, live_server, *desk)
    try:
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        choose = page.get_by_role("button", name="Choose photo")
        choose.click()
        dialog = page.get_by_role("dialog", name="Choose a photo")
        dialog.wait_for()
        chooser = page.frame_locator("dialog iframe")
        chooser.get_by_role("searchbox", name="Search photos").wait_for()
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
        assert page.evaluate("document.activeElement.dataset.action") == "choose"

        choose.click()
        button = chooser.get_by_role("button", name="Only photo AFP/Only")
        button.focus()
        page.keyboard.press("Enter")
        dialog.wait_for(state="detached")
        assert page.locator("input[name=lead_image]").input_value() == str(photo.pk)
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_the_chooser_page_is_accessible_and_fits_a_phone(browser, live_server, desk, image_factory):
    for n in range(3):
        image_factory(caption=f"Photo {n}", credit="AP/Desk")
    page = log_in_as(browser, live_server, *desk, viewport={"width": 375, "height": 740})
    try:
        page.goto(live_server.url + reverse("admin:articles_image_chooser") + "?_popup=1&upload=1")
        assert axe_violations(page) == []
        assert no_horizontal_overflow(page)
        page.goto(live_server.url + reverse("admin:articles_image_chooser"))
        assert axe_violations(page) == []
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_editor_uploads_two_files_in_the_dialog_and_reviews_their_credits(
    browser, live_server, desk, article_factory, tmp_path
):
    story = article_factory("Story with new photos")
    first = tmp_path / "ferry.jpg"
    first.write_bytes(
        photo_bytes(320, 200, xmp=xmp_packet(description="Ferry at dawn", credit="TT/Ferry"))
    )
    second = tmp_path / "no-credit.jpg"
    second.write_bytes(photo_bytes(200, 200))
    page = log_in_as(browser, live_server, *desk)
    try:
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        page.get_by_role("button", name="Upload new").click()
        chooser = page.frame_locator("dialog iframe")
        chooser.get_by_label("Photo files").set_input_files([first, second])
        chooser.get_by_role("button", name="Upload and check").click()

        reviews = chooser.locator("fieldset.photo-review")
        reviews.first.wait_for()
        assert reviews.count() == 2
        assert chooser.get_by_label("Credit:", exact=True).first.input_value() == "TT/Ferry"
        assert chooser.get_by_label("Caption:", exact=True).first.input_value() == "Ferry at dawn"
        assert not Image.objects.exists()  # nothing saved before the review
        frame = page.frames[-1]
        assert "/chooser/upload/" in frame.url
        assert axe_violations(frame) == []
        chooser.get_by_label("Credit:", exact=True).nth(1).fill("Staff/Desk")
        chooser.get_by_role("button", name="Save 2 photos").click()

        chooser.get_by_text("2 photos saved.").wait_for()
        assert sorted(Image.objects.values_list("credit", flat=True)) == ["Staff/Desk", "TT/Ferry"]
        chooser.get_by_role("button", name="Ferry at dawn TT/Ferry").click()
        page.get_by_role("dialog").wait_for(state="detached")
        assert page.locator(".photo-card-caption").inner_text() == "Ferry at dawn"
    finally:
        page.close()
    assert Article.objects.get(pk=story.pk).lead_image is None  # chosen, not yet saved


@pytest.mark.django_db(transaction=True)
def test_add_photo_takes_a_dropped_file_and_shows_its_metadata_before_saving(
    browser, live_server, desk
):
    content = photo_bytes(240, 160, xmp=xmp_packet(description="Dropped ferry", credit="TT/Drop"))
    page = log_in_as(browser, live_server, *desk)
    try:
        page.goto(live_server.url + reverse("admin:articles_image_add"))
        assert axe_violations(page) == []
        page.evaluate(
            """(b64) => {
                const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
                const files = new DataTransfer();
                files.items.add(new File([bytes], "dropped.jpg", {type: "image/jpeg"}));
                const zone = document.querySelector("[data-drop-zone]");
                zone.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true}));
            }""",
            base64.b64encode(content).decode(),
        )
        page.locator("fieldset.photo-review").wait_for()
        assert page.get_by_label("Caption:", exact=True).input_value() == "Dropped ferry"
        assert page.get_by_label("Credit:", exact=True).input_value() == "TT/Drop"
        assert not Image.objects.exists()
        page.get_by_role("button", name="Save the photo").click()
        page.wait_for_url("**/change/")
        assert Image.objects.get().caption == "Dropped ferry"
    finally:
        page.close()
