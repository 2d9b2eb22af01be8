"""RSS and Atom feeds: parse cleanly, list only public stories, carry Media RSS."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Correction
from tests.conftest import widest

pytestmark = pytest.mark.django_db

FEED_NAMES = ["feed_rss", "feed_atom"]
# stories (with whether they have notes), bylines, tags, the corrections of those that
# have some, next embargo or expiry (+ the subject)
FEED_BUDGET = 6


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("name", FEED_NAMES)
def test_site_feed_lists_only_public_stories(client, article_factory, name):
    article_factory("Public story")
    article_factory("Draft story", published=False)
    article_factory("Scheduled story", hours_ago=-5)
    feed = parse(client, reverse(f"articles:{name}"))
    assert [entry.title for entry in feed.entries] == ["Public story"]


@pytest.mark.parametrize("name", FEED_NAMES)
def test_item_carries_dek_authors_tags_and_link(client, article_factory, author_factory, name):
    story = article_factory(
        "Floods reach the city",
        dek="The river broke its banks overnight.",
        tags=["Floods", "Weather"],
        authors=[author_factory("Ann Reporter"), author_factory("Bo Writer")],
    )
    entry = parse(client, reverse(f"articles:{name}")).entries[0]
    assert entry.summary == "The river broke its banks overnight."
    assert entry.author == "Ann Reporter and Bo Writer"
    assert sorted(tag.term for tag in entry.tags) == ["Floods", "Weather"]
    assert entry.link == f"http://testserver{story.get_absolute_url()}"


@pytest.mark.parametrize("name", FEED_NAMES)
def test_lead_photo_is_media_rss_with_credit_and_caption(
    client, article_factory, image_factory, name
):
    image = image_factory(credit="AP/Kim Lee", caption="Water on Main Street.")
    article_factory(lead_image=image)
    entry = parse(client, reverse(f"articles:{name}")).entries[0]
    content = entry.media_content[0]
    assert content["url"] == f"http://testserver{widest(image)}"
    assert (content["type"], content["width"], content["height"]) == ("image/jpeg", "64", "48")
    assert entry.media_credit[0]["content"] == "AP/Kim Lee"
    # feedparser files media:description under the entry's content.
    assert entry.content[0].value == "Water on Main Street."


def test_media_credit_keeps_photographer_and_credit_line_apart(
    client, article_factory, image_factory
):
    image = image_factory(credit="AP/Kim Lee", creator="Kim Lee")
    article_factory(lead_image=image)
    xml = client.get(reverse("articles:feed_rss")).content.decode()
    assert '<media:credit role="photographer">Kim Lee</media:credit>' in xml
    assert "<media:credit>AP/Kim Lee</media:credit>" in xml
    assert '<media:credit role="photographer">AP/Kim Lee' not in xml


@pytest.mark.parametrize("name", FEED_NAMES)
def test_control_character_in_headline_does_not_break_the_feed(client, article_factory, name):
    story = article_factory("Clean for now")
    # Bypass the model's cleaning, as a raw import or an old row might.
    Article.objects.filter(pk=story.pk).update(headline="Bell\x07 and \x0bvertical tab")
    article_factory("A second story")
    feed = parse(client, reverse(f"articles:{name}"))
    assert "Bell and vertical tab" in [entry.title for entry in feed.entries]


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_subject_feeds_list_the_subjects_stories(
    client, article_factory, author_factory, section_factory, kind, flavour
):
    section, author = section_factory(), author_factory()
    article_factory("Mine", section=section, tags=["Mine tag"], authors=[author])
    article_factory("Not mine", tags=["Other"])
    slug = {"section": section.slug, "tag": "mine-tag", "author": author.slug}[kind]
    feed = parse(client, reverse(f"articles:{kind}_{flavour}", kwargs={"slug": slug}))
    assert [entry.title for entry in feed.entries] == ["Mine"]


def test_unknown_subject_feed_is_404(client, db):
    assert client.get(reverse("articles:tag_rss", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("page,feed", [("home", "feed_rss"), ("section", "section_rss")])
def test_pages_advertise_their_feeds(client, article_factory, page, feed):
    story = article_factory()
    kwargs = {"slug": story.section.slug} if page == "section" else {}
    html = client.get(reverse(f"articles:{page}", kwargs=kwargs)).content.decode()
    href = reverse(f"articles:{feed}", kwargs=kwargs)
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert f'href="{href}"' in html


def test_feed_answers_conditional_get_with_304(client, article_factory):
    article_factory()
    url = reverse("articles:feed_rss")
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    modified = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert modified.status_code == 304


@pytest.mark.parametrize("name", ["feed_rss", "tag_atom"])
def test_feed_query_budget_does_not_grow(
    client, article_factory, author_factory, image_factory, name
):
    counts = []
    for size in (1, 6):
        for i in range(size):
            story = article_factory(
                tags=["budget", f"other {size} {i}"],
                authors=[author_factory(), author_factory()],
                lead_image=image_factory(),
            )
            Correction.objects.create(article=story, text=f"Corrected {size} {i}.")
        kwargs = {"slug": "budget"} if name == "tag_atom" else {}
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"articles:{name}", kwargs=kwargs)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= FEED_BUDGET
