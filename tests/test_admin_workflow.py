"""The change form's workflow buttons, the computed state in the list, header and preview,
and the restore and compare screens."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditAction, AuditEvent, Revision, Status
from tests.conftest import change_form_data
from tests.test_admin import article_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def press(client, article, action, **changes):
    """Open the story's change form and press the workflow button ``action``."""
    page = client.get(change_url(article))
    return client.post(change_url(article), change_form_data(page, _action=action, **changes))


def success_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_save_draft_on_a_new_story_stays_on_the_form(desk_editor_client, section_factory):
    response = desk_editor_client.post(ADD_URL, article_data(section_factory(), _action="save"))
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == change_url(article)
    assert success_messages(response) == ["Draft saved."]
    assert article.status == Status.DRAFT and article.published_at is None
    assert Revision.objects.filter(article=article).count() == 1


def test_reporter_submits_for_review_with_the_button(reporter_client, reporter, article_factory):
    draft = article_factory("Mine", published=False, created_by=reporter)
    response = press(reporter_client, draft, "submit")
    assert success_messages(response) == ["Submitted for review: an editor can now publish it."]
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW
    event = AuditEvent.objects.get()
    assert (event.action, event.user) == (AuditAction.SUBMIT, reporter)


@pytest.mark.parametrize("action", ["publish", "schedule", "retract", "bogus"])
def test_reporter_forging_an_editor_button_changes_nothing(
    reporter_client, reporter, article_factory, action
):
    draft = article_factory("Mine", published=False, created_by=reporter)
    page = reporter_client.get(change_url(draft))
    assert f'value="{action}"' not in page.content.decode()
    data = change_form_data(
        page, _action=action, headline="Changed", published_at_0="2030-01-01", published_at_1="9:00"
    )
    response = reporter_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    draft.refresh_from_db()
    assert (draft.status, draft.headline, draft.published_at) == (Status.DRAFT, "Mine", None)
    assert not AuditEvent.objects.exists()


def test_reporter_posting_a_status_field_changes_nothing(
    reporter_client, reporter, article_factory
):
    draft = article_factory("Mine", published=False, created_by=reporter)
    response = press(reporter_client, draft, "save", status=Status.PUBLISHED)
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_publish_now_says_when_with_a_link_to_the_story(
    desk_editor_client, desk_editor, article_factory, client
):
    draft = article_factory("Ready to go", published=False, status=Status.REVIEW)
    before = timezone.now()
    response = press(desk_editor_client, draft, "publish")
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at >= before
    when = timezone.localtime(draft.published_at, timezone.get_fixed_timezone(0))
    (message,) = success_messages(response)
    assert message == (
        f"Published {when:%-d %b %Y, %H:%M} GMT — "
        f'<a href="{draft.get_absolute_url()}">view on site</a>.'
    )
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.get().action == AuditAction.PUBLISH
    assert Revision.objects.filter(article=draft, comment="").exists()


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_schedule_stores_the_time_and_says_it(desk_editor_client, article_factory, client):
    draft = article_factory("Embargoed", published=False)
    response = press(
        desk_editor_client, draft, "schedule", published_at_0="2030-12-01", published_at_1="21:21"
    )
    assert success_messages(response) == ["Scheduled for 1 Dec 2030, 21:21 GMT."]
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at == datetime(2030, 12, 1, 21, 21, tzinfo=UTC)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.get().action == AuditAction.SCHEDULE
    header = desk_editor_client.get(change_url(draft)).content.decode()
    assert "Scheduled for 1 Dec 2030, 21:21 GMT" in header


@pytest.mark.parametrize(
    ("day", "time", "code"),
    [("", "", "schedule_time_required"), ("2020-01-01", "09:00", "schedule_in_past")],
)
def test_schedule_without_a_future_time_is_a_form_error(
    desk_editor_client, article_factory, day, time, code
):
    draft = article_factory("Not yet", published=False)
    response = press(
        desk_editor_client,
        draft,
        "schedule",
        headline="Edited meanwhile",
        published_at_0=day,
        published_at_1=time,
    )
    assert response.status_code == 200
    assert [e.code for e in errors(response).as_data()["published_at"]] == [code]
    assert response.context["adminform"].form["headline"].value() == "Edited meanwhile"
    draft.refresh_from_db()
    assert (draft.status, draft.headline) == (Status.DRAFT, "Not yet")
    assert '<details class="desk-reveal desk-reveal-schedule" open>' in response.content.decode()


def test_update_keeps_a_live_story_live(desk_editor_client, article_factory):
    story = article_factory("Live")
    response = press(desk_editor_client, story, "save", headline="Live, corrected")
    (message,) = success_messages(response)
    assert message.startswith("Live story updated (published ")
    assert f'<a href="{story.get_absolute_url()}">view on site</a>' in message
    story.refresh_from_db()
    assert (story.status, story.headline) == (Status.PUBLISHED, "Live, corrected")
    assert not AuditEvent.objects.exists()


def test_update_cannot_move_a_live_story_into_the_future(desk_editor_client, article_factory):
    story = article_factory("Live")
    response = press(
        desk_editor_client, story, "save", published_at_0="2031-01-01", published_at_1="09:00"
    )
    assert [e.code for e in errors(response).as_data()["published_at"]] == ["live_time_in_future"]
    assert Article.objects.get(pk=story.pk).published_at == story.published_at


def test_retract_asks_for_a_reason_then_retracts(desk_editor_client, article_factory, client):
    story = article_factory("Wrong")
    refused = press(desk_editor_client, story, "retract", dek="Kept dek")
    assert [e.code for e in errors(refused).as_data()["retraction_reason"]] == ["reason_required"]
    assert refused.context["adminform"].form["dek"].value() == "Kept dek"
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED
    response = press(desk_editor_client, story, "retract", retraction_reason="Not true.")
    assert success_messages(response) == [
        "Retracted: the story has left every public page. The reason is in the audit log."
    ]
    story.refresh_from_db()
    assert (story.status, story.retraction_reason) == (Status.RETRACTED, "Not true.")
    assert client.get(story.get_absolute_url()).status_code != 200
    assert AuditEvent.objects.get().detail == "Not true."


def test_live_story_offers_update_and_retract_only(desk_editor_client, article_factory):
    page = desk_editor_client.get(change_url(article_factory("Live")))
    assert [b["value"] for b in page.context["workflow_buttons"]] == ["save"]
    assert page.context["can_retract"] and not page.context["can_schedule"]
    assert "status" not in page.context["adminform"].form.fields


def test_return_to_draft_unschedules(desk_editor_client, article_factory):
    story = article_factory("Later", published_at=timezone.now() + timedelta(days=2))
    response = press(desk_editor_client, story, "return")
    assert success_messages(response) == ["Returned to draft: the story is not public."]
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT
    assert AuditEvent.objects.get().action == AuditAction.RETURN


def test_a_button_on_a_stale_form_is_an_edit_conflict(
    desk_editor_client, staff_factory, article_factory
):
    draft = article_factory("Contested", published=False)
    other = Client()
    other.force_login(staff_factory("Editor", "olga"))
    stale = desk_editor_client.get(change_url(draft))
    assert press(other, draft, "save", headline="Olga's").status_code == 302
    response = desk_editor_client.post(
        change_url(draft), change_form_data(stale, _action="publish")
    )
    assert response.status_code == 200
    assert "Edit conflict" in " ".join(response.context["adminform"].form.non_field_errors())
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_list_shows_state_badges_and_filters_by_state(desk_editor_client, article_factory):
    now = timezone.now()
    stories = {
        "draft": article_factory("A draft", published=False),
        "review": article_factory("In review", published=False, status=Status.REVIEW),
        "scheduled": article_factory("Coming", published_at=now + timedelta(days=1)),
        "published": article_factory("Out now"),
        "expired": article_factory(
            "Gone stale", published_at=now - timedelta(days=2), expire_at=now - timedelta(days=1)
        ),
        "retracted": article_factory("Withdrawn", status=Status.RETRACTED, retraction_reason="x"),
    }
    html = desk_editor_client.get(CHANGELIST).content.decode()
    assert '<span class="desk-badge desk-badge-scheduled">Scheduled</span>' in html
    assert '<span class="desk-badge desk-badge-expired">Expired</span>' in html
    for state, story in stories.items():
        listed = desk_editor_client.get(CHANGELIST, {"state": state}).context["cl"].result_list
        assert [article.headline for article in listed] == [story.headline], state


def test_list_rows_link_to_preview_and_the_live_story(
    desk_editor_client, article_factory, author_factory, image_factory
):
    live = article_factory(
        "Live one", authors=[author_factory("Ann Lee")], lead_image=image_factory(credit="AP/Jo")
    )
    draft = article_factory("Draft one", published=False)
    html = desk_editor_client.get(CHANGELIST).content.decode()
    assert reverse("admin:articles_article_preview", args=[draft.pk]) in html
    assert f'href="{live.get_absolute_url()}"' in html
    assert f'href="{draft.get_absolute_url()}"' not in html
    assert "Ann Lee" in html and "AP/Jo" in html


def test_bulk_actions_still_work_beside_the_buttons(desk_editor_client, article_factory):
    draft = article_factory("Bulk", published=False)
    desk_editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert Article.objects.published().filter(pk=draft.pk).exists()


def test_bulk_publish_moves_versions_and_records_each_story(desk_editor_client, article_factory):
    drafts = [article_factory(f"Bulk {i}", published=False) for i in range(2)]
    versions = [draft.version for draft in drafts]
    selected = [draft.pk for draft in drafts]
    desk_editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": selected})
    for draft, version in zip(drafts, versions, strict=True):
        draft.refresh_from_db()
        assert draft.status == Status.PUBLISHED and draft.version > version
        assert draft.audit_events.get().action == AuditAction.PUBLISH
        assert draft.revisions.get().comment == "Published"


def test_bulk_publish_of_an_unpublishable_story_publishes_none_and_says_why(
    desk_editor_client, article_factory, image_factory
):
    ready = article_factory("Ready", published=False)
    blind = article_factory("Photo without alt text", published=False)
    blind.lead_image = image_factory(alt_text="")
    blind.save()
    response = desk_editor_client.post(
        CHANGELIST,
        {"action": "publish_now", "_selected_action": [ready.pk, blind.pk]},
        follow=True,
    )
    assert response.status_code == 200
    [message] = success_messages(response)
    assert message.startswith("Nothing changed: “Photo without alt text”:")
    assert not Article.objects.published().exists()
    assert not AuditEvent.objects.exists() and not Revision.objects.exists()


def test_bulk_retract_retracts_every_selected_story_with_the_reason(
    desk_editor_client, article_factory
):
    stories = [article_factory(f"Live {i}") for i in range(2)]
    desk_editor_client.post(
        CHANGELIST,
        {
            "action": "unpublish",
            "_selected_action": [story.pk for story in stories],
            "confirm": "1",
            "reason": "Duplicate coverage",
        },
    )
    for story in stories:
        story.refresh_from_db()
        assert story.status == Status.RETRACTED
        assert story.audit_events.get().detail == "Duplicate coverage"


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_preview_banner_says_the_story_is_scheduled(desk_editor_client, article_factory):
    story = article_factory("Soon", published_at=datetime(2030, 12, 1, 21, 21, tzinfo=UTC))
    html = desk_editor_client.get(
        reverse("admin:articles_article_preview", args=[story.pk])
    ).content.decode()
    banner = html[html.index('class="preview-banner"') :].split("</p>")[0]
    assert "Scheduled for 1 Dec 2030, 21:21 GMT" in banner


def test_restore_screen_lists_only_what_restore_changes(desk_editor_client, article_factory):
    story = article_factory("Old headline", published=False)
    press(desk_editor_client, story, "save", headline="New headline")
    old = Revision.objects.filter(article=story).order_by("pk").first()
    press(desk_editor_client, story, "publish")  # status and time: restore keeps them
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, old.pk])
    page = desk_editor_client.get(url)
    assert [change["key"] for change in page.context["changes"]] == ["headline"]
    html = page.content.decode()
    listed = html[html.index('id="restore-changes"') :].split("</dl>")[0]
    assert "Headline" in listed and "Status" not in listed and "Publication" not in listed


def test_restore_screen_says_when_nothing_changes(desk_editor_client, article_factory):
    story = article_factory("Same", published=False)
    press(desk_editor_client, story, "save")
    revision = Revision.objects.filter(article=story).first()
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, revision.pk])
    assert "changes nothing" in desk_editor_client.get(url).content.decode()


def test_revision_list_compares_with_current(desk_editor_client, article_factory):
    story = article_factory("First words", published=False)
    press(desk_editor_client, story, "save", headline="Second words")
    Article.objects.filter(pk=story.pk).update(dek="Changed outside the admin")
    first = Revision.objects.filter(article=story).order_by("pk").first()
    diff_url = reverse("admin:articles_article_revision_diff", args=[story.pk])
    page = desk_editor_client.get(change_url(story)).content.decode()
    assert f"{diff_url}?a={first.pk}&amp;b=current" in page
    html = desk_editor_client.get(diff_url, {"a": first.pk, "b": "current"}).content.decode()
    assert "the story as it is now" in html
    assert "<del>First</del><ins>Second</ins> words" in html
    assert "Changed outside the admin" in html


def test_reporter_saves_and_returns_a_story_in_review(reporter_client, reporter, article_factory):
    story = article_factory("Mine", published=False, status=Status.REVIEW, created_by=reporter)
    saved = press(reporter_client, story, "save", dek="Better dek")
    assert success_messages(saved) == ["Saved; the story is still waiting for review."]
    returned = press(reporter_client, story, "return")
    assert success_messages(returned) == ["Returned to draft: the story is not public."]
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT


def test_read_only_story_offers_no_buttons(reporter_client, reporter, article_factory):
    page = reporter_client.get(change_url(article_factory("Live", created_by=reporter)))
    assert page.context["workflow_buttons"] == []
    assert 'name="_action"' not in page.content.decode()


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_expired_and_retracted_show_in_the_header_and_the_banner(
    desk_editor_client, article_factory
):
    expired = article_factory(
        "Old offer",
        published_at=datetime(2020, 1, 1, 9, 0, tzinfo=UTC),
        expire_at=datetime(2020, 2, 1, 9, 0, tzinfo=UTC),
    )
    retracted = article_factory("Wrong", status=Status.RETRACTED, retraction_reason="Not true")
    for story, text in [(expired, "Expired 1 Feb 2020, 09:00 GMT"), (retracted, "Retracted")]:
        header = desk_editor_client.get(change_url(story)).content.decode()
        assert text in header.split('class="desk-header-state"')[1].split("</p>")[0]
        preview = reverse("admin:articles_article_preview", args=[story.pk])
        assert text in desk_editor_client.get(preview).content.decode()


def test_restore_screen_leaves_out_a_slug_taken_since(desk_editor_client, article_factory):
    story = article_factory("Story", slug="first-address", published=False)
    press(desk_editor_client, story, "save", slug="second-address", dek="Newer dek")
    old = Revision.objects.filter(article=story).order_by("pk").first()
    article_factory("Squatter", slug="first-address")
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, old.pk])
    keys = [change["key"] for change in desk_editor_client.get(url).context["changes"]]
    assert keys == ["dek"]  # restore keeps the current slug when the old one is taken
    assert Article.objects.get(pk=story.pk).dek == "Newer dek"  # showing changed nothing


def test_buttons_work_in_the_add_popup(desk_editor_client, section_factory):
    page = desk_editor_client.get(ADD_URL, {"_popup": "1"})
    assert 'value="publish"' in page.content.decode()
    data = article_data(section_factory(), _action="save", _popup="1")
    response = desk_editor_client.post(ADD_URL + "?_popup=1", data)
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert Article.objects.get().status == Status.DRAFT
