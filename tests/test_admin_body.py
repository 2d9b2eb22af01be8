"""The article form tells the editor about everything saving the body would remove."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from articles.models import Article
from tests.conftest import change_form_data
from tests.test_admin import ADD_URL, article_data

pytestmark = pytest.mark.django_db


def public_paragraphs(client, story) -> list[str]:
    document = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    return [p.text_content() for p in document.xpath('//div[@class="story-body"]/p')]


def test_plain_text_with_blank_lines_becomes_paragraphs_on_the_public_page(
    editor_client, client, section_factory
):
    body = "First paragraph,\nsame one.\n\nSecond paragraph.\n\n\nThird."
    data = article_data(
        section_factory(), headline="Typed in plain text", body=body, _action="publish"
    )
    data.update({"published_at_0": "", "published_at_1": ""})
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get(headline="Typed in plain text")
    assert public_paragraphs(client, story) == [
        "First paragraph,\nsame one.",
        "Second paragraph.",
        "Third.",
    ]


def test_visible_content_that_would_be_lost_is_refused_with_the_text_kept(
    editor_client, section_factory
):
    body = (
        '<p>Keep this sentence.</p><p><img src="https://example.org/chart.png" alt="Chart"></p>'
        '<iframe src="https://maps.example.com/embed?q=1"></iframe>'
    )
    response = editor_client.post(ADD_URL, article_data(section_factory(), body=body))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == [
        "Saving would lose an iframe from maps.example.com and an image from example.org "
        "(not in the photo library). Remove it from the body, or put photos in through the "
        "photo library and videos as YouTube or Vimeo links, then save again."
    ]
    document = lxml_html.fromstring(response.content)
    assert document.xpath('//textarea[@name="body"]')[0].text.strip() == body
    assert not Article.objects.exists()


def test_code_and_formatting_are_removed_with_a_warning(editor_client, section_factory):
    body = (
        '<p style="font-family:Calibri" onclick="track()">Pasted from Word.</p>'
        "<script>alert(1)</script>"
    )
    response = editor_client.post(
        ADD_URL, article_data(section_factory(), headline="Pasted", body=body), follow=True
    )
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "Removed from the body when it was saved: a script, a style attribute and an event handler."
    ]
    assert Article.objects.get(headline="Pasted").body == "<p>Pasted from Word.</p>"


def test_pasted_embed_code_is_stored_as_the_embed_and_plays(editor_client, client, article_factory):
    story = article_factory()
    url = reverse("admin:articles_article_change", args=[story.pk])
    code = (
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Ab" '
        'title="YouTube video player" frameborder="0" allow="accelerometer; autoplay" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
    )
    response = editor_client.post(url, change_form_data(editor_client.get(url), body=code))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body.startswith(
        '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
    )
    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    assert page.xpath("//iframe/@src") == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]


def test_the_change_form_shows_word_count_and_reading_time(editor_client, article_factory):
    story = article_factory(body="<p>" + "word " * 500 + "</p>")
    html = editor_client.get(reverse("admin:articles_article_change", args=[story.pk])).content
    assert "500 words · 3 min read" in html.decode()
