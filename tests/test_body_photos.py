"""Body photos follow the lead photo's rules: recorded, credited, described, where-used."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article, BodyPhoto, Status

pytestmark = pytest.mark.django_db


def figure(photo) -> str:
    return f'<figure data-image="{photo.pk}"></figure>'


def test_saving_a_story_records_the_photos_of_its_body(article_factory, image_factory):
    first, second = image_factory(), image_factory()
    story = article_factory(body=figure(first) + "<p>x</p>" + figure(second))
    assert set(BodyPhoto.objects.values_list("image_id", flat=True)) == {first.pk, second.pk}
    story.body = figure(second)
    story.save()
    assert list(story.body_photos.values_list("image_id", flat=True)) == [second.pk]
    stored = figure(second)
    second.delete()
    assert not BodyPhoto.objects.exists()
    assert Article.objects.get(pk=story.pk).body == stored  # rendered as nothing


def test_publishing_needs_alt_text_on_every_body_photo(article_factory, image_factory):
    photo = image_factory(alt_text="", caption="Harbour at dawn")
    story = article_factory(published=False, body=figure(photo))
    story.status = Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert error.value.message_dict["body"] == [
        f"Give the photo #{photo.pk} (Harbour at dawn (REUTERS/Jonathan Ernst)) in the body alt "
        "text before publishing."
    ]
    photo.alt_text = "Boats in a harbour"
    photo.save()
    story.full_clean()


def test_publishing_from_the_admin_names_the_body_photo_without_alt_text(
    editor_client, article_factory, image_factory
):
    photo = image_factory(alt_text="")
    story = article_factory(published=False, body=figure(photo))
    from tests.conftest import change_form_data

    url = reverse("admin:articles_article_change", args=[story.pk])
    response = editor_client.post(url, change_form_data(editor_client.get(url), _action="publish"))
    assert response.status_code == 200
    assert f"Give the photo #{photo.pk}" in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT


def test_where_used_counts_body_placements(editor_client, article_factory, image_factory):
    photo = image_factory()
    article_factory("Leads with it", lead_image=photo)
    article_factory("Shows it in the body", body=figure(photo))
    page = editor_client.get(reverse("admin:articles_image_change", args=[photo.pk]))
    html = page.content.decode()
    assert "Lead photo of:" in html and "Leads with it" in html
    assert "In the body of:" in html and "Shows it in the body" in html
    listing = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "Shows it in the body" in listing


def test_reading_time_and_word_count(article_factory, settings):
    story = article_factory(body="<p>" + "word " * 461 + "</p><p>end</p>")
    assert story.word_count == 462
    settings.ARTICLES_READING_WORDS_PER_MINUTE = 230
    assert story.reading_time == 3
    assert article_factory(body="").reading_time == 1


def test_more_from_heading_is_editable_per_story(client, article_factory):
    story = article_factory(related_heading="More on the harbour strike")
    article_factory(section=story.section)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "More on the harbour strike</h2>" in html
    plain = article_factory(section=story.section)
    assert (
        f"More from {story.section.name}</h2>"
        in client.get(plain.get_absolute_url()).content.decode()
    )


def test_outside_related_link_shows_its_photo_with_credit(
    client, article_factory, image_factory, related_link_factory
):
    story = article_factory()
    photo = image_factory("AP/Jo Smith", renditions=True)
    related_link_factory(story, url="https://example.org/report", title="The report", image=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    card = html[html.index('class="card card-external"') :]
    assert "Photo: AP/Jo Smith" in card[: card.index("The report")]


def test_a_related_story_cannot_carry_a_photo(article_factory, image_factory, related_link_factory):
    story, other = article_factory(), article_factory()
    with pytest.raises(ValidationError) as error:
        related_link_factory(story, target=other, image=image_factory())
    assert "image" in error.value.message_dict
