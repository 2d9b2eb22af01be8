"""Benchmark: related-story suggestions on a large archive.

    .venv/bin/python bench/related.py                 # 100,000 stories in a SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/related.py

Builds the archive once (reused on later runs of the same size), then times, for a
sample of public stories, the whole "More from ..." module (``related_items``) and
two baselines measured in the same run on the same stories, so the ratios hold on
any machine:

- *floor*: the section's four latest stories, the cheapest module one could serve;
- *skeleton*: the walking skeleton's ranking (count of shared tags over every story
  sharing a tag or the section), which this issue replaced.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/newsroom-bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section, Status, Tag, TaggedArticle  # noqa: E402
from articles.models.related import related_items  # noqa: E402
from articles.text import tag_key  # noqa: E402


def build(size: int, vocabulary: int, seed: int) -> None:
    """Fill the database with ``size`` stories tagged from a Zipf-like vocabulary."""
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        TaggedArticle.objects.all().delete()
        Article.objects.all().delete()
        Tag.objects.all().delete()
        Section.objects.all().delete()
        sections = Section.objects.bulk_create(
            [Section(name=f"Section {i}", slug=f"section-{i}") for i in range(12)]
        )
        tags = Tag.objects.bulk_create(
            [
                Tag(name=f"Subject {i}", key=tag_key(f"Subject {i}"), slug=f"subject-{i}")
                for i in range(vocabulary)
            ],
            batch_size=1000,
        )
        # Zipf-like: tag i is drawn with weight 1 / (i + 1).
        weights = [1 / (i + 1) for i in range(vocabulary)]
        batch = 5000
        for start in range(0, size, batch):
            articles = Article.objects.bulk_create(
                [
                    Article(
                        headline=f"Story {n}",
                        slug=f"story-{n}",
                        body="<p>Body.</p>",
                        section=rng.choice(sections),
                        status=Status.DRAFT if rng.random() < 0.05 else Status.PUBLISHED,
                        published_at=now - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60)),
                    )
                    for n in range(start, min(start + batch, size))
                ]
            )
            links = []
            for article in articles:
                chosen = {t.pk for t in rng.choices(tags, weights, k=rng.randint(2, 8))}
                links += [TaggedArticle(content_object_id=article.pk, tag_id=pk) for pk in chosen]
            TaggedArticle.objects.bulk_create(links, batch_size=5000)
    # Fresh statistics, as a production database would have, so the planner picks indexes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def floor(article, now):
    return list(
        Article.objects.published(now)
        .for_cards()
        .filter(section_id=article.section_id)
        .exclude(pk=article.pk)[:4]
    )


def skeleton(article, now):
    tag_ids = [tag.pk for tag in article.tags.all()]
    shares_tag = Q(tagged_items__tag_id__in=tag_ids)
    return list(
        Article.objects.published(now)
        .for_cards()
        .filter(shares_tag | Q(section_id=article.section_id))
        .exclude(pk=article.pk)
        .annotate(shared_tags=Count("tagged_items", filter=shares_tag, distinct=True))
        .order_by("-shared_tags", "-published_at", "-pk")[:4]
    )


def module(article, now):
    return related_items(article, 4)


def measure(function, articles, now):
    timings, queries = [], []
    for article in articles:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            function(article, now)
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="stories in the archive")
    parser.add_argument("--vocabulary", type=int, default=5_000, help="distinct tags")
    parser.add_argument("--sample", type=int, default=200, help="stories to time")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Article.objects.count() != args.size:
        print(f"building {args.size:,} stories ({connection.vendor}) ...", flush=True)
        start = time.perf_counter()
        build(args.size, args.vocabulary, args.seed)
        print(f"built in {time.perf_counter() - start:.0f} s", flush=True)

    now = timezone.now()
    ids = list(Article.objects.published(now).values_list("pk", flat=True))
    sample_ids = random.Random(args.seed).sample(ids, min(args.sample, len(ids)))
    # The article page loads the story with its tags prefetched; so do we, untimed.
    articles = list(Article.objects.for_detail().filter(pk__in=sample_ids))
    for function in (floor, skeleton, module):  # warm caches
        measure(function, articles[:10], now)
    results = {f.__name__: measure(f, articles, now) for f in (floor, skeleton, module)}

    print(f"{connection.vendor}, {args.size:,} stories, {len(articles)} sampled")
    for name, result in results.items():
        print(
            f"  {name:9} median {result['median']:7.2f} ms  p95 {result['p95']:7.2f} ms  "
            f"queries {result['queries']}"
        )
    new, old, low = results["module"], results["skeleton"], results["floor"]
    print(
        f"  ratios (median): module/floor {new['median'] / low['median']:.1f}x, "
        f"module/skeleton {new['median'] / old['median']:.2f}x"
    )


if __name__ == "__main__":
    main()
