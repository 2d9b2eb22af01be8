"""Tag and byline rows keep their story's publishing fields, whichever path writes them."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.importers.wxr import import_wxr
from articles.models import Article, ArticleAuthor, Status, Tag, TaggedArticle
from articles.models.copies import COPIED_FIELDS, sync_join_rows
from articles.revisions import record, restore
from tests.conftest import change_form_data
from tests.test_admin import article_data
from tests.wxr_exports import REAL_EXPORT

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def drift() -> list:
    """Return the join rows whose copies differ from their story, and how many rows there are."""
    wrong, total = [], 0
    for model in (TaggedArticle, ArticleAuthor):
        field = model.article_field
        for row in model.objects.select_related(field):
            article = getattr(row, field)
            copied = tuple(getattr(row, name) for name in COPIED_FIELDS)
            actual = tuple(getattr(article, name) for name in COPIED_FIELDS)
            total += 1
            if copied != actual:
                wrong.append((model.__name__, article.headline, copied, actual))
    assert total, "no join rows to compare"
    return wrong


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def story(article_factory, author_factory):
    return article_factory("Tracked", published=False, tags=["Rain"], authors=[author_factory()])


def test_new_join_rows_copy_a_draft(story):
    row = TaggedArticle.objects.get(content_object=story)
    assert (row.status, row.published_at, row.expire_at) == (Status.DRAFT, None, None)
    assert drift() == []


@pytest.mark.parametrize("hours", [-1, 5])
def test_publishing_and_scheduling_update_the_copies(story, editor, hours):
    story.publish(by=editor, at=timezone.now() + timedelta(hours=hours))
    assert TaggedArticle.objects.get(content_object=story).status == Status.PUBLISHED
    assert drift() == []


def test_retracting_and_unpublishing_update_the_copies(story, editor):
    story.publish(by=editor)
    story.retract("Wrong", by=editor)
    assert ArticleAuthor.objects.get(article=story).status == Status.RETRACTED
    assert drift() == []
    story.return_to_draft(by=editor)
    assert drift() == []


def test_admin_publish_action_updates_the_copies(editor_client, story):
    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    assert TaggedArticle.objects.get(content_object=story).status == Status.PUBLISHED
    assert drift() == []


def test_admin_story_with_byline_and_expiry_copies_them(
    editor_client, section_factory, author_factory
):
    data = article_data(
        section_factory(),
        bylines=[{"author": author_factory().pk, "position": 0}],
        _action="publish",
        expire_at_0="2030-01-02",
        expire_at_1="10:00:00",
    )
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    story = Article.objects.get()
    assert story.bylines.get().expire_at == story.expire_at is not None
    assert drift() == []
    page = editor_client.get(change_url(story))
    edited = change_form_data(page, expire_at_0="2029-05-06")
    assert editor_client.post(change_url(story), edited).status_code == 302
    assert story.tagged_items.first().expire_at.year == 2029
    assert drift() == []


def test_tag_add_set_and_admin_action_copy_the_story(story, article_factory, editor_client):
    story.tags.add("Wind")
    story.tags.set(["Snow", "Wind"])
    other = article_factory(published=False, status=Status.REVIEW)
    editor_client.post(
        CHANGELIST,
        {"action": "add_tags", "tags": "Hail", "_selected_action": [story.pk, other.pk]},
    )
    assert TaggedArticle.objects.filter(content_object=other).get().status == Status.REVIEW
    assert drift() == []


def test_tag_merge_copies_the_moved_stories(article_factory):
    article_factory(tags=["Storm"], published=False)
    article_factory(tags=["Storms"], hours_ago=3)  # its row moves: a published story
    kept = Tag.objects.get(name="Storm")
    Tag.objects.filter(name__startswith="Storm").merge_into(kept)
    assert TaggedArticle.objects.filter(tag=kept).count() == 2
    assert drift() == []


def test_revision_restore_copies_the_restored_bylines(story, author_factory, editor):
    revision = record(story, editor)
    story.bylines.all().delete()
    story.tags.clear()
    story.publish(by=editor)
    restore(revision, editor)
    assert story.bylines.count() == 1 and story.tags.count() == 1
    assert drift() == []


def test_wxr_import_copies_drafts_scheduled_and_published():
    import_wxr(REAL_EXPORT)
    statuses = set(TaggedArticle.objects.values_list("status", flat=True))
    assert Status.PUBLISHED in statuses
    assert drift() == []


def test_demo_load_copies_the_stories():
    load_demo = pytest.importorskip(
        "newsroom.management.commands.load_demo", reason="load_demo is the demo site's"
    )
    call_command(load_demo.Command(), stdout=StringIO())
    assert drift() == []


def test_seed_bench_fills_the_copies():
    seed_bench = pytest.importorskip(
        "newsroom.management.commands.seed_bench", reason="seed_bench is the demo site's"
    )
    call_command(seed_bench.Command(), articles=40, stdout=StringIO())
    assert drift() == []


def test_sync_join_rows_repairs_copies_after_a_bulk_update(story):
    Article.objects.filter(pk=story.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    assert drift() != []
    sync_join_rows([story.pk])
    assert drift() == []


def test_saving_other_fields_leaves_the_rows_alone(story):
    story.refresh_from_db()
    story.headline = "Renamed"
    story.save(update_fields=["headline", "updated_at", "version"])
    assert drift() == []


# -- the lists read from the copies list exactly the public stories ---------------------


@pytest.fixture
def mixed(article_factory, author_factory):
    """A tag and an author on public, draft, review, scheduled, expired and retracted stories."""
    author = author_factory()
    now = timezone.now()
    same_time = now - timedelta(hours=2)

    def make(**fields):
        return article_factory(tags=["Mixed"], authors=[author], **fields)

    for hours in (1, 3, 30):
        make(hours_ago=hours)
    make(published_at=same_time)
    make(published_at=same_time)  # the same time: the newer pk comes first
    make(published=False)
    make(published=False, status=Status.REVIEW)
    make(published_at=now + timedelta(hours=1), status=Status.PUBLISHED)
    make(published_at=now - timedelta(days=2), expire_at=now - timedelta(minutes=1))
    make(published_at=now - timedelta(days=2), expire_at=now + timedelta(days=1))
    make(status=Status.RETRACTED, retraction_reason="Legal")
    article_factory(tags=["Other"])
    return Tag.objects.get(name="Mixed"), author


def test_tagged_with_lists_exactly_the_public_stories_in_order(mixed):
    tag, _author = mixed
    expected = list(Article.objects.published().filter(tagged_items__tag=tag))
    assert len(expected) == 6
    assert list(Article.objects.published().tagged_with(tag)) == expected


def test_by_author_lists_exactly_the_public_stories_in_order(mixed):
    _tag, author = mixed
    expected = list(Article.objects.published().filter(bylines__author=author))
    assert list(Article.objects.published().by_author(author)) == expected


@pytest.mark.parametrize("page", ["tag", "author"])
def test_subject_pages_show_exactly_the_public_stories(client, settings, mixed, page):
    settings.ARTICLES_PAGE_SIZE = 4
    tag, author = mixed
    subject = tag if page == "tag" else author
    related = {"tag": "tagged_items__tag", "author": "bylines__author"}[page]
    expected = list(Article.objects.published().filter(**{related: subject}))
    shown = []
    for number in (1, 2):
        response = client.get(subject.get_absolute_url(), {"page": number})
        shown += list(response.context["articles"])
    assert shown == expected


@pytest.mark.parametrize("page", ["tag", "author", "tag_rss", "author_rss"])
def test_a_stale_copy_never_lists_a_story_readers_may_not_see(client, mixed, page):
    """The lists apply the rule to the story as well as to its join row's copy."""
    tag, author = mixed
    subject = tag if page.startswith("tag") else author
    newest = Article.objects.published().tagged_with(tag).first()
    # A write that bypasses the models (and sync_join_rows): the copies stay "published".
    Article.objects.filter(pk=newest.pk).update(status=Status.DRAFT)
    assert TaggedArticle.objects.filter(content_object=newest, status=Status.PUBLISHED).exists()
    response = client.get(reverse(f"articles:{page}", args=[subject.slug]))
    assert response.status_code == 200
    assert newest.headline not in response.content.decode()
