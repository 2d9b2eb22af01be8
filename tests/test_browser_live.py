"""A live story in a real browser: an editor posts an update, a reader's open page says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Author, LiveUpdate
from tests.browser import axe_violations, log_in_as, no_horizontal_overflow

pytestmark = pytest.mark.browser

PASSWORD = "live-password-1"


@pytest.mark.django_db(transaction=True)
def test_an_update_posted_in_the_admin_reaches_an_open_reader_page_without_a_reload(
    browser, live_server, article_factory, django_user_model, settings
):
    settings.ARTICLES_LIVE_POLL_SECONDS = 1
    settings.ARTICLES_PAGE_CACHE = True  # the reader's polls go through the page cache
    story = article_factory("Storm hits the coast", live_since=timezone.now() - timedelta(hours=1))
    LiveUpdate.objects.create(
        article=story,
        title="Warning issued",
        key_event=True,
        body="<p>The coastguard warns of high waves.</p>",
        published_at=timezone.now() - timedelta(minutes=30),
    )
    reader = browser.new_context().new_page()
    polls = []

    def polled(response) -> None:
        if "live.json" in response.url:
            sent = response.request.all_headers()
            polls.append((response.status, "if-none-match" in sent))

    reader.on("response", polled)
    reader.goto(live_server.url + story.get_absolute_url())
    assert reader.locator(".live-update").count() == 1
    assert axe_violations(reader) == []
    reader.wait_for_function("document.querySelector('.live-notice').childElementCount === 0")
    reader.wait_for_timeout(2500)  # a few polls with nothing new
    assert reader.locator(".live-notice button").count() == 0

    django_user_model.objects.create_superuser("lena", "lena@example.org", PASSWORD)
    editor = log_in_as(browser, live_server, "lena", PASSWORD)
    editor.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    editor.locator("#live-post .ProseMirror").click()
    editor.keyboard.type("The bridge to the island is closed.")
    editor.locator("#id_live-title").fill("Bridge closed")
    editor.get_by_role("button", name="Post update").click()
    editor.wait_for_load_state()
    assert "Update posted." in editor.locator(".messagelist").inner_text()
    editor.context.close()

    notice = reader.locator(".live-notice button")
    notice.wait_for(timeout=15000)
    assert notice.inner_text() == "1 new update: show it"
    assert reader.locator(".live-notice").get_attribute("aria-live") == "polite"
    assert "The bridge to the island is closed." not in reader.content()
    # After the first, every poll is conditional (the server's 304s: tests/test_live.py).
    assert len(polls) > 2 and all(conditional for _, conditional in polls[1:])
    assert axe_violations(reader) == []

    notice.click()
    reader.wait_for_load_state()
    first = reader.locator(".live-update").first
    first.wait_for()
    assert "The bridge to the island is closed." in first.inner_text()
    assert "Bridge closed" in first.inner_text()
    assert reader.locator(".live-update").count() == 2
    assert axe_violations(reader) == []
    reader.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_quick_post_form_fits_a_phone(browser, live_server, article_factory, django_user_model):
    story = article_factory("Storm hits the coast", live_since=timezone.now() - timedelta(hours=1))
    django_user_model.objects.create_superuser("lena", "lena@example.org", PASSWORD)
    editor = log_in_as(
        browser, live_server, "lena", PASSWORD, viewport={"width": 390, "height": 844}
    )
    editor.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    editor.locator("#live-post .ProseMirror").wait_for()
    assert no_horizontal_overflow(editor)
    assert axe_violations(editor, context="#live-post") == []
    editor.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_the_authors_box_stays_named_and_valid_after_a_choice(
    browser, live_server, article_factory, django_user_model, width
):
    story = article_factory("Storm hits the coast", live_since=timezone.now() - timedelta(hours=1))
    Author.objects.create(name="Mira Holt", slug="mira-holt")
    django_user_model.objects.create_superuser("lena", "lena@example.org", PASSWORD)
    editor = log_in_as(
        browser, live_server, "lena", PASSWORD, viewport={"width": width, "height": 844}
    )
    editor.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    editor.wait_for_function("document.documentElement.dataset.deskNamed === '1'")
    search = editor.locator("#live-post .select2-search__field")
    label = search.get_attribute("aria-label")
    assert label
    search.click()
    editor.keyboard.type("Mira")
    editor.locator(".select2-results__option", has_text="Mira Holt").wait_for()
    editor.keyboard.press("Enter")
    editor.locator("#live-post .select2-selection__choice", has_text="Mira Holt").wait_for()
    # select2 drew the search field anew for the next name.
    expect(editor.locator("#live-post .select2-search__field")).to_have_attribute(
        "aria-label", label
    )
    # Its "Remove all" button is moved out of the list of choices, and still works.
    assert axe_violations(editor, context="#live-post") == []
    editor.locator("#live-post .select2-selection__clear").click()
    expect(editor.locator("#live-post .select2-selection__choice")).to_have_count(0)
    editor.context.close()
