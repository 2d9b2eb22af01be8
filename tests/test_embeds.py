"""Video URLs on their own line become privacy-respecting players; other iframes never survive."""

import pytest
from lxml import html as lxml_html

from articles.embeds import video_embed
from tests.conftest import store_body_as_sql

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,src",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=10", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_recognised_urls(url, src):
    assert video_embed(url).src == f"https://{'www.' if 'youtube' in src else ''}{src}"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        'https://www.youtube.com/watch?v=dQw4w9WgXc"',
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "javascript:alert(1)",
    ],
)
def test_other_urls_are_not_embedded(url):
    assert video_embed(url) is None


def story_body(client, article_factory, body):
    story = article_factory()
    story.body = body
    story.save()
    document = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    return document.xpath('//div[@class="story-body"]')[0]


def test_url_on_its_own_line_becomes_an_accessible_lazy_player(client, article_factory):
    body = story_body(
        client,
        article_factory,
        "<p>Before.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=3</p><p>After.</p>",
    )
    frames = body.xpath(".//iframe")
    assert len(frames) == 1
    assert frames[0].get("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frames[0].get("title") == "Video on YouTube"
    assert frames[0].get("loading") == "lazy"


def test_linked_url_on_its_own_line_is_embedded(client, article_factory):
    body = story_body(
        client,
        article_factory,
        '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>',
    )
    assert body.xpath(".//iframe/@src") == ["https://player.vimeo.com/video/76979871?dnt=1"]


def test_url_inside_a_sentence_stays_a_link(client, article_factory):
    body = story_body(client, article_factory, "<p>Watch https://youtu.be/dQw4w9WgXcQ today.</p>")
    assert body.xpath(".//iframe") == []


def test_pasted_embed_code_becomes_the_player_and_other_iframes_go(client, article_factory):
    body = story_body(
        client,
        article_factory,
        '<p>x</p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen>'
        '</iframe><iframe src="https://evil.example/"></iframe>',
    )
    assert body.xpath(".//iframe/@src") == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]


def test_player_is_followed_by_a_plain_link(client, article_factory):
    body = story_body(
        client, article_factory, '<figure data-embed="https://vimeo.com/76979871"></figure>'
    )
    frame = body.xpath(".//iframe")[0]
    assert frame.get("referrerpolicy") == "strict-origin-when-cross-origin"
    assert frame.get("allowfullscreen") is None
    assert "fullscreen" in frame.get("allow")
    link = body.xpath('.//p[@class="video-link"]')[0]
    assert link.text_content() == "Watch on Vimeo: https://vimeo.com/76979871"
    assert link.xpath(".//a/@href") == ["https://vimeo.com/76979871"]


def test_legacy_body_with_a_url_paragraph_still_renders_a_player(client, article_factory):
    story = article_factory()
    store_body_as_sql(story, "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>")
    document = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    assert document.xpath('//div[@class="story-body"]//iframe/@title') == ["Video on YouTube"]
