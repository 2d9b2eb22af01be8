"""Edge cases of real exports, each in a generated WXR 1.0, 1.1 and 1.2 file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, WordPressOrigin
from tests.wxr_exports import VERSIONS, export, post, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(tmp_path):
    def make(text: str, name: str = "export.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.mark.parametrize("version", VERSIONS)
def test_post_without_a_date_is_dated_at_import(write, version, client):
    out, _err = run(write(export(post(1, "Undated", date_gmt=None), version=version)))
    article = Article.objects.get()
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert "post 1 “Undated”: no date; dated at import" in out
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_undated_post_keeps_its_import_date_on_a_rerun(write, version):
    path = write(export(post(1, "Undated", date_gmt=None), version=version))
    run(path)
    first = Article.objects.get().published_at
    out, _err = run(path)
    assert "articles:            1 unchanged" in out
    assert Article.objects.get().published_at == first


@pytest.mark.parametrize("version", VERSIONS)
def test_posts_without_an_id_are_imported_once(write, version, client):
    items = (
        post(None, "First", name="first"),
        post(None, "Second", name="second"),
    )
    path = write(export(*items, version=version))
    run(path)
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["First", "Second"]
    out, _err = run(path)
    assert "articles:            2 unchanged" in out
    assert Article.objects.count() == 2
    assert WordPressOrigin.objects.filter(kind="post").count() == 2
    response = client.get("/2024/03/01/second/")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(headline="Second").get_absolute_url()
