"""Times at the edges of the calendar are refused as input errors, never a server error."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.conftest import change_form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize("field", ["published_at", "expire_at"])
def test_admin_year_one_east_of_utc_is_a_form_error(
    settings, desk_editor_client, article_factory, field
):
    settings.ARTICLES_TIME_ZONE = "Asia/Tokyo"
    story = article_factory("Edge of time")
    page = desk_editor_client.get(change_url(story))
    data = change_form_data(page, **{f"{field}_0": "0001-01-01", f"{field}_1": "03:00:00"})
    response = desk_editor_client.post(change_url(story), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert Article.objects.get(pk=story.pk).version == story.version


@pytest.mark.parametrize("query", ["published_at__year=1", "published_at__year=9999"])
def test_admin_list_by_date_at_the_calendar_ends(settings, desk_editor_client, query):
    settings.ARTICLES_TIME_ZONE = "Asia/Tokyo"
    url = reverse("admin:articles_article_changelist")
    response = desk_editor_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize(
    "since", ["0001-01-01T03:00:00+09:00", "0001-01-01T00:00:00", "9999-12-31T23:00:00-05:00"]
)
def test_api_since_at_the_calendar_ends_is_a_bad_request(client, article_factory, since):
    article_factory()
    response = client.get(reverse("articles:api_list"), {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()["error"]


def test_api_since_early_but_convertible_still_lists(client, article_factory):
    story = article_factory()
    response = client.get(reverse("articles:api_list"), {"since": "0001-01-03T00:00:00+09:00"})
    assert response.status_code == 200
    assert [item["uri"].rstrip("/").rsplit("/", 1)[-1] for item in response.json()] == [story.slug]


def test_importer_skips_a_post_dated_year_one_with_its_reason(tmp_path):
    from tests.test_import_wxr import run_failing
    from tests.wxr_exports import export, post

    path = tmp_path / "export.xml"
    path.write_text(
        export(post(1, "Ancient", date_gmt="0001-01-01 00:00:00"), post(2, "Good")),
        encoding="utf-8",
    )
    _out, err, summary = run_failing(path)
    assert "post 1 “Ancient”" in err and "30 December 9999" in err
    assert "1 item skipped" in summary
    assert list(Article.objects.values_list("headline", flat=True)) == ["Good"]


def test_a_correction_dated_year_one_east_of_utc_is_refused(settings, article_factory):
    from django.core.exceptions import ValidationError
    from django.utils.dateparse import parse_datetime

    from articles.models import Correction

    note = Correction(
        article=article_factory(),
        text="Fixed.",
        created_at=parse_datetime("0001-01-01T03:00:00+09:00"),
    )
    with pytest.raises(ValidationError) as error:
        note.full_clean()
    assert "created_at" in error.value.message_dict
