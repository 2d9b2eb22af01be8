"""Bulk tagging and related-story suggestions on the article screens."""

import pytest
from django.urls import reverse

from articles.models import RelatedLink, Tag
from tests.test_admin import article_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def run(client, action, articles, tags):
    return client.post(
        CHANGELIST,
        {"action": action, "tags": tags, "_selected_action": [str(a.pk) for a in articles]},
        follow=True,
    )


def names(article):
    return sorted(t.name for t in article.tags.all())


def test_add_tags_tags_only_the_selection(editor_client, article_factory):
    chosen = [article_factory(tags=["Rain"]), article_factory()]
    other = article_factory()
    run(editor_client, "add_tags", chosen, "rain, climate change")
    assert [names(a) for a in chosen] == [["Rain", "climate change"]] * 2
    assert names(other) == []
    assert Tag.objects.count() == 2


def test_remove_tags_untags_only_the_selection(editor_client, article_factory):
    chosen = article_factory(tags=["Rain", "Wind"])
    other = article_factory(tags=["Rain"])
    run(editor_client, "remove_tags", [chosen], "RAIN")
    assert (names(chosen), names(other)) == (["Wind"], ["Rain"])


def test_tag_actions_need_names(editor_client, article_factory):
    article = article_factory(tags=["Rain"])
    response = run(editor_client, "remove_tags", [article], " , ")
    assert names(article) == ["Rain"]
    assert "Type the tags" in response.content.decode()


def test_change_form_tag_input_keeps_multi_word_tags(editor_client, section_factory):
    data = article_data(section_factory(), tags="climate change, North Korea")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["North Korea", "climate change"]


def test_change_form_tag_input_suggests_existing_tags(editor_client, article_factory):
    article = article_factory()
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = html.decode()
    assert f'data-tag-suggest-url="{reverse("admin:articles_tag_suggest")}"' in html
    assert "articles/tag-suggest.js" in html


def test_related_inline_can_be_reordered(editor_client, article_factory):
    article = article_factory()
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert b"articles/admin/related-order.js" in html


def test_change_form_shows_suggestions_with_reasons(editor_client, article_factory):
    article = article_factory(tags=["North Korea", "Russia"])
    article_factory("Summit in Vladivostok", tags=["North Korea", "Russia"])
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert "Summit in Vladivostok" in html
    assert "shares ‘North Korea’, ‘Russia’" in html or "shares ‘Russia’, ‘North Korea’" in html
    assert reverse("admin:articles_article_pin_related", args=[article.pk]) in html


def test_pin_makes_a_suggestion_the_last_manual_link(
    editor_client, article_factory, related_link_factory
):
    article = article_factory(tags=["Rain"])
    related_link_factory(article, target=article_factory("Already linked"), position=4)
    suggested = article_factory("Suggested", tags=["Rain"])
    url = reverse("admin:articles_article_pin_related", args=[article.pk])
    response = editor_client.post(url, {"_pin_related": suggested.pk})
    assert response.status_code == 302
    link = RelatedLink.objects.get(article=article, target=suggested)
    assert link.position == 5
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert f'name="_pin_related" value="{suggested.pk}"' not in page.content.decode()


def test_pin_refuses_get(editor_client, article_factory):
    article = article_factory()
    url = reverse("admin:articles_article_pin_related", args=[article.pk])
    assert editor_client.get(url).status_code == 405


def test_pin_refuses_the_story_itself(editor_client, article_factory):
    article = article_factory()
    url = reverse("admin:articles_article_pin_related", args=[article.pk])
    editor_client.post(url, {"_pin_related": article.pk})
    assert not RelatedLink.objects.exists()
