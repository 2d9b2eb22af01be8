"""The desk's template pieces a host can put in its own admin: ``desk_role`` and ``desk_time``."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load articles_tags %}" + source).render(Context(context)).strip()


def test_desk_role_names_editors_and_reporters_from_their_permissions(
    desk_editor, reporter, editor
):
    assert render("{% desk_role user %}", user=desk_editor) == "Editor"
    assert render("{% desk_role user %}", user=editor) == "Editor"  # a superuser may publish
    assert render("{% desk_role user %}", user=reporter) == "Reporter"


def test_desk_role_is_empty_for_people_outside_the_desk(django_user_model):
    outsider = django_user_model.objects.create_user("visitor", is_staff=True)
    assert render("{% desk_role user %}", user=outsider) == ""
    assert render("{% desk_role user %}", user=AnonymousUser()) == ""


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_desk_time_filter_shows_the_admin_format():
    when = datetime(2026, 12, 1, 21, 21, tzinfo=UTC)
    assert render("{{ when|desk_time }}", when=when) == "1 Dec 2026, 21:21 GMT"
    assert render("{{ when|desk_time }}", when=None) == ""


def test_the_app_leaves_the_hosts_admin_branding_alone(desk_editor_client):
    page = desk_editor_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" in page
    assert "desk-user" not in page
