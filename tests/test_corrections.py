"""Corrections, clarifications and updates at the end of a published story."""

import pytest
from django.urls import reverse

from articles.models import Revision
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db


def test_editor_appends_a_correction_shown_with_updated_time(
    desk_editor_client, article_factory, client
):
    story = article_factory("Corrected story")
    url = reverse("admin:articles_article_change", args=[story.pk])
    page = desk_editor_client.get(url)
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
    assert desk_editor_client.post(url, data).status_code == 302
    html = client.get(story.get_absolute_url()).content.decode()
    assert "misspelt the mayor" in html
    assert 'Updated <time datetime="2026-11-28T10:30:00-05:00"' in html
    # The page shows the note after the body (the JSON-LD in the head names it too).
    assert html.rindex("misspelt the mayor") > html.index('class="story-body"')
    latest = Revision.objects.order_by("-pk").first()
    assert latest.snapshot["corrections"][0]["kind"] == "correction"


def test_reporters_get_no_corrections_inline(reporter_client, reporter, article_factory):
    story = article_factory(published=False, created_by=reporter)
    page = reporter_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert "corrections-TOTAL_FORMS" not in page.content.decode()
