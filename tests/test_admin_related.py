"""The related-links inline: ordering controls only for those who may change the links."""

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
