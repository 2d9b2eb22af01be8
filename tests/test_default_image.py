"""The site's default image (``ARTICLES_DEFAULT_IMAGE``) for stories without a photo."""

import json

import pytest
from django.test import override_settings
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

DEFAULT_IMAGE = {
    "url": "articles/logo.png",
    "width": 1200,
    "height": 630,
    "alt": "The Test Host Times masthead",
}
IMAGE_URL = "http://testserver/static/articles/logo.png"


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def meta(document, attribute: str, name: str) -> list[str]:
    return document.xpath(f'//meta[@{attribute}="{name}"]/@content')


def article_ld(document) -> dict:
    blocks = [json.loads(b.text) for b in document.xpath('//script[@type="application/ld+json"]')]
    return next(block for block in blocks if block["@type"] != "BreadcrumbList")


@override_settings(ARTICLES_DEFAULT_IMAGE=DEFAULT_IMAGE)
def test_a_story_without_a_photo_shares_the_default_image(client, article_factory):
    document = page(client, article_factory())
    assert article_ld(document)["image"] == [
        {
            "@type": "ImageObject",
            "url": IMAGE_URL,
            "contentUrl": IMAGE_URL,
            "width": 1200,
            "height": 630,
        }
    ]
    assert meta(document, "property", "og:image") == [IMAGE_URL]
    assert meta(document, "property", "og:image:type") == ["image/png"]
    assert meta(document, "property", "og:image:width") == ["1200"]
    assert meta(document, "property", "og:image:height") == ["630"]
    assert meta(document, "property", "og:image:alt") == ["The Test Host Times masthead"]
    assert meta(document, "name", "twitter:card") == ["summary_large_image"]
    assert meta(document, "name", "twitter:image") == [IMAGE_URL]
    assert meta(document, "name", "twitter:image:alt") == ["The Test Host Times masthead"]


@override_settings(ARTICLES_DEFAULT_IMAGE={**DEFAULT_IMAGE, "url": "https://cdn.example/share.jpg"})
def test_the_default_image_may_be_a_full_url(client, article_factory):
    document = page(client, article_factory())
    assert meta(document, "property", "og:image") == ["https://cdn.example/share.jpg"]
    assert meta(document, "property", "og:image:type") == ["image/jpeg"]
    assert article_ld(document)["image"][0]["url"] == "https://cdn.example/share.jpg"


@override_settings(ARTICLES_DEFAULT_IMAGE=DEFAULT_IMAGE)
def test_a_story_with_a_photo_shares_its_photo_not_the_default(
    client, article_factory, image_factory
):
    story = article_factory(lead_image=image_factory(alt_text="Boats"))
    document = page(client, story)
    assert IMAGE_URL not in meta(document, "property", "og:image")
    assert meta(document, "property", "og:image:alt") == ["Boats"]
    assert all("/renditions/" in image["url"] for image in article_ld(document)["image"])


@override_settings(ARTICLES_DEFAULT_IMAGE=DEFAULT_IMAGE)
def test_the_default_image_stays_out_of_feeds_and_the_api(client, article_factory):
    story = article_factory()
    assert IMAGE_URL not in client.get("/news/feeds/rss/").content.decode()
    assert "associations" not in client.get(f"/news/api/ninjs/{story.slug}/").json()


def test_without_a_default_image_a_story_without_a_photo_shares_none(client, article_factory):
    document = page(client, article_factory())
    assert "image" not in article_ld(document)
    assert meta(document, "property", "og:image") == []
    assert meta(document, "name", "twitter:card") == ["summary"]
