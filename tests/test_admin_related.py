"""Related links on the story page: ordering and pinning only for those who may change them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def change_page(client, article) -> str:
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story_with_links(article_factory, related_link_factory):
    story = article_factory("Story with links")
    related_link_factory(story, target=article_factory("First pick"), position=0)
    related_link_factory(story, target=article_factory("Second pick"), position=1)
    return story


def test_editor_gets_the_move_buttons_and_drag_handle(desk_editor_client, story_with_links):
    html = change_page(desk_editor_client, story_with_links)
    assert 'id="related_links-order-controls"' in html
    assert 'aria-label="Move up"' in html and 'aria-label="Move down"' in html
    assert "related-handle" in html


def test_reporter_reading_someone_elses_story_gets_no_ordering_controls(
    reporter_client, story_with_links
):
    html = change_page(reporter_client, story_with_links)
    assert "First pick" in html  # the links are shown, read-only
    assert 'name="related_links-0-position"' not in html
    assert "Move up" not in html and "Move down" not in html
    assert "related-handle" not in html and "Drag rows" not in html


def test_reporter_editing_their_own_draft_can_order_its_links(
    reporter_client, reporter, article_factory, related_link_factory
):
    draft = article_factory("My draft", published=False, created_by=reporter)
    related_link_factory(draft, target=article_factory("A pick"), position=0)
    html = change_page(reporter_client, draft)
    assert 'aria-label="Move up"' in html


def test_suggestions_offer_pin_buttons_only_to_people_who_may_change_the_story(
    desk_editor_client, reporter_client, article_factory
):
    story = article_factory("Rain again", tags=["Rain"])
    article_factory("Rain before", tags=["Rain"])
    editor_html = change_page(desk_editor_client, story)
    assert "Rain before" in editor_html and "Pin as a link" in editor_html
    reporter_html = change_page(reporter_client, story)
    assert "Rain before" in reporter_html  # the suggestions, to read
    assert "Pin as a link" not in reporter_html and "_pin_related" not in reporter_html
    assert "Pin one to make it a link of yours" not in reporter_html
