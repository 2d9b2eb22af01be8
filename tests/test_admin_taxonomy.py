"""The sections screen and the story form's section autocomplete."""

import warnings

import pytest
from django.urls import reverse

from articles.models import Section

pytestmark = pytest.mark.django_db


def test_section_autocomplete_pages_sections_by_name(editor_client):
    for name in ("Weather", "Arts", "Harbour"):
        Section.objects.create(name=name, slug=name.lower())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unordered page would warn
        response = editor_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": "article", "field_name": "section"},
        )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Arts", "Harbour", "Weather"]
