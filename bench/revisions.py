"""Measure what revisions cost: snapshot size, and the time to record, diff and restore one.

Run against a database with the demo content (``make demo``), e.g.:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/revisions.py

Everything it writes is rolled back.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles import revisions  # noqa: E402
from articles.models import Article  # noqa: E402

ROUNDS = 50


def timed(fn) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(ctx.captured_queries)


def main() -> None:
    article = Article.objects.published().filter(related_links__isnull=False).first()
    if article is None:
        sys.exit("No demo content: run `make demo` (or load_demo) on this database first.")
    with transaction.atomic():
        sizes, records, diffs = [], [], []
        first = revisions.record(article, comment="bench")
        for i in range(ROUNDS):
            article.body += f"<p>Paragraph {i} added by the benchmark.</p>"
            article.save()
            records.append(timed(lambda: revisions.record(article)))
            latest = article.revisions.first()
            sizes.append(len(json.dumps(latest.snapshot)))
            diffs.append(
                timed(lambda latest=latest: revisions.diff(first.snapshot, latest.snapshot))[0]
            )
        restore_ms, restore_queries = timed(lambda: revisions.restore(first))
        transaction.set_rollback(True)

    print(f"story: {article.headline!r} on {connection.vendor}")
    print(f"snapshot size: median {statistics.median(sizes):.0f} bytes, max {max(sizes)} bytes")
    print(
        f"record: median {statistics.median(ms for ms, _ in records):.2f} ms, "
        f"{records[0][1]} queries"
    )
    print(f"diff (first vs {ROUNDS} edits later): median {statistics.median(diffs):.2f} ms")
    print(f"restore: {restore_ms:.2f} ms, {restore_queries} queries")


if __name__ == "__main__":
    main()
