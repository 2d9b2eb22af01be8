"""Roles and states: who may move a story where, by every route, and what it records."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditAction, AuditEvent, Status
from articles.signals import article_published, article_unpublished
from tests.conftest import change_form_data
from tests.test_admin import article_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_migration_creates_the_two_roles_with_their_powers():
    reporter = set(
        Group.objects.get(name="Newsroom reporters").permissions.values_list("codename", flat=True)
    )
    editor = set(
        Group.objects.get(name="Newsroom editors").permissions.values_list("codename", flat=True)
    )
    assert {"add_article", "change_article", "view_article"} <= reporter
    assert "publish_article" not in reporter and "delete_article" not in reporter
    assert {"publish_article", "change_article", "delete_article", "view_auditevent"} <= editor


def test_reporter_creates_a_draft_they_own(reporter_client, reporter, section_factory):
    response = reporter_client.post(ADD_URL, article_data(section_factory()))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Status.DRAFT, reporter)


def test_reporter_publishing_through_the_change_form_is_refused(
    reporter_client, reporter, article_factory
):
    draft = article_factory("Mine", published=False, created_by=reporter)
    page = reporter_client.get(change_url(draft))
    # The page offers no such button; a forged POST of one is a form error.
    assert 'value="publish"' not in page.content.decode()
    response = reporter_client.post(
        change_url(draft), change_form_data(page, _action="publish", headline="Kept?")
    )
    assert response.status_code == 200
    assert "only editors publish" in str(response.context["adminform"].form.non_field_errors())
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None
    assert not AuditEvent.objects.exists()


def test_reporter_cannot_create_a_published_story(reporter_client, section_factory):
    for action in ("publish", "schedule", "retract"):
        data = article_data(
            section_factory(),
            _action=action,
            published_at_0="2030-01-01",
            published_at_1="09:00",
        )
        response = reporter_client.post(ADD_URL, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.non_field_errors()
    assert not Article.objects.exists()


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_reporter_posting_an_editor_action_changes_nothing(
    reporter_client, reporter, article_factory, action
):
    mine = article_factory("Mine", published=False, created_by=reporter)
    public = article_factory("Public")
    response = reporter_client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [mine.pk, public.pk],
            "confirm": "yes",
            "reason": "x",
        },
        follow=True,
    )
    assert "No action selected" in response.content.decode()
    assert Article.objects.get(pk=mine.pk).status == Status.DRAFT
    assert Article.objects.get(pk=public.pk).status == Status.PUBLISHED


def test_reporter_sees_only_the_actions_and_statuses_they_may_use(
    reporter_client, reporter, article_factory
):
    draft = article_factory("Mine", published=False, created_by=reporter)
    actions = [value for value, _ in reporter_client.get(CHANGELIST).context["action_form"]
               .fields["action"].choices]  # fmt: skip
    assert "submit_for_review" in actions
    assert "publish_now" not in actions and "unpublish" not in actions
    page = reporter_client.get(change_url(draft))
    form = page.context["adminform"].form
    buttons = [(b["value"], str(b["label"])) for b in page.context["workflow_buttons"]]
    assert buttons == [("save", "Save draft"), ("submit", "Submit for review")]
    assert not page.context["can_schedule"] and not page.context["can_retract"]
    assert "status" not in form.fields
    assert "published_at" not in form.fields and "expire_at" not in form.fields


def test_reporter_cannot_edit_published_or_other_peoples_stories(
    reporter_client, reporter, article_factory
):
    published = article_factory("Published", created_by=reporter)
    theirs = article_factory("Theirs", published=False)
    for story in (published, theirs):
        page = reporter_client.get(change_url(story))
        assert page.status_code == 200 and not page.context["has_change_permission"]
        data = article_data(story.section, headline="Hijacked", _action="save")
        assert reporter_client.post(change_url(story), data).status_code == 403
        story.refresh_from_db()
        assert story.headline != "Hijacked"


def test_reporter_may_edit_a_draft_with_their_byline(
    reporter_client, reporter, article_factory, author_factory
):
    draft = article_factory("Shared", published=False, authors=[author_factory(user=reporter)])
    page = reporter_client.get(change_url(draft))
    response = reporter_client.post(change_url(draft), change_form_data(page, headline="Better"))
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "Better"


def test_reporter_submits_a_draft_for_review(reporter_client, reporter, article_factory):
    draft = article_factory("Mine", published=False, created_by=reporter)
    reporter_client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.article) == (AuditAction.SUBMIT, reporter, draft)


def test_model_methods_refuse_a_reporter(reporter, article_factory):
    draft = article_factory("Mine", published=False, created_by=reporter)
    for attempt in (lambda: draft.publish(by=reporter), lambda: draft.retract("x", by=reporter)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


@override_settings(ARTICLES_TIME_ZONE="Asia/Tokyo")
def test_editor_schedules_in_the_newsroom_zone_and_it_is_stored_in_utc(
    desk_editor_client, desk_editor, article_factory
):
    draft = article_factory("Embargoed", published=False)
    page = desk_editor_client.get(change_url(draft))
    assert "Publication time (Asia/Tokyo)" in page.content.decode()
    data = change_form_data(
        page, _action="schedule", published_at_0="2030-01-02", published_at_1="09:00"
    )
    response = desk_editor_client.post(change_url(draft), data, follow=True)
    assert "Scheduled for 2 Jan 2030, 09:00 JST." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at == datetime(2030, 1, 2, 0, 0, tzinfo=UTC)
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.SCHEDULE and event.user == desk_editor
    assert event.detail == "2 Jan 2030, 09:00 JST"
    changelist = desk_editor_client.get(CHANGELIST).content.decode()
    assert "2 Jan 2030, 09:00 JST" in changelist


def test_saving_a_published_story_unchanged_keeps_its_time_and_logs_nothing(
    desk_editor_client, article_factory
):
    story = article_factory("Steady")
    page = desk_editor_client.get(change_url(story))
    assert desk_editor_client.post(change_url(story), change_form_data(page)).status_code == 302
    assert Article.objects.get(pk=story.pk).published_at == story.published_at
    assert not AuditEvent.objects.exists()


def test_retracting_needs_a_reason(desk_editor_client, article_factory):
    story = article_factory("Wrong")
    page = desk_editor_client.get(change_url(story))
    response = desk_editor_client.post(
        change_url(story), change_form_data(page, _action="retract", headline="Edited")
    )
    assert "retraction_reason" in response.context["adminform"].form.errors
    assert response.context["adminform"].form["headline"].value() == "Edited"  # nothing lost
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED
    response = desk_editor_client.post(
        change_url(story),
        change_form_data(page, _action="retract", retraction_reason="Not true."),
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get().detail == "Not true."


def test_database_refuses_a_retraction_without_reason(article_factory):
    story = article_factory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=story.pk).update(status=Status.RETRACTED)


def test_retract_action_asks_for_a_reason_then_retracts_everywhere(
    desk_editor_client, article_factory, client
):
    story = article_factory("To retract", tags=["Gone"])
    picked = {"action": "unpublish", "_selected_action": [story.pk]}
    confirm = desk_editor_client.post(CHANGELIST, picked)
    assert confirm.status_code == 200
    assert "articles/admin/retract_confirmation.html" in [t.name for t in confirm.templates]
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED
    desk_editor_client.post(CHANGELIST, {**picked, "confirm": "yes", "reason": "Legal"})
    story.refresh_from_db()
    assert (story.status, story.retraction_reason) == (Status.RETRACTED, "Legal")
    for url in (story.get_absolute_url(), reverse("articles:home"), "/news/tag/gone/"):
        assert "To retract" not in client.get(url).content.decode()


def test_publish_action_publishes_and_logs(desk_editor_client, desk_editor, article_factory):
    draft = article_factory("Ready", published=False, status=Status.REVIEW)
    desk_editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert Article.objects.published().filter(pk=draft.pk).exists()
    assert AuditEvent.objects.get().action == AuditAction.PUBLISH


def test_signals_announce_publishing_and_retraction(
    desk_editor, article_factory, django_capture_on_commit_callbacks
):
    story = article_factory("Signalled", published=False)
    received = []

    def on_published(sender, article, user, scheduled, **kwargs):
        received.append(("published", article.pk, user, scheduled))

    def on_unpublished(sender, article, user, reason, **kwargs):
        received.append(("unpublished", article.pk, user, reason))

    article_published.connect(on_published)
    article_unpublished.connect(on_unpublished)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            story.publish(by=desk_editor, at=timezone.now() + timedelta(days=1))
        with django_capture_on_commit_callbacks(execute=True):
            story.retract("Wrong", by=desk_editor)
    finally:
        article_published.disconnect(on_published)
        article_unpublished.disconnect(on_unpublished)
    assert received == [
        ("published", story.pk, desk_editor, True),
        ("unpublished", story.pk, desk_editor, "Wrong"),
    ]


def test_expired_story_leaves_the_public_site(client, article_factory):
    story = article_factory(
        "Short-lived",
        published_at=timezone.now() - timedelta(days=1),
        expire_at=timezone.now() - timedelta(minutes=1),
    )
    assert client.get(story.get_absolute_url()).status_code == 404
    assert list(Article.objects.expired()) == [story]


def test_audit_log_is_visible_to_editors_only(
    desk_editor_client, reporter_client, desk_editor, article_factory
):
    article_factory("Logged", published=False).publish(by=desk_editor)
    url = reverse("admin:articles_auditevent_changelist")
    html = desk_editor_client.get(url).content.decode()
    assert "Logged" in html and "published" in html
    assert reporter_client.get(url).status_code == 403


def test_reporter_bulk_actions_touch_only_their_own_drafts(
    reporter_client, reporter, article_factory
):
    mine = article_factory("Mine", published=False, created_by=reporter)
    published = article_factory("Published", created_by=reporter)
    theirs = article_factory("Theirs", published=False)
    reporter_client.post(
        CHANGELIST,
        {
            "action": "add_tags",
            "tags": "Sneaky",
            "_selected_action": [mine.pk, published.pk, theirs.pk],
        },
    )
    tagged = Article.objects.filter(tags__name="Sneaky")
    assert list(tagged) == [mine]


def test_return_to_draft_takes_a_scheduled_story_back_and_tells_the_hooks(
    desk_editor, article_factory, django_capture_on_commit_callbacks
):
    story = article_factory("Soon", published_at=timezone.now() + timedelta(days=1))
    version = story.version
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    article_unpublished.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            story.return_to_draft(by=desk_editor)
    finally:
        article_unpublished.disconnect(receiver)
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.version == version + 1
    assert story.audit_events.get().action == AuditAction.RETURN
    assert [kw["article"] for kw in received] == [story]


def test_queryset_publishes_and_retracts_in_bulk(desk_editor, article_factory):
    drafts = [article_factory(f"Draft {i}", published=False) for i in range(2)]
    already = article_factory("Already public")
    batch = Article.objects.filter(pk__in=[*[d.pk for d in drafts], already.pk])
    assert sorted(story.pk for story in batch.publish(by=desk_editor)) == [d.pk for d in drafts]
    assert Article.objects.published().count() == 3
    assert len(batch.retract("Duplicate coverage", by=desk_editor)) == 3
    assert not Article.objects.published().exists()
    assert AuditEvent.objects.filter(action=AuditAction.RETRACT).count() == 3
