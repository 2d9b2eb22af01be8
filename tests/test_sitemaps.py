"""Sitemaps: valid against the protocol's XSDs, public stories only, one file per month."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from tests.conftest import widest
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


def month_url(year: int, month: int) -> str:
    start = datetime(year, month, 1, tzinfo=UTC)
    return reverse("articles:sitemap_month", kwargs={"month": start})


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def month_urls(client) -> list[str]:
    """The story sitemaps the index lists, in its order."""
    return [
        url for url in locations(fetch(client, reverse("articles:sitemap"))) if "-articles-" in url
    ]


def test_index_lists_every_sitemap_and_validates(client, article_factory, author_factory):
    article_factory(tags=["floods"], authors=[author_factory()])
    index = fetch(client, reverse("articles:sitemap"))
    children = locations(index)
    for section in ["news", "sections", "tags", "authors"]:
        assert f"http://testserver{sitemap_url(section)}" in children
    now = timezone.now()
    assert f"http://testserver{month_url(now.year, now.month)}" in children


@pytest.mark.parametrize("section", ["news", "month", "sections", "tags", "authors"])
def test_every_sitemap_validates_against_the_xsds(
    client, article_factory, author_factory, image_factory, section
):
    article_factory(
        'Quotes " & <tags> in a headline',
        tags=["floods"],
        authors=[author_factory()],
        lead_image=image_factory(),
    )
    now = timezone.now()
    fetch(client, month_url(now.year, now.month) if section == "month" else sitemap_url(section))


def test_index_lists_each_month_with_public_stories_and_no_other(client, article_factory):
    article_factory(published_at=at(2024, 1, 10))
    article_factory(published_at=at(2024, 1, 20, 8))
    article_factory(published_at=at(2024, 3, 31, 23, 59))
    # Months whose only stories readers may not see: a draft, a retraction, an expiry.
    article_factory(published=False, published_at=at(2024, 2, 5))
    article_factory(
        published_at=at(2024, 4, 5), status=Status.RETRACTED, retraction_reason="Wrong."
    )
    article_factory(published_at=at(2024, 5, 5), expire_at=at(2024, 5, 6))
    # An embargo months ahead adds no month either.
    article_factory(hours_ago=-24 * 90)
    index = fetch(client, reverse("articles:sitemap"))
    entries = {
        entry.findtext("s:loc", namespaces=NAMESPACES).strip(): entry.findtext(
            "s:lastmod", namespaces=NAMESPACES
        )
        for entry in index.xpath("//s:sitemap", namespaces=NAMESPACES)
    }
    months = [url for url in entries if "-articles-" in url]
    assert months == [
        f"http://testserver{month_url(2024, 3)}",
        f"http://testserver{month_url(2024, 1)}",
    ]
    # Each month's lastmod is its newest story's publication, in the newsroom's time zone.
    assert entries[months[1]] == "2024-01-20T03:00:00-05:00"


def test_index_without_public_stories_is_404(client, article_factory):
    # An index must name at least one sitemap (siteindex.xsd); robots.txt names none.
    article_factory(published=False)
    assert client.get(reverse("articles:sitemap")).status_code == 404
    assert "Sitemap:" not in client.get(reverse("articles:robots")).content.decode()


def test_month_sitemap_holds_exactly_that_months_public_stories_oldest_first(
    client, article_factory, image_factory
):
    image = image_factory()
    first = article_factory(published_at=at(2024, 3, 1), lead_image=image)
    last = article_factory(published_at=at(2024, 3, 31, 23, 59, 59))
    middle = article_factory(published_at=at(2024, 3, 15))
    hidden = [
        article_factory(published_at=at(2024, 2, 29, 23, 59, 59)),
        article_factory(published_at=at(2024, 4, 1)),
        article_factory(published=False, published_at=at(2024, 3, 2)),
        article_factory(
            published_at=at(2024, 3, 3), status=Status.RETRACTED, retraction_reason="Wrong."
        ),
        article_factory(published_at=at(2024, 3, 4), expire_at=at(2024, 3, 5)),
    ]
    document = fetch(client, month_url(2024, 3))
    assert locations(document) == [
        f"http://testserver{story.get_absolute_url()}" for story in (first, middle, last)
    ]
    assert not {story.get_absolute_url() for story in hidden} & {
        url.removeprefix("http://testserver") for url in locations(document)
    }
    images = document.xpath("//image:image/image:loc/text()", namespaces=NAMESPACES)
    assert images == [f"http://testserver{widest(image)}"]


def test_embargoed_story_stays_out_of_its_months_sitemap(client, article_factory):
    public = article_factory(hours_ago=1)
    embargoed = article_factory(hours_ago=-1)
    now = timezone.now()
    urls = locations(fetch(client, month_url(now.year, now.month)))
    assert f"http://testserver{public.get_absolute_url()}" in urls
    assert f"http://testserver{embargoed.get_absolute_url()}" not in urls


@pytest.mark.parametrize("query", ["", "?p=2", "?p=x"])
def test_month_sitemap_without_public_stories_or_past_its_page_is_404(
    client, article_factory, query
):
    article_factory(published_at=at(2024, 3, 15))
    article_factory(published=False, published_at=at(2024, 4, 15))
    assert client.get(month_url(2024, 4) + query).status_code == 404
    if query:
        assert client.get(month_url(2024, 3) + query).status_code == 404


def test_month_that_is_not_a_month_is_404(client, db):
    url = month_url(2024, 3).replace("2024-03", "2024-13")
    assert client.get(url).status_code == 404


def test_month_over_the_limit_lists_its_oldest_stories_and_warns(
    client, settings, article_factory, caplog
):
    settings.ARTICLES_SITEMAP_LIMIT = 2
    stories = [article_factory(published_at=at(2024, 3, day)) for day in (3, 1, 2)]
    with caplog.at_level(logging.WARNING, logger="articles.sitemaps"):
        urls = locations(fetch(client, month_url(2024, 3)))
    assert urls == [f"http://testserver{stories[i].get_absolute_url()}" for i in (1, 2)]
    assert "2024-03" in caplog.text


@pytest.mark.parametrize("query", ["", "?p=1", "?p=20"])
def test_former_article_sitemap_redirects_permanently_to_the_index(client, db, query):
    response = client.get(sitemap_url("articles") + query)
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:sitemap")


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


def test_subject_sitemap_pages_hold_at_most_the_limit_without_counting_stories(
    client, settings, article_factory, section_factory
):
    settings.ARTICLES_SITEMAP_LIMIT = 2
    section_factory()  # no story: skipped, though it takes its place in the pages
    full = [article_factory().section for _ in range(3)]
    index = locations(fetch(client, reverse("articles:sitemap")))
    assert [url for url in index if "sitemap-sections" in url] == [
        f"http://testserver{sitemap_url('sections')}",
        f"http://testserver{sitemap_url('sections', 2)}",
    ]
    pages = [locations(fetch(client, sitemap_url("sections", page))) for page in (1, 2)]
    assert pages == [
        [f"http://testserver{full[0].get_absolute_url()}"],
        [f"http://testserver{section.get_absolute_url()}" for section in full[1:]],
    ]


def test_robots_txt_lists_the_sitemaps(client, article_factory):
    article_factory()
    response = client.get(reverse("articles:robots"))
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: http://testserver{reverse('articles:sitemap')}" in text
    assert f"Sitemap: http://testserver{sitemap_url('news')}" in text


# Queries per request, whatever the archive holds; + 1 in each: the next embargo or
# expiry, which shortens the cache lifetime (articles/http.py).
SITEMAP_BUDGETS = {
    # newest and oldest story, the months' probes, news lastmod, and for each of
    # sections, tags and authors a count (of them all) and a lastmod
    "index": 3 + 1 + 3 * 2 + 1,
    "month": 1 + 1,
    "news": 1 + 1,
    # a count of them all, then the page's subjects with their newest public story
    "tags": 2 + 1,
    "sections": 2 + 1,
    "authors": 2 + 1,
}


def budget_story_time(kind: str, size: int, i: int) -> datetime:
    """Spread the index's stories over months; keep the others in the month or two days read."""
    if kind == "index":
        return at(2010 + size, i + 1, 10)
    if kind == "month":
        return at(2024, 3, i + 1, size)
    return timezone.now() - timedelta(hours=1 + i + size)


@pytest.mark.parametrize("kind", list(SITEMAP_BUDGETS))
def test_sitemap_query_budget_does_not_grow(
    client, article_factory, author_factory, image_factory, kind
):
    urls = {"index": reverse("articles:sitemap"), "month": month_url(2024, 3)}
    url = urls.get(kind) or sitemap_url(kind)
    counts = []
    for size in (1, 6):
        for i in range(size):
            article_factory(
                published_at=budget_story_time(kind, size, i),
                tags=[f"t {size} {i}"],
                authors=[author_factory()],
                lead_image=image_factory(),
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= SITEMAP_BUDGETS[kind]


def test_unknown_sitemap_is_404(client, db):
    assert client.get(sitemap_url("nope")).status_code == 404
