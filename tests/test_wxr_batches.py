"""An import works in chunks: a few queries per chunk, one suggestions task, one page refresh."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from articles.importers import wxr as wxr_module
from articles.models import Article
from articles.signals import pages_changed
from tests.wxr_exports import export, post, run

pytestmark = pytest.mark.django_db


def many(n: int, title: str = "Story") -> str:
    return export(
        *(post(i, f"{title} {i}", tags=("floods",), name=f"s{i}") for i in range(1, n + 1))
    )


@pytest.fixture
def purges():
    received = []

    def receiver(sender, paths, site_wide, scopes, **kwargs):
        received.append(site_wide)

    pages_changed.connect(receiver)
    yield received
    pages_changed.disconnect(receiver)


def test_reading_a_rerun_takes_a_query_per_chunk_not_per_post(write, monkeypatch):
    monkeypatch.setattr(wxr_module, "CHUNK", 25)
    path = write(many(50))
    run(path)
    with CaptureQueriesContext(connection) as queries:
        out, _err = run(path)
    assert "articles:            50 unchanged" in out
    origins = [q for q in queries if 'FROM "articles_wordpressorigin"' in q["sql"]]
    # The header's author, then three chunks of posts (the author took a place in the first).
    assert len(origins) == 1 + 3
    savepoints = [q for q in queries if "SAVEPOINT" in q["sql"]]
    assert len(queries) - len(savepoints) < 15  # beside each post's savepoint


def test_a_first_import_writes_a_story_in_a_few_queries(write, monkeypatch):
    path = write(many(40))
    with CaptureQueriesContext(connection) as queries:
        run(path)
    assert Article.objects.count() == 40
    # Per story: its savepoint, its row and its origin's; bylines and tags go per chunk.
    assert len(queries) <= 5 * 40 + 40


def test_an_import_queues_one_suggestions_task_for_all_its_stories(
    write, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(write(many(3)))
    tasks = DBTaskResult.objects.filter(task_path="articles.tasks.refresh_story_suggestions")
    assert tasks.count() == 1
    ids = sorted(Article.objects.values_list("pk", flat=True))
    assert tasks.get().args_kwargs["args"] == [ids]


def test_an_import_refreshes_cached_pages_once_and_a_rerun_not_at_all(
    write, page_cache, purges, django_capture_on_commit_callbacks
):
    path = write(many(3))
    with django_capture_on_commit_callbacks(execute=True):
        run(path)
    assert purges == [True]  # once, site-wide: lists, sections, tags and authors all changed
    with django_capture_on_commit_callbacks(execute=True):
        run(path)
    assert purges == [True]
