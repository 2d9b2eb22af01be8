"""In a real browser: the admin's chrome (ordering controls by role; the demo site's branding)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.browser import axe_violations, log_in_as

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


def desk_account(username: str, *codenames: str):
    """A staff account with the articles permissions ``codenames`` (roles read permissions).

    Not the Reporter and Editor groups: a transactional test's flush removes what the
    migrations made.
    """
    user = get_user_model().objects.create_user(username, password="pw-staff-123", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


READ_AND_WRITE_DRAFTS = ("view_article", "add_article", "change_article", "view_relatedlink")
LINKS = ("add_relatedlink", "change_relatedlink", "delete_relatedlink")


@pytest.mark.django_db(transaction=True)
def test_reporter_reading_a_story_sees_its_links_without_ordering_controls(
    browser, live_server, article_factory, related_link_factory
):
    desk_account("rita", *READ_AND_WRITE_DRAFTS, *LINKS)
    desk_account("eddie", *READ_AND_WRITE_DRAFTS, *LINKS, "publish_article")
    story = article_factory("Story with links")
    related_link_factory(story, target=article_factory("First pick"), position=0)
    related_link_factory(story, target=article_factory("Second pick"), position=1)
    url = live_server.url + reverse("admin:articles_article_change", args=[story.pk])
    reporter = log_in_as(browser, live_server, "rita", "pw-staff-123")
    editor = log_in_as(browser, live_server, "eddie", "pw-staff-123")
    try:
        reporter.goto(url)
        links = reporter.locator("#related_links-group")
        assert "First pick" in links.inner_text()
        assert links.get_by_role("button").count() == 0
        assert links.locator(".related-handle").count() == 0
        editor.goto(url)
        rows = editor.locator("#related_links-group tr.form-row.has_original")
        assert rows.count() == 2
        for row in (rows.nth(0), rows.nth(1)):
            assert row.get_by_role("button", name="Move up").is_visible()
            assert row.get_by_role("button", name="Move down").is_visible()
            assert row.locator(".related-handle").count() == 1
    finally:
        reporter.context.close()
        editor.context.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo_site(tmp_path):
    """The demo site (its own settings, demo content) served by runserver; yields its URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True, timeout=600)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urlopen(url + "/admin/login/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_admin_shows_the_site_the_person_and_their_role(browser, demo_site):
    page = browser.new_page()
    try:
        page.goto(demo_site + "/admin/login/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("newsroom-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(demo_site + "/admin/")
        assert page.locator("#site-name").inner_text() == "The Newsroom Gazette"
        # Written as it is, not in the header's capitals.
        assert "Demo Editor — Editor" in page.locator("#user-tools").inner_text()
        assert page.title() == "The newsroom desk | The Newsroom Gazette"
        icon = page.locator("link[rel=icon]").get_attribute("href")
        response = page.request.get(demo_site + icon)
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
        assert axe_violations(page) == []
    finally:
        page.close()
