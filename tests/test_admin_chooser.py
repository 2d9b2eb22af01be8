"""The photo chooser (Contract B): grid, search, filters, paging, JSON and permissions."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Image

pytestmark = pytest.mark.django_db

CHOOSER = reverse("admin:articles_image_chooser")


def chosen_ids(response) -> list[int]:
    return [photo["id"] for photo in photo_items(response)]


def photo_items(response) -> list[dict]:
    return [item["photo"] for item in response.context["photos"]]


def test_the_chooser_shows_each_photo_as_a_button_with_caption_and_credit(
    editor_client, image_factory
):
    image_factory(caption="Senate vote at night", credit="REUTERS/Jonathan Ernst")
    response = editor_client.get(CHOOSER, {"_popup": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<button type="button" class="photo-choice"' in html
    assert "Senate vote at night" in html and "REUTERS/Jonathan Ernst" in html
    assert 'id="header"' not in html  # the popup layout, for the dialog


def test_each_photo_carries_the_photo_the_opener_receives(editor_client, image_factory):
    image = image_factory(
        caption="Harbour", alt_text="Boats in a harbour", credit="AP/X", renditions=False
    )
    response = editor_client.get(CHOOSER, {"_popup": 1})
    photo = json.loads(response.context["photos"][0]["json"])
    assert photo == {
        "id": image.pk,
        "thumbnail_url": image.desk_url(320),
        "caption": "Harbour",
        "credit": "AP/X",
        "alt_text": "Boats in a harbour",
        "width": 64,
        "height": 48,
        "admin_url": reverse("admin:articles_image_change", args=[image.pk]),
        "renditions_ready": False,
    }


def test_outside_a_dialog_each_photo_links_to_its_page(editor_client, image_factory):
    image = image_factory()
    html = editor_client.get(CHOOSER).content.decode()
    assert f'<a class="photo-choice" href="{image.admin_url()}">' in html


def test_search_matches_every_word_in_caption_credit_or_creator(editor_client, image_factory):
    vote = image_factory(caption="Senate vote", credit="REUTERS/Jonathan Ernst")
    beach = image_factory(caption="Beach", credit="AP/Someone", creator="Ana Lima")
    image_factory(caption="Senate garden", credit="AFP/Other")
    assert chosen_ids(editor_client.get(CHOOSER, {"q": "senate reuters"})) == [vote.pk]
    assert chosen_ids(editor_client.get(CHOOSER, {"q": "lima"})) == [beach.pk]
    assert chosen_ids(editor_client.get(CHOOSER, {"q": "nothing-like-this"})) == []


def test_the_recent_filter_keeps_the_last_seven_days(editor_client, image_factory):
    old = image_factory(caption="Old")
    Image.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=8))
    new = image_factory(caption="New")
    assert chosen_ids(editor_client.get(CHOOSER, {"filter": "recent"})) == [new.pk]
    assert set(chosen_ids(editor_client.get(CHOOSER))) == {old.pk, new.pk}


def test_the_expiring_filter_lists_photos_whose_rights_end_soon(editor_client, image_factory):
    today = timezone.localdate()
    soon = image_factory(rights_expire_on=today + timedelta(days=5))
    image_factory(rights_expire_on=today + timedelta(days=300))
    image_factory(rights_expire_on=today - timedelta(days=1))  # expired already
    image_factory()
    response = editor_client.get(CHOOSER, {"filter": "expiring"})
    assert chosen_ids(response) == [soon.pk]
    assert "Rights end" in response.content.decode()


def test_filters_and_search_combine_and_an_unknown_filter_is_ignored(editor_client, image_factory):
    image_factory(caption="Flood in the valley")
    assert len(chosen_ids(editor_client.get(CHOOSER, {"q": "flood", "filter": "recent"}))) == 1
    assert len(chosen_ids(editor_client.get(CHOOSER, {"filter": "bogus"}))) == 1


def test_the_chooser_pages_and_keeps_the_search_in_its_links(
    editor_client, image_factory, settings
):
    settings.ARTICLES_IMAGE_CHOOSER_PAGE_SIZE = 2
    for n in range(5):
        image_factory(caption=f"Flood {n}")
    first = editor_client.get(CHOOSER, {"q": "flood", "_popup": 1})
    assert len(chosen_ids(first)) == 2
    html = first.content.decode()
    assert "Page 1 of 3" in html
    assert "page=2" in html and "q=flood" in html and "_popup=1" in html
    last = editor_client.get(CHOOSER, {"q": "flood", "page": 3})
    assert len(chosen_ids(last)) == 1
    assert len(chosen_ids(editor_client.get(CHOOSER, {"page": "junk"}))) == 2


def test_a_photo_without_renditions_says_it_is_processing(editor_client, image_factory):
    image_factory(caption="Still processing", renditions=False)
    image_factory(caption="Ready", renditions=True)
    html = editor_client.get(CHOOSER).content.decode()
    assert html.count('class="photo-badge"') == 1


def test_the_photo_json_describes_one_photo(editor_client, image_factory):
    image = image_factory(caption="One", credit="AP/One")
    response = editor_client.get(reverse("admin:articles_image_chooser_photo", args=[image.pk]))
    assert response["Content-Type"] == "application/json"
    assert response.json()["id"] == image.pk and response.json()["credit"] == "AP/One"
    missing = reverse("admin:articles_image_chooser_photo", args=[image.pk + 100])
    assert editor_client.get(missing).status_code == 404


def test_people_who_may_not_see_photos_get_no_chooser(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="pw-n-123", is_staff=True)
    client.force_login(nobody)
    assert client.get(CHOOSER).status_code == 403
    assert client.get(reverse("admin:articles_image_chooser_photo", args=[1])).status_code == 403
    client.logout()
    assert client.get(CHOOSER).status_code == 302  # to the log-in page


def test_reporters_may_choose_and_upload(reporter_client, image_factory):
    image_factory()
    html = reporter_client.get(CHOOSER).content.decode()
    assert 'name="files"' in html and "multiple" in html


def test_viewers_without_add_permission_see_no_upload(client, django_user_model, image_factory):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw-v-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(viewer)
    image_factory()
    response = client.get(CHOOSER)
    assert response.status_code == 200 and 'name="files"' not in response.content.decode()
    upload_url = reverse("admin:articles_image_chooser_upload")
    assert client.post(upload_url, {"step": "upload"}).status_code == 403


def test_the_article_form_shows_the_lead_photo_as_a_card_over_a_number_input(
    editor_client, article_factory, image_factory
):
    photo = image_factory(caption="Ferry at dawn", credit="TT/Ferry")
    story = article_factory(lead_image=photo)
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert 'class="photo-chooser-widget"' in html and "photo-chooser.js" in html
    assert f'type="number" name="lead_image" value="{photo.pk}"' in html
    assert "Ferry at dawn" in html and "TT/Ferry" in html
    assert "Choose photo" in html and "Upload new" in html and "Remove" in html
    assert 'id="add_id_lead_image"' not in html  # no autocomplete, no "+" popup link


def test_without_javascript_the_photo_number_is_saved(
    editor_client, article_factory, image_factory
):
    from tests.conftest import change_form_data

    photo = image_factory()
    story = article_factory()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(editor_client.get(url), lead_image=str(photo.pk))
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.lead_image == photo
    data = change_form_data(editor_client.get(url), lead_image=str(photo.pk + 99))
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "lead_image" in response.context["adminform"].form.errors


@pytest.mark.parametrize("filter_name", ["", "mine", "recent", "expiring"])
def test_the_chooser_costs_the_same_queries_for_2_or_12_photos(
    editor_client, image_factory, django_assert_num_queries, filter_name
):
    soon = timezone.localdate() + timedelta(days=3)
    for _ in range(2):
        image_factory(rights_expire_on=soon)
    editor_client.get(CHOOSER, {"filter": filter_name})  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHOOSER, {"filter": filter_name})
    for _ in range(10):
        image_factory(rights_expire_on=soon)
    with django_assert_num_queries(len(few.captured_queries)):
        editor_client.get(CHOOSER, {"filter": filter_name, "q": ""})
