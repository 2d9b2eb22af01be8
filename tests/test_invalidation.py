"""Scoped invalidation: a change refreshes the pages showing it, and only those.

Changes go through the admin and the workflow; pages are read over HTTP by an
anonymous client sharing the page cache (``X-Page-Cache`` says where a page came from).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.urls import reverse

from articles.models import Article
from articles.models.suggestions import refresh_suggestions
from articles.signals import pages_changed
from tests.conftest import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HOME = "/news/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks at its end, as if it were its own transaction.

    Tests run inside one transaction that never commits: each block stands for one.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def purges():
    """Collect what ``pages_changed`` announces, and whether it came after commit."""
    received = []

    def receiver(sender, paths, site_wide, scopes, **kwargs):
        received.append((paths, site_wide, scopes))

    pages_changed.connect(receiver)
    yield received
    pages_changed.disconnect(receiver)


def change_url(obj) -> str:
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def edit(admin_client, obj, **changes) -> None:
    """Save ``obj``'s admin change form with ``changes``, as an editor would."""
    page = admin_client.get(change_url(obj))
    response = admin_client.post(change_url(obj), change_form_data(page, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def warm(client, *urls: str) -> None:
    for url in urls:
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "hit"


def read(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    return response["X-Page-Cache"], response.content.decode()


def test_editing_a_story_refreshes_its_pages_and_leaves_the_others_cached(
    client, desk_editor_client, article_factory, author_factory, committed
):
    with committed():
        author = author_factory("Ada Byline")
        story = article_factory("Council votes", tags=["council"], authors=[author])
        other = article_factory("Harbour reopens", tags=["harbour"])
    pages = {
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "council"}),
        "author": author.get_absolute_url(),
        "home": HOME,
        "other": other.get_absolute_url(),
        "other tag": reverse("articles:tag", kwargs={"slug": "harbour"}),
    }
    warm(client, *pages.values())
    with committed():
        edit(desk_editor_client, story, headline="Council votes again")
    for name in ("story", "section", "tag", "author", "home"):
        source, html = read(client, pages[name])
        assert source == "miss", name
        assert "Council votes again" in html, name
    assert read(client, pages["other"])[0] == "hit"
    assert read(client, pages["other tag"])[0] == "hit"


def test_moving_a_story_refreshes_both_sections(
    client, desk_editor_client, article_factory, section_factory, committed
):
    with committed():
        world, sport = section_factory("World"), section_factory("Sport")
        story = article_factory("Moved story", section=world)
        article_factory("Staying in world", section=world)
        article_factory("Already in sport", section=sport)
    warm(client, world.get_absolute_url(), sport.get_absolute_url())
    with committed():
        edit(desk_editor_client, story, section=sport.pk)
    assert "Moved story" not in read(client, world.get_absolute_url())[1]
    assert "Moved story" in read(client, sport.get_absolute_url())[1]


def test_a_photo_credit_edit_refreshes_the_pages_showing_the_photo(
    client, desk_editor_client, article_factory, image_factory, committed
):
    with committed():
        photo = image_factory("Old Agency/Jo Snap")
        story = article_factory("With a photo", lead_image=photo)
        other = article_factory("Without a photo")
    warm(client, story.get_absolute_url(), story.section.get_absolute_url(), HOME)
    warm(client, other.get_absolute_url())
    with committed():
        edit(desk_editor_client, photo, credit="New Agency/Jo Snap")
    for url in (story.get_absolute_url(), story.section.get_absolute_url(), HOME):
        source, html = read(client, url)
        assert source == "miss", url
        assert "New Agency/Jo Snap" in html and "Old Agency" not in html, url
    assert read(client, other.get_absolute_url())[0] == "hit"


def test_a_correction_refreshes_the_story(client, desk_editor_client, article_factory, committed):
    with committed():
        story = article_factory("Corrected story")
        other = article_factory("Untouched story")
    warm(client, story.get_absolute_url(), other.get_absolute_url())
    page = desk_editor_client.get(change_url(story))
    data = change_form_data(
        page,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misspelt the mayor's name.",
            "corrections-0-created_at_0": "2026-11-28",
            "corrections-0-created_at_1": "10:30:00",
        },
    )
    with committed():
        assert desk_editor_client.post(change_url(story), data).status_code == 302
    assert "misspelt the mayor" in read(client, story.get_absolute_url())[1]
    assert read(client, other.get_absolute_url())[0] == "hit"


def test_a_new_story_in_the_section_enters_the_more_from_module(
    client,
    desk_editor_client,
    article_factory,
    section_factory,
    committed,
):
    with committed():
        world, sport = section_factory("World"), section_factory("Sport")
        story = article_factory("Older world story", section=world, hours_ago=5)
        elsewhere = article_factory("Sport story", section=sport)
        draft = article_factory("Fresh world story", section=world, published=False)
    assert "Fresh world story" not in read(client, story.get_absolute_url())[1]
    warm(client, story.get_absolute_url(), elsewhere.get_absolute_url())
    with committed():
        desk_editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
    # The worker ranks the neighbours' suggestions again (here, as it would): the new
    # story enters the module, and the page is rendered again.
    with committed():
        refresh_suggestions([draft.pk])
    source, html = read(client, story.get_absolute_url())
    assert source == "miss"
    assert html.index("Fresh world story") > html.index('class="story-body"')  # the module
    assert read(client, elsewhere.get_absolute_url())[0] == "hit"


def test_a_retracted_story_leaves_the_more_from_module_of_a_story_linking_it(
    client, article_factory, related_link_factory, committed
):
    with committed():
        linked = article_factory("Linked story")
        story = article_factory("Linking story")
        related_link_factory(story, linked)
    warm(client, story.get_absolute_url())
    assert "Linked story" in read(client, story.get_absolute_url())[1]
    with committed():
        linked.retract("Wrong.")
    assert "Linked story" not in read(client, story.get_absolute_url())[1]


def test_a_section_rename_refreshes_every_page(
    client, desk_editor_client, article_factory, section_factory, committed
):
    with committed():
        world = section_factory("World")
        elsewhere = article_factory("Sport story")
        article_factory("World story", section=world)
    warm(client, HOME, elsewhere.get_absolute_url())
    with committed():
        edit(desk_editor_client, world, name="Planet")
    assert read(client, elsewhere.get_absolute_url())[0] == "miss"
    assert "Planet" in read(client, HOME)[1]


def test_draft_edits_refresh_nothing(
    client, desk_editor_client, article_factory, committed, purges
):
    with committed():
        story = article_factory("Public story")
        draft = article_factory("Draft story", published=False, section=story.section)
    purges.clear()
    warm(client, story.get_absolute_url(), HOME)
    with committed():
        edit(desk_editor_client, draft, headline="Draft story, rewritten", tags="elections")
    assert read(client, story.get_absolute_url())[0] == "hit"
    assert read(client, HOME)[0] == "hit"
    assert purges == []


# The CDN purge signal ----------------------------------------------------------------


def test_publishing_from_the_admin_announces_the_pages_to_purge_once_after_commit(
    desk_editor_client, article_factory, author_factory, committed, purges
):
    with committed():
        author = author_factory("Ada Byline", slug="ada")
        draft = article_factory(
            "Breaking", published=False, slug="breaking", tags=["council"], authors=[author]
        )
        article_factory("Already out", section=draft.section)  # the section is in the menu
    purges.clear()
    section = draft.section.slug
    with committed():
        desk_editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
        assert purges == []  # nothing before the commit
    assert len(purges) == 1
    paths, site_wide, scopes = purges[0]
    assert not site_wide
    assert scopes == sorted(scopes)
    assert set(scopes) >= {
        "story:breaking",
        f"section:{section}",
        "tag:council",
        "author:ada",
        "lists",
    }
    assert "site" not in scopes
    assert set(paths) >= {
        "/news/story/breaking/",
        "/news/api/ninjs/breaking/",
        f"/news/section/{section}/",
        f"/news/section/{section}/rss/",
        f"/news/section/{section}/atom/",
        "/news/tag/council/",
        "/news/tag/council/rss/",
        "/news/author/ada/",
        "/news/author/ada/atom/",
        "/news/",
        "/news/feeds/rss/",
        "/news/feeds/atom/",
        "/news/sitemap.xml",
        "/news/sitemap-news.xml",
        "/news/api/ninjs/",
    }
    assert paths == sorted(paths)


def test_retracting_from_the_admin_announces_the_story_again(
    desk_editor_client, article_factory, committed, purges
):
    with committed():
        story = article_factory("To retract", slug="to-retract")
    purges.clear()
    page = desk_editor_client.get(change_url(story))
    data = change_form_data(page, _action="retract", retraction_reason="Not true.")
    with committed():
        assert desk_editor_client.post(change_url(story), data).status_code == 302
    assert len(purges) == 1
    assert {"/news/story/to-retract/", "/news/"} <= set(purges[0][0])


def test_moving_a_story_announces_both_sections(
    desk_editor_client, article_factory, section_factory, committed, purges
):
    with committed():
        world, sport = section_factory("World"), section_factory("Sport")
        story = article_factory("Moved story", section=world)
    purges.clear()
    with committed():
        edit(desk_editor_client, story, section=sport.pk)
    assert len(purges) == 1
    assert {world.get_absolute_url(), sport.get_absolute_url()} <= set(purges[0][0])


def test_the_workflow_announces_publication_after_commit(
    desk_editor, article_factory, committed, purges
):
    with committed():
        draft = article_factory("Via the workflow", published=False, slug="via-workflow")
    purges.clear()
    seen_public = []
    pages_changed.connect(
        lambda **kwargs: seen_public.append(
            Article.objects.published().filter(pk=draft.pk).exists()
        ),
        weak=False,
        dispatch_uid="test-seen-public",
    )
    try:
        with committed():
            draft.publish(by=desk_editor)
            assert connection.in_atomic_block and purges == []
    finally:
        pages_changed.disconnect(dispatch_uid="test-seen-public")
    assert seen_public == [True]
    assert len(purges) == 1 and "/news/story/via-workflow/" in purges[0][0]


def test_a_body_photo_credit_edit_refreshes_the_story_page(
    client, desk_editor_client, article_factory, image_factory, committed, settings
):
    with committed():
        photo = image_factory("Old Agency/Jo Snap", renditions=True)
        story = article_factory(
            "Photo in the body", body=f'<figure data-image="{photo.pk}"></figure>'
        )
        other = article_factory("Without a photo")
    warm(client, story.get_absolute_url(), other.get_absolute_url())
    with committed():
        edit(desk_editor_client, photo, credit="New Agency/Jo Snap")
    source, html = read(client, story.get_absolute_url())
    assert source == "miss" and "New Agency/Jo Snap" in html and "Old Agency" not in html
    assert read(client, other.get_absolute_url())[0] == "hit"


def test_deleting_a_body_photo_refreshes_the_story_page(
    client, article_factory, image_factory, committed
):
    with committed():
        photo = image_factory(renditions=True)
        story = article_factory(body=f'<p>Text</p><figure data-image="{photo.pk}"></figure>')
    warm(client, story.get_absolute_url())
    with committed():
        photo.delete()
    source, html = read(client, story.get_absolute_url())
    assert source == "miss" and '<figure class="photo">' not in html


def test_a_section_s_first_story_puts_it_in_every_page_s_menu(
    client, desk_editor_client, article_factory, section_factory, committed, purges
):
    with committed():
        elsewhere = article_factory("Sport story")
        draft = article_factory(
            "First of its desk", published=False, section=section_factory("Desk")
        )
    warm(client, elsewhere.get_absolute_url())  # menus list sections with public stories
    with committed():
        desk_editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
    assert read(client, elsewhere.get_absolute_url())[0] == "miss"
    assert purges[-1][1] and "site" in purges[-1][2]  # site-wide


def test_a_tag_rename_refreshes_its_stories_and_leaves_the_others_cached(
    client, desk_editor_client, article_factory, committed
):
    from articles.models import Tag

    with committed():
        story = article_factory("Tagged story", tags=["harbour"])
        other = article_factory("Untagged story")
    tag = Tag.objects.get(slug="harbour")
    warm(client, story.get_absolute_url(), other.get_absolute_url(), tag.get_absolute_url())
    with committed():
        edit(desk_editor_client, tag, name="Harbour works", slug="harbour-works")
    source, html = read(client, story.get_absolute_url())
    assert source == "miss" and "Harbour works" in html
    assert "Harbour works" in read(client, "/news/tag/harbour-works/")[1]
    assert read(client, other.get_absolute_url())[0] == "hit"


def test_editing_a_linked_story_refreshes_the_story_linking_it(
    client, article_factory, section_factory, related_link_factory, committed
):
    with committed():
        linked = article_factory("Linked story", section=section_factory())
        story = article_factory("Linking story", section=section_factory())
        other = article_factory("Unrelated story", section=section_factory())
        related_link_factory(story, linked)
    warm(client, story.get_absolute_url(), other.get_absolute_url())
    with committed():
        linked.headline = "Linked story, rewritten"
        linked.save()
    source, html = read(client, story.get_absolute_url())
    assert source == "miss" and "Linked story, rewritten" in html
    assert read(client, other.get_absolute_url())[0] == "hit"


def test_rolled_back_work_bumps_nothing(client, article_factory, committed, purges):
    with committed():
        story = article_factory("Kept as it was", slug="kept")
        other = article_factory("Edited for real", slug="edited")
    warm(client, story.get_absolute_url(), other.get_absolute_url())
    purges.clear()
    with committed():
        try:
            with transaction.atomic():
                story.headline = "Never committed"
                story.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        other.headline = "Edited for real, again"
        other.save()
    assert read(client, story.get_absolute_url())[0] == "hit"
    assert read(client, other.get_absolute_url())[0] == "miss"
    assert len(purges) == 1 and "story:kept" not in purges[0][2]
