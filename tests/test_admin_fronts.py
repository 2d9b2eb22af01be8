"""The fronts' admin: placements through the front's form, the ordering screen, the preview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Front, Placement
from articles.times import newsroom_zone
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db

HOME = "/news/"


def order_url(front) -> str:
    return reverse("admin:articles_front_order", args=[front.pk])


def preview_url(front) -> str:
    return reverse("admin:articles_front_preview", args=[front.pk])


def order_data(response, positions: dict[int, int]) -> dict:
    """Return the ordering form's POST data, with ``positions`` ({placement pk: position})."""
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()
    }
    for i, form in enumerate(formset.forms):
        data[f"{formset.prefix}-{i}-id"] = form.instance.pk
        data[f"{formset.prefix}-{i}-position"] = positions.get(
            form.instance.pk, form.instance.position
        )
    return data


@pytest.fixture
def lineup(article_factory, image_factory, placement_factory):
    return [
        placement_factory(article_factory(f"Slot story {i}", lead_image=image_factory()))
        for i in range(3)
    ]


def test_the_ordering_screen_lists_placements_with_thumbnails(editor_client, lineup):
    response = editor_client.get(order_url(lineup[0].front))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="articles-thumbnail"') == 3
    assert html.index("Slot story 0") < html.index("Slot story 1") < html.index("Slot story 2")
    assert 'name="form-0-position"' in html  # the order works as a plain form


def test_posting_a_new_order_reorders_the_home_page(
    editor_client, client, lineup, django_capture_on_commit_callbacks, page_cache
):
    front = lineup[0].front
    assert "Slot story 0" in client.get(HOME).content.decode().split("</section>")[0]
    page = editor_client.get(order_url(front))
    new = {lineup[0].pk: 2, lineup[1].pk: 0, lineup[2].pk: 1}  # a rotation: every row moves
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(order_url(front), order_data(page, new))
    assert response.status_code == 302
    assert {p.pk: p.position for p in Placement.objects.all()} == new
    html = client.get(HOME).content.decode()
    lead = html[html.index('class="lead-story"') : html.index("</section>")]
    assert "Slot story 1" in lead
    assert html.index("Slot story 2") < html.index("Slot story 0")


def test_two_placements_at_one_position_are_refused(editor_client, lineup):
    front = lineup[0].front
    page = editor_client.get(order_url(front))
    response = editor_client.post(order_url(front), order_data(page, {lineup[2].pk: 0}))
    assert response.status_code == 200
    assert "share position 0" in response.content.decode()
    assert [p.position for p in Placement.objects.order_by("pk")] == [0, 1, 2]


def test_a_junk_position_is_a_form_error(editor_client, lineup):
    front = lineup[0].front
    page = editor_client.get(order_url(front))
    response = editor_client.post(order_url(front), order_data(page, {lineup[0].pk: "first"}))
    assert response.status_code == 200
    assert "Enter a whole number" in response.content.decode()


def test_a_desk_editor_may_order_a_front_and_a_reporter_may_not(
    desk_editor_client, reporter_client, lineup
):
    front = lineup[0].front
    assert desk_editor_client.get(order_url(front)).status_code == 200
    assert reporter_client.get(order_url(front)).status_code == 403
    assert reporter_client.get(preview_url(front)).status_code == 403


def test_readers_are_sent_to_log_in(client, lineup):
    front = lineup[0].front
    for url in (order_url(front), preview_url(front)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert client.post(url, {}).status_code == 302


def test_placements_are_added_through_the_fronts_form(editor_client, article_factory):
    front = Front.objects.create()
    story = article_factory("Story for the front")
    url = reverse("admin:articles_front_change", args=[front.pk])
    page = editor_client.get(url)
    data = change_form_data(page)
    data.update(
        {
            "packages-TOTAL_FORMS": 1,
            "packages-0-name": "Election 2026",
            "packages-0-position": 0,
            "placements-0-article": story.pk,
            "placements-0-position": 0,
            "placements-0-headline": "Front headline",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    placement = Placement.objects.get()
    assert (placement.front, placement.headline) == (front, "Front headline")
    assert front.packages.get().name == "Election 2026"


def test_two_new_placements_at_one_position_are_a_form_error(editor_client, article_factory):
    front = Front.objects.create()
    url = reverse("admin:articles_front_change", args=[front.pk])
    data = change_form_data(editor_client.get(url))
    data["placements-TOTAL_FORMS"] = 2
    for i in range(2):
        data[f"placements-{i}-article"] = article_factory().pk
        data[f"placements-{i}-position"] = 0
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "share position 0" in response.content.decode()
    assert not Placement.objects.exists()


def test_a_window_that_ends_before_it_starts_is_a_form_error(editor_client, article_factory):
    front = Front.objects.create()
    url = reverse("admin:articles_front_change", args=[front.pk])
    data = change_form_data(editor_client.get(url))
    data.update(
        {
            "placements-0-article": article_factory().pk,
            "placements-0-position": 0,
            "placements-0-starts_at_0": "2026-12-02",
            "placements-0-starts_at_1": "10:00:00",
            "placements-0-ends_at_0": "2026-12-02",
            "placements-0-ends_at_1": "09:00:00",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "must start before it ends" in response.content.decode()


def test_the_preview_shows_the_front_at_a_chosen_time(
    editor_client, article_factory, placement_factory
):
    article_factory("Public story")
    later = timezone.now() + timedelta(days=2)
    story = article_factory("Tomorrow's lead", published_at=later - timedelta(hours=1))
    placement = placement_factory(story, starts_at=later - timedelta(minutes=30))
    url = preview_url(placement.front)
    now = editor_client.get(url)
    assert now.status_code == 200
    assert "Tomorrow's lead" not in now.content.decode()
    at = timezone.localtime(later, newsroom_zone()).strftime("%Y-%m-%dT%H:%M")
    response = editor_client.get(url, {"at": at})
    html = response.content.decode()
    lead = html[html.index('class="lead-story"') :]
    assert "Tomorrow" in lead[: lead.index("</section>")]
    assert 'class="preview-banner"' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_the_preview_of_a_section_front_renders_the_section_page(
    editor_client, article_factory, section_factory, placement_factory
):
    sport = section_factory("Sport")
    article_factory("Sport story", section=sport)
    placement = placement_factory(article_factory("Placed on sport"), section=sport)
    html = editor_client.get(preview_url(placement.front)).content.decode()
    assert "<h1>Sport</h1>" in html and "Placed on sport" in html


def test_a_junk_preview_time_is_a_400(editor_client, lineup):
    response = editor_client.get(preview_url(lineup[0].front), {"at": "yesterday-ish"})
    assert response.status_code == 400
    assert "Enter a valid date/time" in response.content.decode()


def test_the_front_list_links_to_the_ordering_screen(editor_client, lineup):
    response = editor_client.get(reverse("admin:articles_front_changelist"))
    assert response.status_code == 200
    assert order_url(lineup[0].front) in response.content.decode()


def test_a_position_above_the_limit_is_a_form_error(editor_client, lineup):
    front = lineup[0].front
    page = editor_client.get(order_url(front))
    response = editor_client.post(order_url(front), order_data(page, {lineup[0].pk: 1_000_000}))
    assert response.status_code == 200
    assert "less than or equal to 999999" in response.content.decode()
    assert [p.position for p in Placement.objects.order_by("pk")] == [0, 1, 2]
