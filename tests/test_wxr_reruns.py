"""A rerun of an unchanged export writes no row; a changed one says what changed; dry runs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Image, Section, Tag, WordPressOrigin
from tests.wxr_exports import VERSIONS, attachment, author, export, post, run, run_failing

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def everything(version="1.2", title="One"):
    return export(
        post(1, title, tags=("floods",), meta={"_thumbnail_id": "10"}),
        post(2, "Two", creator="ghost", date_gmt=None),
        post(None, "No id", name="no-id"),
        attachment(10, caption="Crowds."),
        attachment(11, path="2024/03/missing.jpg"),
        version=version,
        authors=author() + author("kim", "Kim Lee"),
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_rerun_writes_no_row_and_says_nothing_changed(write, media, version):
    path = write(everything(version))
    run(path, "--media-dir", str(media))
    stamps = list(WordPressOrigin.objects.order_by("pk").values_list("pk", "imported_at"))
    with CaptureQueriesContext(connection) as queries:
        out, _err = run(path, "--media-dir", str(media))
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert "Nothing changed" in out
    assert "articles:            3 unchanged" in out
    assert "photos:              2 unchanged" in out
    assert "authors:             2 unchanged" in out
    assert list(WordPressOrigin.objects.order_by("pk").values_list("pk", "imported_at")) == stamps


def test_a_changed_export_lists_each_changed_story_and_why(write, media):
    run(write(everything()), "--media-dir", str(media))
    out, _err = run(write(everything(title="One, corrected")), "--media-dir", str(media))
    assert "Nothing changed" not in out
    assert "articles:            2 unchanged, 1 updated" in out
    assert "  changed:             1\n" in out
    assert "post 1 “One, corrected”: updated (headline)" in out


def test_dry_run_reports_without_writing(write, media):
    path = write(everything())
    out, _err = run(path, "--dry-run", "--media-dir", str(media))
    assert out.startswith("Dry run, nothing was saved.")
    assert "articles:            3 created" in out
    assert "photos:              1 created, 1 file missing" in out
    assert "authors:             2 created" in out
    assert "post 2 “Two”: unknown author “ghost”; imported without a byline" in out
    assert "https://example.com/wp-content/uploads/2024/03/missing.jpg" in out
    for model in (Article, Author, Image, Section, Tag, WordPressOrigin):
        assert not model.objects.exists(), model


def test_dry_run_lists_every_skipped_item_with_its_reason(write):
    items = [post(n, f"Bad {n}", date_gmt="2024-13-45 99:00:00") for n in range(1, 61)]
    _out, err, _summary = run_failing(write(export(*items)), "--dry-run")
    assert err.count("Skipped line") == 60
    assert "post 60 “Bad 60”: broken date “2024-13-45 99:00:00”" in err
