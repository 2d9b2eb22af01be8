"""One way of showing a time on the editors' screens: ``desk_time`` in the newsroom's zone."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from articles import previews, revisions
from articles.models import (
    AuditAction,
    AuditEvent,
    Image,
    PreviewLink,
    Revision,
    Tag,
    TagMerge,
    TagRedirect,
    WordPressOrigin,
)
from articles.times import desk_time

WINTER = datetime(2026, 12, 1, 21, 21, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 8, 5, tzinfo=UTC)


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_desk_time_is_day_month_year_time_and_zone():
    assert desk_time(WINTER) == "1 Dec 2026, 21:21 GMT"
    assert desk_time(SUMMER) == "1 Jul 2026, 09:05 BST"


@override_settings(ARTICLES_TIME_ZONE="Asia/Tokyo")
def test_desk_time_follows_the_newsroom_zone_not_the_active_one():
    with translation.override("en"), override_settings(TIME_ZONE="America/New_York"):
        assert desk_time(WINTER) == "2 Dec 2026, 06:21 JST"


def test_desk_time_of_nothing_is_empty():
    assert desk_time(None) == ""


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_article_list_shows_publication_time_in_the_desk_format(
    desk_editor_client, article_factory
):
    article_factory("Winter story", published_at=WINTER)
    page = desk_editor_client.get(reverse("admin:articles_article_changelist"))
    assert "1 Dec 2026, 21:21 GMT" in page.content.decode()


def at_winter(model, obj, field):
    """Set an automatic time (``auto_now_add``) to ``WINTER``, behind the model's back."""
    model.objects.filter(pk=obj.pk).update(**{field: WINTER})


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_photo_list_and_photo_page_show_the_upload_time_in_the_desk_format(
    editor_client, image_factory
):
    photo = image_factory()
    at_winter(Image, photo, "uploaded_at")
    listing = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "1 Dec 2026, 21:21 GMT" in listing
    page = editor_client.get(reverse("admin:articles_image_change", args=[photo.pk]))
    assert "1 Dec 2026, 21:21 GMT" in page.content.decode()


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_audit_log_tag_merges_and_wordpress_origins_list_times_in_the_desk_format(
    editor_client, article_factory
):
    article = article_factory("Audited")
    event = AuditEvent.log(article, AuditAction.RETRACT, detail="Wrong.")
    at_winter(AuditEvent, event, "at")
    merge = TagMerge.objects.create(kept_name="Kept", merged_names=["Gone"])
    at_winter(TagMerge, merge, "merged_at")
    origin = WordPressOrigin.objects.create(
        site="example.com", kind="post", key="7", article=article
    )
    at_winter(WordPressOrigin, origin, "imported_at")
    for model in ("auditevent", "tagmerge", "wordpressorigin"):
        page = editor_client.get(reverse(f"admin:articles_{model}_changelist"))
        assert page.status_code == 200
        assert "1 Dec 2026, 21:21 GMT" in page.content.decode(), model


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_story_page_revisions_history_and_preview_links_show_the_desk_format(
    desk_editor_client, desk_editor, article_factory
):
    article = article_factory("Shared", published=False)
    revision = revisions.record(article, desk_editor)
    at_winter(Revision, revision, "created_at")
    event = AuditEvent.log(article, AuditAction.SUBMIT, by=desk_editor)
    at_winter(AuditEvent, event, "at")
    link = previews.create_link(article, desk_editor)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=SUMMER)
    change = reverse("admin:articles_article_change", args=[article.pk])
    page = desk_editor_client.get(change).content.decode()
    assert page.count("1 Dec 2026, 21:21 GMT") == 2  # the revision and the history line
    shared = desk_editor_client.get(reverse("admin:articles_article_share", args=[article.pk]))
    assert "1 Jul 2026, 09:05 BST" in shared.content.decode()
    compare = desk_editor_client.get(
        reverse("admin:articles_article_revision_diff", args=[article.pk])
    )
    assert "1 Dec 2026, 21:21 GMT" in compare.content.decode()


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_tag_page_shows_old_addresses_with_the_desk_format(editor_client):
    tag = Tag.objects.create(name="Floods", slug="floods")
    redirect = TagRedirect.objects.create(old_slug="flooding", tag=tag)
    at_winter(TagRedirect, redirect, "created_at")
    page = editor_client.get(reverse("admin:articles_tag_change", args=[tag.pk]))
    assert "1 Dec 2026, 21:21 GMT" in page.content.decode()


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_a_storys_change_history_shows_the_desk_format(editor_client, editor, article_factory):
    article = article_factory("With a history")
    entry = LogEntry.objects.log_actions(editor.pk, [article], CHANGE, change_message="Edited")[0]
    LogEntry.objects.filter(pk=entry.pk).update(action_time=WINTER)
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "1 Dec 2026, 21:21 GMT" in page.content.decode()
