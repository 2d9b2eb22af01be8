"""Public URLs built by ``articles.links.slug_path`` match what ``reverse()`` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.links import slug_path
from articles.models import Tag


@pytest.fixture
def script_prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/mounted/here/"])
def test_every_public_object_links_where_reverse_points(
    prefix, script_prefix, article_factory, author_factory
):
    set_script_prefix(prefix)
    author = author_factory(name="Ann Reporter")
    article = article_factory(headline="Harbour bridge reopens", tags=["Transport"])
    article.bylines.create(author=author, position=0)
    tag = Tag.objects.get(name="Transport")
    for obj, route in (
        (article, "articles:article"),
        (article.section, "articles:section"),
        (tag, "articles:tag"),
        (author, "articles:author"),
    ):
        expected = reverse(route, kwargs={"slug": obj.slug})
        assert expected.startswith(f"{prefix}news/")
        assert obj.get_absolute_url() == expected


def test_a_slug_the_route_refuses_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        reverse("articles:article", kwargs={"slug": "has space"})
    with pytest.raises(NoReverseMatch):
        slug_path("articles:article", "has space")


def test_each_route_keeps_its_own_pattern():
    assert slug_path("articles:tag", "x") == reverse("articles:tag", kwargs={"slug": "x"})
    assert slug_path("articles:author", "x") == reverse("articles:author", kwargs={"slug": "x"})
    assert slug_path("articles:tag", "x") != slug_path("articles:author", "x")
