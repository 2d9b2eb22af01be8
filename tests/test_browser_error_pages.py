"""In a real browser: the 404 and 500 pages, and the story labels, pass axe-core."""

from __future__ import annotations

import pytest

from articles import views
from articles.models import StoryKind
from tests.browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_404_page_has_no_axe_violations(browser, live_server, article_factory):
    article_factory("A public story")
    page = browser.new_page()
    try:
        response = page.goto(live_server.url + "/news/story/no-such-story/")
        assert response.status == 404
        assert page.get_by_role("heading", name="Page not found", level=1).is_visible()
        assert page.get_by_role("search", name="Search for the story").is_visible()
        assert axe_violations(page) == []
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_the_500_page_has_no_axe_violations(browser, live_server, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(views.HomeView, "get", broken)
    page = browser.new_page()
    try:
        response = page.goto(live_server.url + "/news/")
        assert response.status == 500
        assert page.get_by_role("heading", name="Something went wrong", level=1).is_visible()
        assert axe_violations(page) == []
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_labelled_cards_and_story_pages_have_no_axe_violations(
    browser, live_server, article_factory
):
    stories = [
        article_factory(
            kind=kind, tags=["Labels"], sponsor_name="Acme" if kind == StoryKind.SPONSORED else ""
        )
        for kind in StoryKind.values
    ]
    page = browser.new_page()
    try:
        # The tag page: every kind's card (the test host's home page has no title of its own).
        for url in ["/news/tag/labels/", stories[3].get_absolute_url(), "/news/search/?q=story"]:
            page.goto(live_server.url + url)
            assert axe_violations(page) == [], url
    finally:
        page.close()
