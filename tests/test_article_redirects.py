"""A story readers have seen keeps answering at its old address after its slug changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect, Revision
from articles.revisions import restore
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db


def story_url(slug: str) -> str:
    return reverse("articles:article", kwargs={"slug": slug})


def rename(story: Article, slug: str) -> Article:
    story = Article.objects.get(pk=story.pk)
    story.slug = slug
    story.full_clean()
    story.save()
    return story


def test_a_public_storys_old_address_answers_301(client, article_factory):
    story = article_factory(slug="first-slug")
    rename(story, "second-slug")
    response = client.get(story_url("first-slug") + "?utm_source=feed")
    assert response.status_code == 301
    assert response["Location"] == story_url("second-slug") + "?utm_source=feed"
    assert client.get(story_url("second-slug")).status_code == 200


def test_chains_collapse_to_the_current_address(client, article_factory):
    story = article_factory(slug="a-slug")
    rename(story, "b-slug")
    rename(story, "c-slug")
    for old in ("a-slug", "b-slug"):
        response = client.get(story_url(old))
        assert (response.status_code, response["Location"]) == (301, story_url("c-slug"))


def test_going_back_to_an_old_slug_serves_the_story_there(client, article_factory):
    story = article_factory(slug="a-slug")
    rename(story, "b-slug")
    rename(story, "a-slug")
    assert client.get(story_url("a-slug")).status_code == 200
    assert client.get(story_url("b-slug"))["Location"] == story_url("a-slug")
    assert not ArticleRedirect.objects.filter(old_slug="a-slug").exists()


def test_a_never_public_story_leaves_no_redirect(client, article_factory):
    draft = article_factory(slug="working-title", published=False)
    draft = rename(draft, "final-title")
    scheduled = article_factory(slug="embargo-draft", hours_ago=-3)
    rename(scheduled, "embargo-final")
    draft.publish()
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(story_url("working-title")).status_code == 404
    assert client.get(story_url("embargo-draft")).status_code == 404
    assert not ArticleRedirect.objects.exists()


def test_the_redirect_never_names_a_story_that_is_not_public_now(client, article_factory):
    story = article_factory(slug="old-name")
    rename(story, "new-secret-name")
    story.retract("Legal reasons.")
    response = client.get(story_url("old-name"))
    assert response.status_code == 404
    assert "new-secret-name" not in response.content.decode()
    assert "new-secret-name" not in response.get("Location", "")
    api = client.get(reverse("articles:api_detail", kwargs={"slug": "old-name"}))
    assert api.status_code == 404


def test_a_retracted_story_renamed_then_republished_answers_at_both(client, article_factory):
    story = article_factory(slug="before")
    story.retract("Checking facts.")
    story = rename(story, "after")
    story.publish()
    assert client.get(story_url("before"))["Location"] == story_url("after")


def test_the_api_follows_the_story_too(client, article_factory):
    story = article_factory(slug="api-old")
    rename(story, "api-new")
    response = client.get(reverse("articles:api_detail", kwargs={"slug": "api-old"}))
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:api_detail", kwargs={"slug": "api-new"})


def test_a_slug_changed_in_the_admin_redirects(client, desk_editor_client, article_factory):
    story = article_factory(slug="admin-old")
    url = reverse("admin:articles_article_change", args=[story.pk])
    page = desk_editor_client.get(url)
    assert desk_editor_client.post(url, change_form_data(page, slug="admin-new")).status_code == 302
    assert client.get(story_url("admin-old"))["Location"] == story_url("admin-new")


def test_restoring_an_older_slug_redirects_the_newer_one(
    client, desk_editor_client, article_factory
):
    story = article_factory(slug="restored-slug")
    url = reverse("admin:articles_article_change", args=[story.pk])
    page = desk_editor_client.get(url)
    desk_editor_client.post(url, change_form_data(page, slug="edited-slug"))
    restore(Revision.objects.order_by("pk").first())
    assert client.get(story_url("restored-slug")).status_code == 200
    assert client.get(story_url("edited-slug"))["Location"] == story_url("restored-slug")


def test_another_story_taking_the_old_slug_wins_once_public(client, article_factory):
    first = article_factory(slug="shared-slug")
    rename(first, "first-moved")
    second = article_factory(slug="shared-slug", published=False)
    assert client.get(story_url("shared-slug"))["Location"] == story_url("first-moved")
    second.publish()
    assert client.get(story_url("shared-slug")).status_code == 200


def test_the_page_cache_serves_the_redirect_after_a_slug_change(
    client, article_factory, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = article_factory(slug="cached-old")
    assert client.get(story_url("cached-old")).status_code == 200
    assert client.get(story_url("cached-old"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        rename(story, "cached-new")
    response = client.get(story_url("cached-old"))
    assert (response.status_code, response["Location"]) == (301, story_url("cached-new"))


def test_a_slug_change_purges_the_old_address(article_factory, django_capture_on_commit_callbacks):
    from articles.signals import pages_changed

    announced = []

    def receiver(sender, paths, **kwargs):
        announced.extend(paths)

    pages_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            story = article_factory(slug="purge-old")
        announced.clear()
        with django_capture_on_commit_callbacks(execute=True):
            rename(story, "purge-new")
    finally:
        pages_changed.disconnect(receiver)
    assert story_url("purge-old") in announced and story_url("purge-new") in announced


@pytest.mark.parametrize("route", ["section", "author"])
def test_a_renamed_section_or_author_answers_301_at_its_old_address(
    client, article_factory, section_factory, author_factory, route
):
    section, author = section_factory("Politics"), author_factory("Ann Lee")
    story = article_factory(section=section, authors=[author])
    subject = {"section": section, "author": author}[route]
    old_url = subject.get_absolute_url()
    subject.slug = "renamed"
    subject.save()
    response = client.get(old_url + "?page=1")
    assert response.status_code == 301
    assert response["Location"] == subject.get_absolute_url() + "?page=1"

    story.retract("Wrong.")  # the subject has no public story: no page, no redirect
    response = client.get(old_url)
    assert response.status_code == 404 and "renamed" not in response.get("Location", "")


def test_a_section_renamed_back_serves_its_page_there(client, article_factory, section_factory):
    section = section_factory("World", slug="world")
    article_factory(section=section)
    section.slug = "planet"
    section.save()
    section.slug = "world"
    section.save()
    assert client.get("/news/section/world/").status_code == 200
    assert client.get("/news/section/planet/")["Location"] == "/news/section/world/"
