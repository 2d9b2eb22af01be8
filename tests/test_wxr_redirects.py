"""Old WordPress addresses answer 301: pages imported as stories, old slugs, attachment pages."""

from __future__ import annotations

import pytest
from django.test import override_settings

from articles.models import Article
from tests.wxr_exports import VERSIONS, attachment, export, post, run

pytestmark = pytest.mark.django_db


def page(post_id=50, title="About us", name="about", link="https://example.com/about/"):
    return post(post_id, title, name=name, link=link, post_type="page", categories=())


@pytest.mark.parametrize("version", VERSIONS)
def test_pages_become_stories_of_their_own_section_and_keep_their_address(write, version, client):
    path = write(export(post(), page(), version=version))
    with override_settings(ARTICLES_WXR_PAGES_SECTION="Pages"):
        out, _err = run(path)
        rerun, _err = run(path)
    about = Article.objects.get(headline="About us")
    assert about.section.name == "Pages"
    assert Article.objects.get(headline="Hello").section.name == "News"
    assert "articles:            2 created" in out and "Nothing changed" in rerun
    response = client.get("/about/")
    assert response.status_code == 301
    assert response["Location"] == about.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_without_the_setting_pages_are_left_out_and_counted(write, version):
    out, _err = run(write(export(post(), page(), version=version)))
    assert list(Article.objects.values_list("headline", flat=True)) == ["Hello"]
    assert "left out:            1 page" in out


@pytest.mark.parametrize("version", VERSIONS)
def test_old_slug_answers_301_to_the_story(write, version, client):
    item = post(1, "Renamed", name="new-name", meta={"_wp_old_slug": "old-name"})
    path = write(export(item, version=version))
    run(path)
    story = Article.objects.get()
    for old in ("/2024/03/01/old-name/", "/2024/03/01/new-name/"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == story.get_absolute_url()
    out, _err = run(path)
    assert "Nothing changed" in out


@pytest.mark.parametrize("version", VERSIONS)
def test_attachment_page_answers_301_to_its_story(write, version, client):
    photo = attachment(10).replace(
        "<wp:post_type>", "<wp:post_parent>1</wp:post_parent><wp:post_type>"
    )
    photo = photo.replace(
        "https://example.com/2024/03/01/post-10/", "https://example.com/2024/03/01/post-1/photo/"
    )
    run(write(export(post(1, "With a photo"), photo, version=version)))
    response = client.get("/2024/03/01/post-1/photo/")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get().get_absolute_url()
