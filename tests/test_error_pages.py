"""The 404 and 500 pages in the site's design, through HTTP with DEBUG off.

The test host shows them as a host would: ``tests/templates/404.html`` and
``500.html`` each extend the app's page (docs/embedding.md, "Error pages").
"""

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import html as lxml_html

from articles import views

HOME = reverse("articles:home")


def error_page(client, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    return lxml_html.fromstring(response.content)


def assert_in_the_sites_design(document, heading):
    assert not settings.DEBUG
    assert document.xpath("//h1/text()") == [heading]
    # The host's base template (its masthead), the app's layout, the search form, home.
    assert document.xpath('//*[@data-host="test-host"]')
    assert document.xpath('//main[@id="content"]//section[@class="error-page"]')
    form = document.xpath('//form[@role="search"]')[0]
    assert form.get("action") == reverse("articles:search")
    assert form.get("aria-label") == "Search for the story"
    assert document.xpath(f'//a[@href="{HOME}"]')
    assert document.xpath('//meta[@name="robots"]/@content') == ["noindex"]


@pytest.fixture
def public(db, article_factory, author_factory):
    return article_factory("A public story", tags=["Rain"], authors=[author_factory()])


@pytest.mark.parametrize(
    "url",
    [
        "/news/story/no-such-story/",
        "/news/tag/no-such-tag/",
        "/news/section/no-such-section/",
        "/news/author/no-such-author/",
        "/news/?page=99",
        "/news/no/such/address/",
    ],
)
def test_an_unknown_address_gets_the_sites_404_page(client, public, url):
    document = error_page(client, url, 404)
    assert_in_the_sites_design(document, "Page not found")
    sections = document.xpath('//ul[@class="error-sections"]//a/@href')
    assert sections == [public.section.get_absolute_url()]


def test_a_draft_is_a_404_page_like_any_unknown_story(client, article_factory):
    draft = article_factory("Not yet", published=False)
    document = error_page(client, draft.get_absolute_url(), 404)
    assert_in_the_sites_design(document, "Page not found")
    # The menu lists only sections with public stories: not the draft's.
    assert document.xpath('//ul[@class="error-sections"]') == []


def test_a_server_error_gets_the_sites_500_page_without_the_database(client, monkeypatch):
    """No ``db`` fixture: any query while the page renders would fail the test."""

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(views.HomeView, "get", broken)
    client.raise_request_exception = False
    document = error_page(client, HOME, 500)
    assert_in_the_sites_design(document, "Something went wrong")
    assert document.xpath('//ul[@class="error-sections"]') == []
