"""Browser-test helpers: Debian's chromium driven by Playwright, and axe-core on the page.

Tests marked ``browser`` take the ``browser`` fixture (re-exported by ``conftest.py``);
without chromium they are skipped with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.urls import reverse

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the module's tests (skips the test when none is installed)."""
    if not CHROMIUM:
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium); none found")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, but fixtures touch the database from this one.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in_as(browser, live_server, username, password, **context_options):
    """Open a new browser context logged into the admin as ``username``; return its page."""
    page = browser.new_context(**context_options).new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


def axe_violations(page, context=None) -> list[str]:
    """Run axe-core on the page (or the ``context`` selector); return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}×: "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        + ")"
        for violation in results.response["violations"]
    ]


def no_horizontal_overflow(page) -> bool:
    """Tell whether the page fits the viewport's width (``scrollWidth <= innerWidth``)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
