"""Stored "More from" suggestions: ranked when stories change, read (never ranked) by the page."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Status
from articles.models.suggestions import StoredSuggestion, refresh_suggestions

pytestmark = pytest.mark.django_db


def related_titles(client, story):
    return [item.title for item in client.get(story.get_absolute_url()).context["related"]]


def test_the_page_never_ranks(client, article_factory):
    story = article_factory("Subject", tags=["Harbour"])
    article_factory("Sharer", tags=["Harbour"])
    with CaptureQueriesContext(connection) as ctx:
        assert related_titles(client, story)[0] == "Sharer"
    # The ranking's tag-weight query counts the tag rows; the page reads stored rows.
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "COUNT(" not in sql
    assert "articles_storedsuggestion" in sql


def test_a_new_story_joins_its_neighbours_suggestions(article_factory):
    old = article_factory("Old", tags=["Rare"])
    assert not StoredSuggestion.objects.filter(article=old).exists()
    new = article_factory("New", tags=["Rare"])
    assert list(StoredSuggestion.objects.filter(article=old).values_list("target", flat=True)) == [
        new.pk
    ]


def test_a_retracted_story_never_shows_even_before_the_refresh(client, article_factory):
    story = article_factory("Subject", tags=["Rain"])
    gone = article_factory("Retracted later", tags=["Rain"])
    article_factory("Still public", tags=["Rain"])
    # A bulk update sends no signal: the stored rows still name the story.
    Article.objects.filter(pk=gone.pk).update(status=Status.RETRACTED, retraction_reason="Wrong.")
    assert StoredSuggestion.objects.filter(article=story, target=gone).exists()
    titles = related_titles(client, story)
    assert "Retracted later" not in titles and "Still public" in titles


def test_a_change_ranks_again_the_stories_naming_it(article_factory):
    story = article_factory("Subject", tags=["Rain"])
    gone = article_factory("Retracted", tags=["Rain"])
    Article.objects.filter(pk=gone.pk).update(status=Status.RETRACTED, retraction_reason="Wrong.")
    refresh_suggestions([gone.pk])
    assert not StoredSuggestion.objects.filter(article=story, target=gone).exists()


def test_editor_links_are_not_stored_and_come_first(client, article_factory, related_link_factory):
    story = article_factory("Subject", tags=["Rain"])
    linked = article_factory("Linked", tags=["Rain"])
    article_factory("Suggested", tags=["Rain"], hours_ago=3)
    related_link_factory(story, target=linked)
    refresh_suggestions([story.pk])
    assert not StoredSuggestion.objects.filter(article=story, target=linked).exists()
    assert related_titles(client, story)[:2] == ["Linked", "Suggested"]


def test_saving_a_story_or_its_tags_queues_the_refresh(
    article_factory, django_capture_on_commit_callbacks
):
    story = article_factory("Subject")
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
        story.tags.add("Snow")
    queued = DBTaskResult.objects.all()[before:]
    assert {tuple(task.args_kwargs["args"][0]) for task in queued} == {(story.pk,)}
    assert all(task.task_path.endswith("refresh_story_suggestions") for task in queued)


def test_the_command_ranks_every_story(article_factory):
    a = article_factory("A", tags=["Fog"])
    b = article_factory("B", tags=["Fog"])
    StoredSuggestion.objects.all().delete()
    call_command("refresh_suggestions", verbosity=0)
    assert StoredSuggestion.objects.filter(article=a, target=b).exists()
    assert StoredSuggestion.objects.filter(article=b, target=a).exists()


def test_pages_ask_storage_for_one_url_per_photo(
    client, article_factory, image_factory, monkeypatch
):
    from django.core.files.storage import FileSystemStorage
    from django.urls import reverse

    stories = [article_factory(lead_image=image_factory(renditions=True)) for _ in range(5)]
    calls = []
    real = FileSystemStorage.url
    monkeypatch.setattr(
        FileSystemStorage, "url", lambda self, name: calls.append(name) or real(self, name)
    )
    for url in (
        reverse("articles:feed_rss"),
        reverse("articles:home"),
        stories[0].get_absolute_url(),
    ):
        calls.clear()
        assert client.get(url).status_code == 200
        renditions = [name for name in calls if name.startswith("renditions/")]
        # Each photo shown: one call (its renditions folder), not one per crop or width.
        assert 0 < len(renditions) <= len(stories), (url, renditions)


def test_the_section_navigation_is_public_sections_with_fresh_times(article_factory):
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Section
    from articles.templatetags.articles_tags import sections

    shown = article_factory().section
    soon = article_factory(published_at=timezone.now() + timedelta(hours=1)).section
    article_factory(published=False)
    assert sections() == list(Section.objects.public()) == [shown]
    later = timezone.now() + timedelta(hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert sections() == list(Section.objects.public()) == sorted([shown, soon], key=str)
