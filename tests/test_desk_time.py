"""One way of showing a time on the editors' screens: ``desk_time`` in the newsroom's zone."""

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from articles.workflow import desk_time

WINTER = datetime(2026, 12, 1, 21, 21, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 8, 5, tzinfo=UTC)


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_desk_time_is_day_month_year_time_and_zone():
    assert desk_time(WINTER) == "1 Dec 2026, 21:21 GMT"
    assert desk_time(SUMMER) == "1 Jul 2026, 09:05 BST"


@override_settings(ARTICLES_TIME_ZONE="Asia/Tokyo")
def test_desk_time_follows_the_newsroom_zone_not_the_active_one():
    with translation.override("en"), override_settings(TIME_ZONE="America/New_York"):
        assert desk_time(WINTER) == "2 Dec 2026, 06:21 JST"


def test_desk_time_of_nothing_is_empty():
    assert desk_time(None) == ""


@pytest.mark.django_db
@override_settings(ARTICLES_TIME_ZONE="Europe/London")
def test_article_list_shows_publication_time_in_the_desk_format(
    desk_editor_client, article_factory
):
    article_factory("Winter story", published_at=WINTER)
    page = desk_editor_client.get(reverse("admin:articles_article_changelist"))
    assert "1 Dec 2026, 21:21 GMT" in page.content.decode()
