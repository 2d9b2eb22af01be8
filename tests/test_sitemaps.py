"""Sitemaps: valid against the protocol's XSDs, public stories only, paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.standards import NAMESPACES, parse_sitemap

pytestmark = pytest.mark.django_db


def sitemap_url(section: str, page: int | None = None) -> str:
    url = reverse("articles:sitemap_section", kwargs={"section": section})
    return f"{url}?p={page}" if page else url


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse_sitemap(response.content)


def locations(document) -> list[str]:
    return [loc.strip() for loc in document.xpath("//s:loc/text()", namespaces=NAMESPACES)]


def test_index_lists_every_sitemap_and_validates(client, article_factory):
    article_factory(tags=["floods"])
    index = fetch(client, reverse("articles:sitemap"))
    children = locations(index)
    for section in ["news", "articles", "sections", "tags", "authors"]:
        assert f"http://testserver{sitemap_url(section)}" in children


@pytest.mark.parametrize("section", ["news", "articles", "sections", "tags", "authors"])
def test_every_sitemap_validates_against_the_xsds(
    client, article_factory, author_factory, image_factory, section
):
    article_factory(
        'Quotes " & <tags> in a headline',
        tags=["floods"],
        authors=[author_factory()],
        lead_image=image_factory(),
    )
    fetch(client, sitemap_url(section))


def test_article_sitemap_lists_only_public_stories_with_their_photo(
    client, article_factory, image_factory
):
    image = image_factory()
    public = article_factory(lead_image=image)
    draft = article_factory(published=False)
    scheduled = article_factory(hours_ago=-3)
    document = fetch(client, sitemap_url("articles"))
    urls = locations(document)
    assert f"http://testserver{public.get_absolute_url()}" in urls
    assert not {draft.get_absolute_url(), scheduled.get_absolute_url()} & {
        url.removeprefix("http://testserver") for url in urls
    }
    images = document.xpath("//image:image/image:loc/text()", namespaces=NAMESPACES)
    assert images == [f"http://testserver{image.file.url}"]


def test_articles_are_split_into_pages_at_the_limit(client, settings, article_factory):
    settings.ARTICLES_SITEMAP_LIMIT = 2
    for _ in range(5):
        article_factory()
    index_urls = locations(fetch(client, reverse("articles:sitemap")))
    pages = [url for url in index_urls if "sitemap-articles.xml" in url]
    assert len(pages) == 3
    assert len(locations(fetch(client, sitemap_url("articles", 3)))) == 1


def test_news_sitemap_has_only_the_last_two_days(client, article_factory):
    fresh = article_factory("Fresh", hours_ago=3)
    old = article_factory("Old", hours_ago=24 * 3)
    document = fetch(client, sitemap_url("news"))
    assert locations(document) == [f"http://testserver{fresh.get_absolute_url()}"]
    assert old.headline not in document.xpath("//news:title/text()", namespaces=NAMESPACES)
    news = document.xpath("//news:news", namespaces=NAMESPACES)[0]
    assert news.xpath("news:publication/news:name/text()", namespaces=NAMESPACES) == [
        "The Test Host Times"
    ]
    assert news.xpath("news:publication/news:language/text()", namespaces=NAMESPACES) == ["en"]
    assert news.xpath("news:title/text()", namespaces=NAMESPACES) == ["Fresh"]
    published = news.xpath("news:publication_date/text()", namespaces=NAMESPACES)[0]
    assert published.endswith(("-05:00", "-04:00"))  # the newsroom's time zone, with its offset


def test_subject_sitemaps_skip_subjects_without_public_stories(
    client, article_factory, section_factory
):
    empty = section_factory()
    article_factory(section=section_factory(), published=False)
    full = article_factory().section
    urls = locations(fetch(client, sitemap_url("sections")))
    assert urls == [f"http://testserver{full.get_absolute_url()}"]
    assert empty.get_absolute_url() not in "".join(urls)


def test_robots_txt_lists_the_sitemaps(client, db):
    response = client.get(reverse("articles:robots"))
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: http://testserver{reverse('articles:sitemap')}" in text
    assert f"Sitemap: http://testserver{sitemap_url('news')}" in text


@pytest.mark.parametrize("section", [None, "articles", "news", "tags"])
def test_sitemap_query_budget_does_not_grow(
    client, article_factory, author_factory, image_factory, section
):
    url = sitemap_url(section) if section else reverse("articles:sitemap")
    counts = []
    for size in (1, 6):
        for i in range(size):
            article_factory(
                tags=[f"t {size} {i}"], authors=[author_factory()], lead_image=image_factory()
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # + 1: the next embargo or expiry, which shortens the cache lifetime (articles/http.py)
    assert counts[1] <= (10 if section is None else 2) + 1


def test_unknown_sitemap_is_404(client, db):
    assert client.get(sitemap_url("nope")).status_code == 404
