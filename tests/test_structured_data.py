"""JSON-LD, OpenGraph and canonical links on public pages."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Article, Image
from tests.conftest import jpeg_bytes, widest

pytestmark = pytest.mark.django_db

# Google's article guidelines: the properties we promise on every story page.
REQUIRED = {
    "headline",
    "image",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "mainEntityOfPage",
    "description",
}
HOSTILE = 'Quote " and </script><script>alert(1)</script> & <!-- end'


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def json_ld(client, url) -> dict[str, dict]:
    blocks = page(client, url).xpath('//script[@type="application/ld+json"]')
    documents = [json.loads(block.text) for block in blocks]
    return {str(document["@type"]): document for document in documents}


def meta(document, attribute: str, name: str) -> list[str]:
    return document.xpath(f'//meta[@{attribute}="{name}"]/@content')


@pytest.fixture
def story(article_factory, author_factory, image_factory):
    image = image_factory(
        credit="REUTERS/Jane Doe",
        creator="Jane Doe",
        copyright_notice="© 2026 Reuters",
        caption="The river.",
    )
    return article_factory(
        "Floods reach the city",
        dek="The river broke its banks.",
        tags=["Floods", "Weather"],
        authors=[author_factory("Ann Reporter")],
        lead_image=image,
    )


def test_news_article_has_every_required_property(client, story):
    article = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]
    assert article.keys() >= REQUIRED
    assert article["headline"] == "Floods reach the city"
    assert article["url"] == f"http://testserver{story.get_absolute_url()}"
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Ann Reporter",
            "url": f"http://testserver{story.authors.get().get_absolute_url()}",
        }
    ]
    assert article["publisher"]["logo"]["url"].endswith("articles/logo.png")
    assert article["keywords"] == ["Floods", "Weather"]


def test_dates_carry_the_time_zone(client, story):
    article = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]
    for key in ("datePublished", "dateModified"):
        assert article[key][-6:] in {"-05:00", "-04:00"}, article[key]


def test_images_come_in_three_crops_with_credit_and_rights(client, story):
    images = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]["image"]
    # The 64 x 48 photo's 16:9, 4:3 and 1:1 renditions.
    assert [(image["width"], image["height"]) for image in images] == [(64, 36), (64, 48), (48, 48)]
    for image in images:
        assert image["@type"] == "ImageObject"
        assert image["creditText"] == "REUTERS/Jane Doe"
        assert image["copyrightNotice"] == "© 2026 Reuters"
        assert image["creator"]["name"] == "Jane Doe"


def test_breadcrumbs_lead_home_section_story(client, story):
    trail = json_ld(client, story.get_absolute_url())["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in trail] == [
        "The Test Host Times",
        story.section.name,
        story.headline,
    ]
    assert [item["position"] for item in trail] == [1, 2, 3]


def test_story_without_byline_is_credited_to_the_publisher(client, article_factory):
    story = article_factory()
    article = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]
    assert article["author"][0]["@type"] == "Organization"


def test_hostile_text_cannot_leave_the_json_ld_block(client, article_factory, image_factory):
    image = image_factory(credit=HOSTILE, caption=HOSTILE)
    story = article_factory(HOSTILE[:100], dek=HOSTILE, lead_image=image)
    Article.objects.filter(pk=story.pk).update(headline="Bell\x07" + HOSTILE[:90])
    Image.objects.filter(pk=image.pk).update(credit="\x00" + HOSTILE)
    response = client.get(story.get_absolute_url())
    assert b"<script>alert(1)" not in response.content
    documents = json_ld(client, story.get_absolute_url())
    assert documents["ReportageNewsArticle"]["headline"] == "Bell" + HOSTILE[:90]
    assert documents["ReportageNewsArticle"]["image"][0]["creditText"] == HOSTILE
    assert documents["ReportageNewsArticle"]["description"] == HOSTILE


def test_opengraph_and_twitter_tags(client, story):
    document = page(client, story.get_absolute_url())
    url = f"http://testserver{story.get_absolute_url()}"
    assert meta(document, "property", "og:type") == ["article"]
    assert meta(document, "property", "og:title") == ["Floods reach the city"]
    assert meta(document, "property", "og:description") == ["The river broke its banks."]
    assert meta(document, "property", "og:url") == [url]
    assert meta(document, "property", "og:image") == [
        f"http://testserver{widest(story.lead_image)}"
    ]
    assert meta(document, "property", "og:image:width") == ["64"]
    assert meta(document, "property", "og:image:height") == ["48"]
    assert meta(document, "property", "og:image:alt") == [story.lead_image.alt_text]
    assert meta(document, "property", "article:section") == [story.section.name]
    assert meta(document, "property", "article:tag") == ["Floods", "Weather"]
    assert meta(document, "property", "article:published_time")[0][-6:] in {"-05:00", "-04:00"}
    assert meta(document, "name", "twitter:card") == ["summary_large_image"]


def test_article_canonical_ignores_tracking_parameters(client, story):
    document = page(client, story.get_absolute_url() + "?utm_source=x")
    canonical = document.xpath('//link[@rel="canonical"]/@href')
    assert canonical == [f"http://testserver{story.get_absolute_url()}"]


@pytest.mark.parametrize("kind", ["home", "section", "tag", "author"])
def test_every_list_page_has_a_canonical_link(client, story, kind):
    url = {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "floods"}),
        "author": story.authors.get().get_absolute_url(),
    }[kind]
    canonical = page(client, url + "?utm_source=x").xpath('//link[@rel="canonical"]/@href')
    assert canonical == [f"http://testserver{url}"]


def test_corrections_are_listed_and_move_date_modified(client, story):
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Correction, CorrectionKind

    later = timezone.now() + timedelta(minutes=5)
    Correction.objects.create(article=story, text="The river is the Ouse.", created_at=later)
    Correction.objects.create(article=story, kind=CorrectionKind.UPDATE, text="More rain due.")
    article = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]
    assert [note["text"] for note in article["correction"]] == ["The river is the Ouse."]
    assert article["correction"][0]["@type"] == "CorrectionComment"
    assert article["dateModified"] == article["correction"][0]["datePublished"]


def test_images_are_the_focal_point_crops_once_renditions_exist(
    client, article_factory, image_factory
):
    photo = image_factory(content=jpeg_bytes(1000, 600), creator="Kim Lee", renditions=True)
    story = article_factory(lead_image=photo)
    images = json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]["image"]
    sizes = [(image["width"], image["height"]) for image in images]
    assert sizes == [(960, 540), (640, 480), (320, 320)]
    assert all("/renditions/" in image["url"] for image in images)


def test_an_expired_photo_is_left_out_of_structured_data(client, article_factory, image_factory):
    photo = image_factory(rights_expire_on=timezone.localdate() - timedelta(days=1))
    story = article_factory(lead_image=photo)
    assert "image" not in json_ld(client, story.get_absolute_url())["ReportageNewsArticle"]
