"""Edge cases of real exports, each in a generated WXR 1.0, 1.1 and 1.2 file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section, WordPressOrigin
from tests.wxr_exports import VERSIONS, author, category, export, post, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", VERSIONS)
def test_post_without_a_date_is_dated_at_import(write, version, client):
    out, _err = run(write(export(post(1, "Undated", date_gmt=None), version=version)))
    article = Article.objects.get()
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert "post 1 “Undated”: no date; dated at import" in out
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_undated_post_keeps_its_import_date_on_a_rerun(write, version):
    path = write(export(post(1, "Undated", date_gmt=None), version=version))
    run(path)
    first = Article.objects.get().published_at
    out, _err = run(path)
    assert "articles:            1 unchanged" in out
    assert Article.objects.get().published_at == first


@pytest.mark.parametrize("version", VERSIONS)
def test_posts_without_an_id_are_imported_once(write, version, client):
    items = (
        post(None, "First", name="first"),
        post(None, "Second", name="second"),
    )
    path = write(export(*items, version=version))
    run(path)
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["First", "Second"]
    out, _err = run(path)
    assert "articles:            2 unchanged" in out
    assert Article.objects.count() == 2
    assert WordPressOrigin.objects.filter(kind="post").count() == 2
    response = client.get("/2024/03/01/second/")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(headline="Second").get_absolute_url()


@pytest.mark.parametrize("version", VERSIONS)
def test_without_an_author_list_the_posts_creators_are_the_authors(write, version, client):
    items = (
        post(1, "One", creator="alice"),
        post(2, "Two", creator="bob"),
        post(3, creator="alice"),
    )
    out, _err = run(write(export(*items, version=version, authors="")))
    assert "authors:             2 created" in out
    assert "unknown author" not in out
    assert [a.name for a in Article.objects.get(headline="One").authors.all()] == ["alice"]
    assert [a.name for a in Article.objects.get(headline="Two").authors.all()] == ["bob"]
    page = client.get(Article.objects.get(headline="Two").get_absolute_url())
    assert "bob" in page.text
    out, _err = run(write(export(*items, version=version, authors="")))
    assert "authors:             2 unchanged" in out


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("domain", ["tag", "post_tag"])
def test_tags_in_either_domain_are_tags(write, version, domain):
    run(write(export(post(tags=("floods", "rain"), tag_domain=domain), version=version)))
    assert sorted(t.name for t in Article.objects.get().tags.all()) == ["floods", "rain"]


@pytest.mark.parametrize("version", VERSIONS)
def test_categories_without_a_domain_are_read_as_categories(write, version):
    item = post(categories=()).replace("</item>", "<category><![CDATA[Weather]]></category></item>")
    run(write(export(item, version=version)))
    assert Article.objects.get().section.name == "Weather"


@pytest.mark.parametrize("version", VERSIONS)
def test_two_categories_of_one_name_stay_two_sections(write, version, client):
    header = (
        author()
        + category("bar", "Bar")
        + category("foo", "Foo")
        + category("foo-bar", "Foo", parent="bar")
    )
    items = (
        post(1, "Top", categories=(("foo", "Foo"),)),
        post(2, "Child", categories=(("foo-bar", "Foo"),)),
    )
    path = write(export(*items, version=version, authors=header))
    run(path)
    top = Article.objects.get(headline="Top").section
    child = Article.objects.get(headline="Child").section
    assert (top.slug, top.name) == ("foo", "Foo")
    assert (child.slug, child.name) == ("foo-bar", "Foo (Bar)")
    assert client.get(child.get_absolute_url()).status_code == 200
    out, _err = run(path)
    assert "sections created:    0" in out
    assert Section.objects.count() == 2
