"""Issue 13 end to end: an editor writes and publishes a story with a new photo, in few clicks.

Clicks are what a person presses with the pointer: links, buttons, a photo in the grid, an
autocomplete box, and the file input (choosing files is one click, whatever the dialog).
Typing, and moving between fields with Tab, are not clicks.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from articles.models import Article, Section, Status
from articles.times import desk_time
from tests.browser import log_in_as
from tests.conftest import photo_bytes, xmp_packet

pytestmark = pytest.mark.browser

MOST_CLICKS = 10


class Clicks:
    """Presses things on a Playwright page and counts every press."""

    def __init__(self):
        self.count = 0
        self.steps: list[str] = []

    def click(self, locator, step: str) -> None:
        locator.click()
        self.count += 1
        self.steps.append(step)

    def choose_files(self, locator, files, step: str) -> None:
        locator.set_input_files(files)
        self.count += 1
        self.steps.append(step)


@pytest.fixture
def demo_like_editor(db):
    """An editor as load_demo makes one: named, staff, every articles and taggit permission."""
    user = get_user_model().objects.create_user(
        "editor", password="newsroom-demo", first_name="Demo", last_name="Editor", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
    )
    return user


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
@pytest.mark.django_db(transaction=True)
def test_editor_publishes_a_story_with_a_new_photo_in_at_most_ten_clicks(
    browser, live_server, demo_like_editor, tmp_path, run_tasks
):
    Section.objects.create(name="Harbour", slug="harbour")
    photo = tmp_path / "ferry.jpg"
    photo.write_bytes(
        photo_bytes(
            1200,
            800,
            xmp=xmp_packet(
                description="The morning ferry leaves the harbour",
                credit="Staff/Desk",
                alt="A white ferry leaving a stone harbour at dawn",
            ),
        )
    )
    page = log_in_as(
        browser, live_server, "editor", "newsroom-demo", viewport={"width": 1280, "height": 900}
    )
    clicks = Clicks()
    try:
        page.goto(live_server.url + reverse("admin:articles_article_changelist"))
        clicks.click(page.get_by_role("link", name="Add article"), "add a story")
        page.get_by_label("Headline").fill("Ferry timetable changes from Monday")
        page.get_by_label("Dek").fill("Earlier departures on weekdays.")
        body = page.locator(".field-body [contenteditable=true]")
        if body.count():  # the rich-text editor
            body.first.press_sequentially("The first ferry will leave at 6.10.")
        else:
            page.get_by_label("Body").fill("<p>The first ferry will leave at 6.10.</p>")

        # The section's autocomplete: one click opens it, typing and Enter choose.
        clicks.click(page.locator(".field-section .select2-selection"), "open the sections")
        page.keyboard.type("Harb")
        page.locator(".select2-results__option", has_text="Harbour").wait_for()
        page.keyboard.press("Enter")
        page.get_by_role("combobox", name="Tags").fill("Ferries, Transport")

        # The new photo: upload, review what the file says, save; it becomes the lead.
        clicks.click(page.get_by_role("button", name="Upload new"), "upload a photo")
        chooser = page.frame_locator("dialog iframe")
        clicks.choose_files(chooser.get_by_label("Photo files"), [photo], "choose the file")
        clicks.click(chooser.get_by_role("button", name="Upload and check"), "upload it")
        review = chooser.locator("fieldset.photo-review")
        review.wait_for()
        assert chooser.get_by_label("Credit:", exact=True).input_value() == "Staff/Desk"
        # One uploaded photo is chosen as it is saved; the dialog closes by itself.
        clicks.click(chooser.get_by_role("button", name="Save the photo"), "save the photo")
        page.get_by_role("dialog").wait_for(state="detached")
        caption = page.locator(".field-lead_image .photo-card-caption")
        assert caption.inner_text() == "The morning ferry leaves the harbour"

        clicks.click(page.get_by_role("button", name="Publish now"), "publish")
        page.wait_for_load_state()
        assert clicks.count <= MOST_CLICKS, clicks.steps

        story = Article.objects.get(headline="Ferry timetable changes from Monday")
        assert story.status == Status.PUBLISHED and story.lead_image is not None
        assert story.section.slug == "harbour"
        assert sorted(tag.name for tag in story.tags.all()) == ["Ferries", "Transport"]
        assert story.lead_image.credit == "Staff/Desk"
        message = page.locator(".messagelist .success")
        assert message.inner_text() == f"Published {desk_time(story.published_at)} — view on site."
        assert desk_time(story.published_at).endswith(" GMT")

        run_tasks()  # the background worker makes the photo's renditions
        message.get_by_role("link", name="view on site").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Ferry timetable changes from Monday"
        figure = page.locator("figure").first
        assert "The morning ferry leaves the harbour" in figure.inner_text()
        assert "Staff/Desk" in figure.inner_text()
        assert figure.locator("img").get_attribute("alt") == (
            "A white ferry leaving a stone harbour at dawn"
        )
    finally:
        page.context.close()
