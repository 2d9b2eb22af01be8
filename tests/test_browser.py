"""End to end in a real browser: Playwright driving Debian's chromium (never a downloaded one)."""

from __future__ import annotations

import os
import shutil

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium); none found")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, but fixtures touch the database from this one.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


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
        page.locator("input[name=_save]").first.click()
        page.wait_for_url("**/admin/articles/article/")
        assert "was changed successfully" in page.content()

        page.goto(live_server.url + story.get_absolute_url())
        assert page.locator("h1").inner_text() == "New headline from the desk"
    finally:
        page.close()
