"""Revisions: every admin save records a full snapshot; diff, preview and restore."""

import pytest
from django.urls import reverse

from articles.models import Article, AuditAction, AuditEvent, Author, Revision
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save(client, article, **changes):
    page = client.get(change_url(article))
    response = client.post(change_url(article), change_form_data(page, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def story(article_factory, author_factory, related_link_factory):
    story = article_factory(
        "First headline", tags=["Rivers", "Floods"], authors=[author_factory("Ann")]
    )
    related_link_factory(story, target=article_factory("Linked story"), position=0)
    related_link_factory(story, url="https://example.org/", title="Outside", position=1)
    return story


def test_every_admin_save_records_a_full_snapshot(desk_editor_client, desk_editor, story):
    save(desk_editor_client, story, headline="Second headline")
    baseline, saved = Revision.objects.order_by("pk")
    assert baseline.snapshot["headline"] == "First headline"  # the state before the first edit
    assert saved.created_by == desk_editor
    assert saved.snapshot["headline"] == "Second headline"
    assert saved.snapshot["tags"] == ["Floods", "Rivers"]
    assert [b["name"] for b in saved.snapshot["bylines"]] == ["Ann"]
    assert [(link["target_headline"], link["url"]) for link in saved.snapshot["related_links"]] == [
        ("Linked story", ""),
        ("", "https://example.org/"),
    ]


def test_change_page_lists_revisions(desk_editor_client, story):
    save(desk_editor_client, story, headline="Second headline")
    html = desk_editor_client.get(change_url(story)).content.decode()
    assert 'id="revisions"' in html
    assert html.count("/revisions/") >= 2  # preview and restore links per revision


def test_diff_shows_headline_dek_and_body_as_text(desk_editor_client, story):
    save(desk_editor_client, story, headline="Second headline", body="<p>New <b>words</b></p>")
    old, new = Revision.objects.order_by("pk")
    url = reverse("admin:articles_article_revision_diff", args=[story.pk])
    html = desk_editor_client.get(url, {"a": old.pk, "b": new.pk}).content.decode()
    assert "<del>First</del><ins>Second</ins> headline" in html
    assert "<del>Body.</del><ins>New words</ins>" in html
    assert "&lt;b&gt;" not in html and "<b>words" not in html


def test_restore_brings_back_tags_authors_and_links_exactly(
    desk_editor_client, desk_editor, story, author_factory
):
    save(desk_editor_client, story, headline="Second headline")
    original = Revision.objects.order_by("pk").first()
    story.tags.set(["Other"])
    story.bylines.all().delete()
    story.related_links.all().delete()
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, original.pk])
    assert desk_editor_client.get(url).status_code == 200  # the confirmation page
    assert desk_editor_client.post(url).status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert story.headline == "First headline"
    assert sorted(tag.name for tag in story.tags.all()) == ["Floods", "Rivers"]
    assert [author.name for author in story.byline_authors()] == ["Ann"]
    assert [str(link) for link in story.related_links.all()] == ["Linked story", "Outside"]
    newest = Revision.objects.order_by("-pk").first()
    assert newest.comment == f"Restored version {original.version}"
    assert newest.snapshot["tags"] == original.snapshot["tags"]
    assert AuditEvent.objects.get(action=AuditAction.RESTORE).user == desk_editor


def test_reporter_cannot_restore_a_published_story(reporter_client, desk_editor_client, story):
    save(desk_editor_client, story, headline="Second headline")
    original = Revision.objects.order_by("pk").first()
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, original.pk])
    assert reporter_client.post(url).status_code == 403
    assert Article.objects.get(pk=story.pk).headline == "Second headline"


def test_preview_of_a_revision_renders_it_and_changes_nothing(desk_editor_client, story):
    save(desk_editor_client, story, headline="Second headline")
    original = Revision.objects.order_by("pk").first()
    url = reverse("admin:articles_article_revision_preview", args=[story.pk, original.pk])
    response = desk_editor_client.get(url)
    html = response.content.decode()
    assert "First headline" in html and 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert Article.objects.get(pk=story.pk).headline == "Second headline"
    assert Revision.objects.count() == 2


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_restore_after_its_photo_was_deleted_restores_the_rest_and_says_so(
    desk_editor_client, article_factory, image_factory
):
    old_photo, new_photo = image_factory(), image_factory()
    story = article_factory("First headline", lead_image=old_photo)
    save(desk_editor_client, story, headline="Second headline", lead_image=str(new_photo.pk))
    original = Revision.objects.order_by("pk").first()
    assert original.snapshot["lead_image_id"] == old_photo.pk
    old_photo.delete()
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, original.pk])
    preview = reverse("admin:articles_article_revision_preview", args=[story.pk, original.pk])
    assert desk_editor_client.get(preview).status_code == 200

    response = desk_editor_client.post(url, follow=True)

    assert response.status_code == 200
    story = Article.objects.get(pk=story.pk)
    assert story.headline == "First headline"
    assert story.lead_image == new_photo
    assert any("lead photo has been deleted" in message for message in messages_of(response))
    assert (
        Revision.objects.order_by("-pk").first().comment == f"Restored version {original.version}"
    )


def test_restore_after_its_section_was_deleted_keeps_the_current_section(
    desk_editor_client, article_factory, section_factory, author_factory
):
    gone, kept = section_factory("Gone"), section_factory("Kept")
    story = article_factory("First headline", section=gone, authors=[author_factory("Ann")])
    save(desk_editor_client, story, headline="Second headline", section=str(kept.pk))
    original = Revision.objects.order_by("pk").first()
    story.bylines.all().delete()
    gone.delete()
    Author.objects.filter(name="Ann").delete()
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, original.pk])

    response = desk_editor_client.post(url, follow=True)

    story = Article.objects.get(pk=story.pk)
    assert (story.headline, story.section) == ("First headline", kept)
    notes = " ".join(messages_of(response))
    assert "section has been deleted" in notes and "left off the byline: Ann" in notes


def test_restore_does_not_undo_a_tag_merge(desk_editor_client, story):
    from articles.models import Tag

    save(desk_editor_client, story, headline="Second headline")
    original = Revision.objects.order_by("pk").first()
    kept = Tag.objects.get(name="Rivers")
    Tag.objects.filter(name__in=["Rivers", "Floods"]).merge_into(kept)
    url = reverse("admin:articles_article_revision_restore", args=[story.pk, original.pk])

    response = desk_editor_client.post(url, follow=True)

    assert [tag.name for tag in Article.objects.get(pk=story.pk).tags.all()] == ["Rivers"]
    assert not Tag.objects.filter(name="Floods").exists()
    assert "Floods → Rivers" in " ".join(messages_of(response))


def test_a_revision_made_before_story_kinds_restores_its_sponsorship(story):
    from articles import revisions

    old = revisions.record(story)
    snapshot = dict(old.snapshot)
    del snapshot["kind"]  # as stored before migration 0018: a yes/no
    Revision.objects.filter(pk=old.pk).update(
        snapshot={**snapshot, "sponsored": True, "sponsor_name": "Acme"}
    )
    old.refresh_from_db()
    assert revisions.changed_labels(revisions.snapshot(story), old.snapshot) == [
        "Kind of story",
        "Sponsor",
    ]
    revisions.restore(old)
    story.refresh_from_db()
    assert story.kind == "sponsored" and story.sponsor_name == "Acme"
