"""Bylines and tags keep the editor's order on every surface, whatever order rows were saved in."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from lxml import html as lxml_html

from articles.models import ArticleAuthor

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(article_factory, author_factory):
    story = article_factory("Three bylines", tags=["Zinc", "Alder", "Moss"])
    # Saved last-first: the byline order is the positions', not the rows'.
    for position, name in [(2, "Cleo Third"), (0, "Ada First"), (1, "Ben Second")]:
        ArticleAuthor.objects.create(article=story, author=author_factory(name), position=position)
    return story


def test_the_story_page_lists_authors_by_position_and_tags_as_added(client, story):
    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    assert page.xpath("//p[@class='byline']/a/text()") == ["Ada First", "Ben Second", "Cleo Third"]
    assert page.xpath("//ul[@class='tags']//a/text()") == ["Zinc", "Alder", "Moss"]


def test_feeds_and_the_api_keep_the_same_order(client, story):
    feed = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    assert feed.entries[0].author == "Ada First, Ben Second and Cleo Third"
    document = client.get(reverse("articles:api_detail", args=[story.slug])).json()
    assert document["by"] == "Ada First, Ben Second and Cleo Third"
    tags = [s["name"] for s in document["subjects"] if s["rel"] == "about"]
    assert tags == ["Zinc", "Alder", "Moss"]
