"""End to end in a real browser: Playwright driving Debian's chromium (never a downloaded one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Image
from tests.browser import log_in_as
from tests.conftest import jpeg_bytes

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_editor_changes_a_headline_and_readers_see_it(
    browser, live_server, article_factory, django_user_model
):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "desk-password-1")
    story = article_factory("Old headline in the paper")
    page = browser.new_page()
    try:
        page.goto(live_server.url + reverse("admin:login"))
        page.get_by_label("Username").fill("desk")
        page.get_by_label("Password").fill("desk-password-1")
        page.get_by_role("button", name="Log in").click()
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        page.get_by_label("Headline").fill("New headline from the desk")
        page.get_by_role("button", name="Update", exact=True).click()
        page.wait_for_load_state()
        assert "Live story updated" in page.locator(".messagelist .success").inner_text()

        page.goto(live_server.url + story.get_absolute_url())
        assert page.locator("h1").inner_text() == "New headline from the desk"
    finally:
        page.close()


def log_in(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "desk-password-1")
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("desk-password-1")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_editor_reorders_related_links_by_keyboard(
    browser, live_server, article_factory, related_link_factory, django_user_model
):
    story = article_factory("Story with links")
    first = related_link_factory(story, target=article_factory("First pick"), position=0)
    second = related_link_factory(story, target=article_factory("Second pick"), position=1)
    page = browser.new_page()
    try:
        log_in(page, live_server, django_user_model)
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        page.locator("#related_links-1").get_by_role("button", name="Move up").focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Update", exact=True).click()
        page.locator(".messagelist .success").wait_for()
        first.refresh_from_db()
        second.refresh_from_db()
        assert (second.position, first.position) == (0, 1)
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_tag_input_suggests_existing_tags(browser, live_server, article_factory, django_user_model):
    story = article_factory("Story to tag", tags=["Rain"])
    article_factory(tags=["North Korea"])
    page = browser.new_page()
    try:
        log_in(page, live_server, django_user_model)
        page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        tags = page.locator("input[name=tags]")
        tags.click()
        tags.press("End")
        tags.press_sequentially(", nor")
        page.get_by_role("option", name="North Korea").wait_for()
        tags.press("ArrowDown")
        tags.press("Enter")
        assert tags.input_value() == "Rain, North Korea, "
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_open_article_page_learns_who_else_opened_it(
    browser, live_server, article_factory, django_user_model, settings
):
    # A heartbeat every 5 seconds; a lease long enough to survive a busy test machine.
    settings.ARTICLES_EDIT_LEASE_SECONDS = 15
    for name in ("ana", "ben"):
        django_user_model.objects.create_superuser(
            name, f"{name}@example.org", f"{name}-password-1", first_name=name.title()
        )
    story = article_factory("Shared desk story")
    url = live_server.url + reverse("admin:articles_article_change", args=[story.pk])
    first = log_in_as(browser, live_server, "ana", "ana-password-1")
    second = log_in_as(browser, live_server, "ben", "ben-password-1")
    try:
        first.goto(url)
        assert first.locator("#others-editing li").count() == 0
        second.goto(url)
        assert "Also open now by: Ana" in second.locator("#others-editing").inner_text()
        # Ana's page learns about Ben from its heartbeat, without a reload.
        first.locator("#others-editing li", has_text="Ben").wait_for(timeout=60_000)
    finally:
        first.context.close()
        second.context.close()


@pytest.mark.django_db(transaction=True)
def test_editor_clicks_the_photo_to_set_its_focal_point(
    browser, live_server, image_factory, django_user_model
):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "desk-password-1")
    photo = image_factory(content=jpeg_bytes(400, 200))
    page = log_in_as(browser, live_server, "desk", "desk-password-1")
    try:
        page.goto(live_server.url + reverse("admin:articles_image_change", args=[photo.pk]))
        picture = page.locator(".focal-point-picker img")
        box = picture.bounding_box()
        picture.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
        assert page.get_by_label("Focal point across (%)").input_value() == "80"
        assert page.get_by_label("Focal point down (%)").input_value() == "25"
        page.locator("input[name=_save]").first.click()
        page.wait_for_url("**/admin/articles/image/")
        photo = Image.objects.get(pk=photo.pk)
        assert (photo.focal_x, photo.focal_y) == (80, 25)
        # Queued for the task worker; the previous crops stay in use meanwhile.
        assert (photo.renditions_status, photo.renditions_ready) == ("pending", True)
        assert "Processing…" in page.locator("#result_list").inner_text()
    finally:
        page.context.close()
