from datetime import timedelta
from io import BytesIO

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from tests.conftest import photo_bytes

pytestmark = pytest.mark.django_db


def public_urls(article):
    return [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        *[tag.get_absolute_url() for tag in article.tags.all()],
        *[byline.author.get_absolute_url() for byline in article.bylines.all()],
    ]


def test_pages_render_inside_the_host_base_template(client, article_factory):
    article = article_factory("Hosted story")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.get_absolute_url().startswith("/news/story/")
    assert b'data-host="test-host"' in response.content


def test_article_page_shows_the_whole_story(client, article_factory, author_factory, image_factory):
    first, second = author_factory("Ann Author"), author_factory("Bob Byline")
    photo = image_factory(credit="REUTERS/Jonathan Ernst", caption="The scene", alt_text="Crowd")
    article = article_factory(
        "The headline",
        dek="The dek",
        authors=[second, first],
        tags=["Alpha", "Beta"],
        lead_image=photo,
        kind="sponsored",
        sponsor_name="Acme Ltd",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1" in html and "The headline" in html
    assert "The dek" in html
    assert html.index("Bob Byline") < html.index("Ann Author")  # byline order is kept
    assert f'href="{first.get_absolute_url()}"' in html
    assert "<figure" in html and "The scene" in html and "REUTERS/Jonathan Ernst" in html
    assert 'alt="Crowd"' in html and 'fetchpriority="high"' in html
    assert "<p>Body.</p>" in html
    assert 'href="/news/tag/alpha/"' in html
    assert "Sponsored · Paid for by Acme Ltd" in html


def test_time_element_carries_an_iso_datetime(client, article_factory):
    article = article_factory()
    html = client.get(article.get_absolute_url()).content.decode()
    local = timezone.localtime(article.published_at).replace(microsecond=0)
    assert f'<time datetime="{local.isoformat()}"' in html
    assert "-05:00" in local.isoformat() or "-04:00" in local.isoformat()  # the host's zone


@pytest.mark.parametrize("kind", ["draft", "future"])
def test_unpublished_story_is_404_and_listed_nowhere(client, article_factory, author_factory, kind):
    author = author_factory()
    fields = (
        {"published": False}
        if kind == "draft"
        else {"published_at": timezone.now() + timedelta(days=1)}
    )
    hidden = article_factory("Secret scoop", tags=["Scoops"], authors=[author], **fields)
    visible = article_factory(
        "Public story", tags=["Scoops"], authors=[author], section=hidden.section
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in [*public_urls(hidden), visible.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Secret scoop" not in response.content, url


def test_scheduled_story_appears_when_its_time_comes(client, article_factory):
    story = article_factory("Embargoed", published_at=timezone.now() + timedelta(seconds=1))
    assert client.get(story.get_absolute_url()).status_code == 404
    story.published_at = timezone.now() - timedelta(seconds=1)
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_unknown_slugs_are_404(client, db):
    for name in ("article", "section", "tag", "author"):
        assert client.get(reverse(f"articles:{name}", kwargs={"slug": "nope"})).status_code == 404


def test_section_tag_and_author_pages_list_their_stories(
    client, article_factory, author_factory, section_factory
):
    world = section_factory("World")
    author = author_factory("Writer")
    mine = article_factory("Mine", section=world, tags=["Rain"], authors=[author])
    other = article_factory("Someone else's", tags=["Sun"])
    for url in (
        world.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "rain"}),
        author.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert mine.headline in html
        assert other.headline not in html


@override_settings(ARTICLES_PAGE_SIZE=2)
def test_lists_are_paginated(client, article_factory, section_factory):
    section = section_factory()
    stories = [article_factory(f"Story {i}", section=section, hours_ago=i + 1) for i in range(5)]
    page2 = client.get(section.get_absolute_url() + "?page=2").content.decode()
    assert stories[2].headline in page2 and stories[0].headline not in page2
    assert 'rel="next"' in page2 and 'rel="prev"' in page2
    assert client.get(section.get_absolute_url() + "?page=9").status_code == 404
    assert client.get(section.get_absolute_url() + "?page=abc").status_code == 404


def test_home_leads_with_the_newest_story_and_its_photo(client, article_factory, image_factory):
    article_factory("Older", hours_ago=5)
    article_factory("Newest", hours_ago=1, lead_image=image_factory(credit="AP/Photographer"))
    html = client.get(reverse("articles:home")).content.decode()
    assert html.index("Newest") < html.index("Older")
    assert "AP/Photographer" in html


class TestRelatedModule:
    def test_editor_links_come_first_in_order(self, client, article_factory, related_link_factory):
        article = article_factory(tags=["Shared"])
        article_factory("By tag", tags=["Shared"])
        picked_b, picked_a = article_factory("Picked B"), article_factory("Picked A")
        related_link_factory(article, target=picked_a, position=0)
        related_link_factory(article, target=picked_b, position=1)
        related_link_factory(article, url="https://example.org/x", title="Outside read", position=2)
        related = client.get(article.get_absolute_url()).context["related"]
        assert [item.title for item in related[:3]] == ["Picked A", "Picked B", "Outside read"]
        assert related[3].title == "By tag"

    def test_links_to_unpublished_stories_are_hidden(
        self, client, article_factory, related_link_factory
    ):
        article = article_factory()
        draft = article_factory("Draft target", published=False)
        related_link_factory(article, target=draft)
        html = client.get(article.get_absolute_url()).content.decode()
        assert "Draft target" not in html

    def test_fills_with_stories_sharing_tags_never_itself(self, client, article_factory):
        article = article_factory("Subject", tags=["A", "B"])
        both = article_factory("Shares two", tags=["A", "B"], hours_ago=9)
        one = article_factory("Shares one", tags=["B"], hours_ago=2)
        article_factory("Hidden sharer", tags=["A", "B"], published=False)
        related = client.get(article.get_absolute_url()).context["related"]
        titles = [item.title for item in related]
        assert titles[:2] == [both.headline, one.headline]
        assert "Subject" not in titles and "Hidden sharer" not in titles

    def test_related_cards_show_photo_credit(
        self, client, article_factory, image_factory, related_link_factory
    ):
        article = article_factory()
        target = article_factory(lead_image=image_factory(credit="EPA/Someone Else"))
        related_link_factory(article, target=target)
        assert "EPA/Someone Else" in client.get(article.get_absolute_url()).content.decode()


def test_stored_body_is_rendered_without_escaping_only_after_sanitising(client, article_factory):
    article = article_factory()
    article.body = '<p>Safe <a href="javascript:alert(1)">link</a></p><script>x</script>'
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "javascript:" not in html and "<script>x" not in html
    assert "<p>Safe <a" in html


def test_headline_markup_is_escaped(client, article_factory):
    article = article_factory("<b>Bold</b> claim")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


class TestPhotos:
    """Photos on public pages: renditions, loading hints, credits and rights."""

    def test_article_page_serves_webp_srcset_renditions_without_gps(
        self, client, article_factory, image_factory, media_root
    ):
        photo = image_factory(content=photo_bytes(1400, 800, gps=True), renditions=True)
        html = client.get(article_factory(lead_image=photo).get_absolute_url()).content.decode()
        assert '<source type="image/webp" srcset="' in html
        webp = [u.split()[0] for u in html.split('srcset="')[1].split('"')[0].split(", ")]
        assert [u.rsplit("-", 1)[1] for u in webp] == [
            "320.webp",
            "640.webp",
            "960.webp",
            "1280.webp",
        ]
        for url in webp:
            data = (media_root / url.removeprefix("/media/")).read_bytes()
            picture = PILImage.open(BytesIO(data))
            assert picture.format == "WEBP" and not picture.getexif().get_ifd(0x8825)
            assert b"BODY-SERIAL" not in data
        assert 'width="960" height="549"' in html and 'fetchpriority="high"' in html

    def test_cards_use_lazy_16_9_crops_with_the_credit(
        self, client, article_factory, image_factory
    ):
        photo = image_factory(credit="EPA/Card Credit", renditions=True)
        article_factory("Older", lead_image=photo, hours_ago=5)
        article_factory("Newer", hours_ago=1)
        html = client.get(reverse("articles:home")).content.decode()
        card = next(part for part in html.split('<article class="card') if "Older" in part)
        assert 'loading="lazy"' in card and "16x9-" in card
        assert "Photo: EPA/Card Credit" in card

    def test_an_expired_photo_disappears_from_public_pages(
        self, client, article_factory, image_factory
    ):
        photo = image_factory(
            credit="AFP/Expired", rights_expire_on=timezone.localdate() - timedelta(days=1)
        )
        article = article_factory("Story without its photo", lead_image=photo)
        for url in [article.get_absolute_url(), reverse("articles:home")]:
            html = client.get(url).content.decode()
            assert "Story without its photo" in html
            assert "AFP/Expired" not in html and photo.file.url not in html

    def test_the_story_can_caption_and_crop_its_lead_photo(
        self, client, article_factory, image_factory
    ):
        photo = image_factory(caption="Library caption", alt_text="Library alt", renditions=True)
        article = article_factory(
            lead_image=photo,
            lead_image_caption="Caption written for this story",
            lead_image_alt_text="Alt for this story",
            lead_image_crop="1:1",
        )
        html = client.get(article.get_absolute_url()).content.decode()
        assert "Caption written for this story" in html and "Library caption" not in html
        assert 'alt="Alt for this story"' in html and "/1x1-" in html
