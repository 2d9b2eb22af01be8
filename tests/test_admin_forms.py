"""Edit conflicts (optimistic locking on the version) and "who else has this open"."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_second_saver_gets_a_conflict_and_keeps_their_text(
    desk_editor_client, staff_factory, article_factory
):
    from django.test import Client

    story = article_factory("Original headline")
    other = Client()
    other.force_login(staff_factory("Editor", "olga", first_name="Olga", last_name="Ortiz"))
    first_page = other.get(change_url(story))
    second_page = desk_editor_client.get(change_url(story))

    assert (
        other.post(change_url(story), change_form_data(first_page, headline="Olga's")).status_code
        == 302
    )
    mine = change_form_data(second_page, body="<p>My careful rewrite</p>")
    response = desk_editor_client.post(change_url(story), mine)

    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Olga Ortiz saved this story" in message and "headline" in message
    assert "My careful rewrite" in response.content.decode()  # their text is still in the form
    assert Article.objects.get(pk=story.pk).headline == "Olga's"  # nothing overwritten

    again = change_form_data(response, body="<p>My careful rewrite</p>")
    assert desk_editor_client.post(change_url(story), again).status_code == 302
    assert Article.objects.get(pk=story.pk).body == "<p>My careful rewrite</p>"


def test_change_page_says_who_else_has_it_open(
    desk_editor_client, reporter_client, reporter, article_factory
):
    story = article_factory(published=False, created_by=reporter)
    reporter_client.get(change_url(story))
    html = desk_editor_client.get(change_url(story)).content.decode()
    assert "Also open now by: Riley Reporter" in html


def test_heartbeat_renews_the_lease_and_lists_the_others(
    desk_editor_client, reporter_client, reporter, article_factory
):
    story = article_factory(published=False, created_by=reporter)
    url = reverse("admin:articles_article_heartbeat", args=[story.pk])
    reporter_client.post(url)
    assert desk_editor_client.get(url).status_code == 405
    assert desk_editor_client.post(url).json() == {"others": ["Riley Reporter"]}
