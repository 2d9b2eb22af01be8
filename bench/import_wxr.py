"""Benchmark the WordPress importer on a generated export of many posts.

    .venv/bin/python bench/import_wxr.py [--posts 20000] [--keep DIR]

It writes an export (posts with categories, tags, a [caption] figure, a
shortcode and an embed; one attachment per 20 posts), then measures, in the
same run and on the same file:

1. the baseline: a bare lxml iterparse that reads every <item> and frees it;
2. the import into a fresh SQLite database (WAL, as in production);
3. a rerun of the import: every item unchanged, nothing written.

Rates are items per second, memory is the process's peak resident set
(``resource.getrusage``); both are also given as ratios to the baseline,
which keeps them comparable across machines.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = [
    "council",
    "harbour",
    "flood",
    "budget",
    "school",
    "election",
    "river",
    "storm",
    "market",
    "festival",
    "court",
    "hospital",
    "bridge",
    "mayor",
    "teachers",
    "rail",
    "strike",
    "weather",
    "housing",
    "library",
    "museum",
    "police",
]


def write_export(path: Path, posts: int, seed: int = 7) -> int:
    """Write a WXR 1.2 export of ``posts`` posts; return the number of items."""
    rng = random.Random(seed)
    attachments = posts // 20
    items = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench Gazette</title><link>https://bench.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n"
        )
        for n in range(5):
            out.write(
                f"<wp:author><wp:author_login>writer{n}</wp:author_login>"
                f"<wp:author_display_name>Writer {n}</wp:author_display_name></wp:author>\n"
            )
        for n in range(1, attachments + 1):
            out.write(
                f"<item><title>Photo {n}</title><wp:post_id>{n}</wp:post_id>"
                "<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                f"<wp:attachment_url>https://bench.example/wp-content/uploads/2024/01/p{n}.jpg"
                "</wp:attachment_url><excerpt:encoded><![CDATA[A caption.]]></excerpt:encoded>"
                "<dc:creator>writer0</dc:creator></item>\n"
            )
            items += 1
        for n in range(attachments + 1, attachments + posts + 1):
            words = [rng.choice(WORDS) for _ in range(300)]
            paragraphs = "\n\n".join(" ".join(words[i : i + 50]) for i in range(0, 300, 50))
            photo = rng.randint(1, max(attachments, 1))
            body = (
                f'[caption id="attachment_{photo}" width="600"]<img src="x.jpg" alt="A">'
                f" The {words[0]} at dawn.[/caption]\n\n{paragraphs}\n\n"
                f'[gallery ids="1,2"]\nhttps://www.youtube.com/watch?v=v{n}\n'
            )
            day = 1 + n % 28
            out.write(
                f"<item><title>The {words[1]} and the {words[2]} ({n})</title>"
                f"<link>https://bench.example/2024/02/{day:02d}/story-{n}/</link>"
                f"<dc:creator>writer{n % 5}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example/?p={n}</guid>'
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[The {words[3]} story.]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt>2024-02-{day:02d} 10:00:00</wp:post_date_gmt>"
                f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="{words[4]}">{words[4]}</category>'
                f'<category domain="post_tag" nicename="{words[5]}">{words[5]}</category>'
                f'<category domain="post_tag" nicename="{words[6]}">{words[6]}</category>'
                f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                f"<wp:meta_value>{photo}</wp:meta_value></wp:postmeta></item>\n"
            )
            items += 1
        out.write("</channel>\n</rss>\n")
    return items


def bare_iterparse(path: Path) -> int:
    from lxml import etree

    count = 0
    for _event, elem in etree.iterparse(str(path), events=("end",), tag="item"):
        count += 1
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    return count


def fresh_database(directory: Path, name: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    path = directory / f"{name}.sqlite3"
    path.unlink(missing_ok=True)
    connections["default"].settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0)


def sqlite_for_production(sender, connection, **kwargs) -> None:
    """Use WAL and normal syncing, as a production SQLite site would, not a commit per fsync."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds (user + system) ``work()`` took."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="write the export and databases here")
    args = parser.parse_args()

    work_dir = args.keep or Path(tempfile.mkdtemp(prefix="bench-wxr-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    import django

    django.setup()
    from articles.importers.wxr import import_wxr

    export = work_dir / "export.xml"
    items = write_export(export, args.posts)
    size_mb = export.stat().st_size / 1e6
    print(f"export: {items} items ({args.posts} posts), {size_mb:.1f} MB")

    from django.db.backends.signals import connection_created

    connection_created.connect(sqlite_for_production)
    fresh_database(work_dir, "bench")
    # The process's peak resident memory only grows: measure the baseline first,
    # with Django loaded and migrated, so the import's increase over it is its own.
    base_s = timed(lambda: bare_iterparse(export))
    base_rss = max_rss_mb()
    reports = []
    imp_s = timed(lambda: reports.append(import_wxr(export)))
    imp_rss = max_rss_mb()
    rerun_s = timed(lambda: reports.append(import_wxr(export)))
    rerun_rss = max_rss_mb()

    first, rerun = reports
    assert first.articles["created"] == args.posts, first.articles
    assert rerun.articles["unchanged"] == args.posts, rerun.articles

    def row(label, times, rss):
        (wall, cpu), (base_wall, base_cpu) = times, base_s
        print(
            f"{label:<22} wall {wall:7.1f} s {items / wall:7.0f} items/s"
            f" ({base_wall / wall:.4f} x baseline); CPU {cpu:7.1f} s {items / cpu:7.0f} items/s"
            f" ({base_cpu / cpu:.4f} x baseline); peak RSS {rss:4.0f} MB"
            f" ({rss / base_rss:.2f} x baseline)"
        )

    row("baseline iterparse", base_s, base_rss)
    row("import (first run)", imp_s, imp_rss)
    row("import (rerun, no-op)", rerun_s, rerun_rss)
    print(f"files in {work_dir}")


if __name__ == "__main__":
    main()
