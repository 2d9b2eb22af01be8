"""Body photos and videos as readers get them: the page, the API, search and feeds."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.conftest import store_body_as_sql

pytestmark = pytest.mark.django_db


def story_body(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return lxml_html.fromstring(response.content).xpath('//div[@class="story-body"]')[0]


def test_body_photo_renders_from_renditions_with_caption_credit_and_alt(
    client, article_factory, image_factory
):
    photo = image_factory(renditions=True, caption="The photo's own caption", alt_text="A quay")
    story = article_factory(
        body=f'<p>Text</p><figure data-image="{photo.pk}"><figcaption>On this story</figcaption>'
        "</figure>"
    )
    figure = story_body(client, story).xpath(".//figure")[0]
    img = figure.xpath(".//img")[0]
    assert img.get("alt") == "A quay"
    assert img.get("loading") == "lazy"
    assert "/renditions/" in img.get("src") and photo.file.url not in img.get("srcset")
    assert figure.xpath(".//picture/source[@type='image/webp']")
    assert figure.xpath('.//span[@class="caption"]/text()') == ["On this story"]
    assert figure.xpath('.//span[@class="credit"]/text()') == ["Photo: REUTERS/Jonathan Ernst"]


def test_body_photo_without_figcaption_shows_the_photos_caption(
    client, article_factory, image_factory
):
    photo = image_factory(renditions=True, caption="Boats at dawn")
    story = article_factory(body=f'<figure data-image="{photo.pk}"></figure>')
    assert story_body(client, story).xpath('.//span[@class="caption"]/text()') == ["Boats at dawn"]


@pytest.mark.parametrize("problem", ["expired", "no renditions", "deleted"])
def test_photo_readers_may_not_see_renders_as_nothing(
    client, article_factory, image_factory, problem
):
    photo = image_factory(renditions=problem != "no renditions")
    story = article_factory(body=f'<p>Text</p><figure data-image="{photo.pk}"></figure>')
    if problem == "expired":
        photo.rights_expire_on = timezone.localdate()
        photo.save()
    elif problem == "deleted":
        photo.delete()
    body = story_body(client, story)
    assert body.xpath(".//figure") == [] and body.xpath(".//img") == []
    assert photo.file.name not in client.get(story.get_absolute_url()).content.decode()


def test_body_photo_disappears_when_its_rights_expire(client, article_factory, image_factory):
    photo = image_factory(
        renditions=True, rights_expire_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    story = article_factory(body=f'<figure data-image="{photo.pk}"></figure>')
    assert len(story_body(client, story).xpath(".//figure")) == 1
    photo.rights_expire_on = timezone.localdate()
    photo.save()
    assert story_body(client, story).xpath(".//figure") == []


def test_an_outside_image_never_reaches_the_page(client, article_factory):
    story = article_factory(body='<p>Look <img src="https://tracker.example/pixel.gif"></p>')
    # Even one stored before images left the allow-list.
    store_body_as_sql(story, story.body + '<p><img src="https://legacy.example/old.jpg"></p>')
    assert "legacy.example" in type(story).objects.values_list("body", flat=True).get(pk=story.pk)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "tracker.example" not in page and "legacy.example" not in page


def test_api_body_has_rendition_figures_and_video_links_only(
    client, article_factory, image_factory
):
    photo = image_factory(renditions=True, caption="Quay")
    story = article_factory(
        body=f'<figure data-image="{photo.pk}"></figure>'
        "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"
    )
    for url in (
        reverse("articles:api_detail", kwargs={"slug": story.slug}),
        reverse("articles:api_list"),
    ):
        document = json.loads(client.get(url).content)
        document = document[0] if isinstance(document, list) else document
        value = document["bodies"][0]["value"]
        assert "data-image" not in value and "data-embed" not in value and "<iframe" not in value
        assert photo.file.name not in value
        body = lxml_html.fromstring(f"<div>{value}</div>")
        assert body.xpath("//img/@src")[0].startswith("http://testserver/media/renditions/")
        assert body.xpath("//figcaption")[0].text_content() == "Quay Photo: REUTERS/Jonathan Ernst"
        assert body.xpath("//a/@href") == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]


def test_feeds_and_search_do_not_leak_figures(client, article_factory, image_factory):
    photo = image_factory(renditions=True, caption="Harbour")
    article_factory(
        headline="Harbour news",
        body=f'<p>Harbour text.</p><figure data-image="{photo.pk}"></figure>',
    )
    for url in (
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        reverse("articles:search") + "?q=harbour",
    ):
        content = client.get(url).content.decode()
        assert "Harbour" in content, url
        assert "data-image" not in content and photo.file.name not in content, url


def test_plain_text_saved_from_the_shell_reads_as_paragraphs(client, article_factory):
    story = article_factory()
    story.body = "Written in a shell.\n\nA second paragraph."
    story.save()
    paragraphs = story_body(client, story).xpath("./p/text()")
    assert paragraphs == ["Written in a shell.", "A second paragraph."]
