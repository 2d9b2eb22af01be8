"""Serve the site with gunicorn, drive it with wrk, compare each page class with a bare view.

Run through ``bench/run`` (see bench/README.md). Reads the database from
DATABASE_URL like the site; fill it first with ``manage.py seed_bench``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

LUA = """
local paths = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


@dataclass
class Result:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass
class PageClass:
    name: str
    paths: list[str]
    sizes: list[int] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    site: Result = field(default_factory=Result)
    bare: Result = field(default_factory=Result)
    memory_kib: int = 0


def sample_paths(count: int, rng: random.Random) -> list[PageClass]:
    """Pick ``count`` public URLs of every page class that exists in this checkout."""
    from django.db.models import Max
    from django.urls import NoReverseMatch, reverse

    from articles.conf import app_settings
    from articles.models import Article, Author, Section, Tag

    top = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    ids = rng.sample(range(1, top + 1), min(top, count * 5))
    stories = list(
        Article.objects.published().filter(pk__in=ids).values_list("slug", "headline")[:count]
    )
    slugs = [slug for slug, _ in stories]
    # Search for words of real headlines: common and rare words, each with results.
    words = [headline.split()[-1].lower() for _, headline in stories]

    def some(model) -> list[str]:
        found = list(model.objects.values_list("slug", flat=True))
        return rng.sample(found, min(len(found), count))

    sections, tags, authors = some(Section), some(Tag), some(Author)
    pages = Article.objects.published().count() // app_settings.PAGE_SIZE
    deep = min(5000, max(1, pages // 2))

    def deep_link(number: int) -> str:
        """Page ``number`` of the home page as its "Older stories" link names it (by key)."""
        if number == 1:
            return url("home")
        from articles.pagination import encode_cursor

        size = app_settings.PAGE_SIZE
        when, pk = Article.objects.published().values_list("published_at", "pk")[
            (number - 1) * size - 1
        ]
        return f"{url('home')}?{urlencode({'page': number, 'before': encode_cursor(when, pk)})}"

    def url(name, **kwargs) -> str:
        return reverse(f"articles:{name}", kwargs=kwargs or None)

    classes = [
        PageClass("article", [url("article", slug=s) for s in slugs]),
        PageClass("home", [url("home")]),
        PageClass(f"home page {deep}", [deep_link(deep)]),
        PageClass("section", [url("section", slug=s) for s in sections]),
        PageClass("tag", [url("tag", slug=s) for s in tags]),
        PageClass("author", [url("author", slug=s) for s in authors]),
        PageClass(
            "feed",
            [url("feed_rss"), url("feed_atom")] + [url("section_rss", slug=s) for s in sections],
        ),
        PageClass(
            "sitemap",
            [url("sitemap"), url("sitemap_section", section="news")]
            + [url("sitemap_section", section=s) for s in ("sections", "tags")],
        ),
    ]

    def month_sitemaps() -> list[str]:
        # The newest month, the oldest and some between (one file per month since the split).
        from articles.sitemaps import story_months

        months = [month.start for month in story_months()]
        picked = {months[0], months[-1], *rng.sample(months, min(len(months), count))}
        return [url("sitemap_month", month=month) for month in sorted(picked)]

    optional = {
        "search": lambda: [f"{url('search')}?q={w}" for w in words],
        "API": lambda: [url("api_list")] + [url("api_detail", slug=s) for s in slugs],
        "month sitemap": month_sitemaps,
    }
    for name, make in optional.items():
        try:
            classes.append(PageClass(name, make()))
        except (NoReverseMatch, ImportError):
            print(f"(no {name} route in this checkout: skipped)", file=sys.stderr)
    return classes


def measure_in_process(classes: list[PageClass]) -> None:
    """Record each URL's size and the queries it runs (the second request, as a warm server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for page_class in classes:
        for path in page_class.paths:
            client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            page_class.sizes.append(len(response.content))
            page_class.queries.append(len(ctx.captured_queries))


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on port {port}")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def run_wrk(port: int, paths: list[str], args, workdir: Path) -> tuple[float, float, float, int]:
    script = workdir / "paths.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    out = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * UNITS[unit]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return rps, percentile("50"), percentile("99"), errors


def peak_memory_kib(master_pid: int) -> int:
    """Largest resident set (VmHWM) any gunicorn worker reached so far."""
    peak = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peak = max(peak, int(match.group(1)))
    return peak


def table(classes: list[PageClass], args) -> str:
    lines = [
        f"{args.label}: gunicorn {args.workers} sync workers, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds "
        "(site, bare, site, bare, ...)",
        "",
        "| page class | URLs | bytes | req/s | p50 ms | p99 ms | bare req/s | ratio | "
        "queries/page | worker peak MiB | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in classes:
        rps, bare = statistics.mean(c.site.rps), statistics.mean(c.bare.rps) or float("nan")
        lines.append(
            f"| {c.name} | {len(c.paths)} | {int(statistics.mean(c.sizes))} | {rps:.0f} | "
            f"{statistics.mean(c.site.p50):.1f} | {statistics.mean(c.site.p99):.1f} | "
            f"{bare:.0f} | {rps / bare:.3f} | {statistics.median(c.queries):g} "
            f"(max {max(c.queries)}) | {c.memory_kib / 1024:.0f} | {c.site.errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="site/bare pairs per page class")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=20, help="URLs per page class")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated page classes")
    parser.add_argument(
        "--page-cache", action="store_true", help="turn on the anonymous page cache"
    )
    args = parser.parse_args()
    if args.page_cache:
        os.environ["BENCH_PAGE_CACHE"] = "1"
    import django

    django.setup()
    from articles.conf import app_settings

    args.label = "page cache ON" if app_settings.PAGE_CACHE else "page cache off"

    from django.db import connection

    classes = sample_paths(args.samples, random.Random(args.seed))
    if args.only:
        wanted = set(args.only.split(","))
        classes = [c for c in classes if c.name in wanted]
    if not classes or not classes[0].paths:
        raise SystemExit("The database holds no stories: run manage.py seed_bench first.")
    measure_in_process(classes)
    print(
        f"{connection.vendor}, {connection.settings_dict['NAME']}: "
        f"{__import__('articles.models').models.Article.objects.count():,} articles",
        file=sys.stderr,
    )
    connection.close()

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "newsroom.wsgi",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        wait_for(args.port)
        with tempfile.TemporaryDirectory() as tmp:
            for c in classes:
                bare_paths = [f"/__bare__/{size}/" for size in c.sizes]
                for path in c.paths:  # every URL once: a warm server (and page cache)
                    with urlopen(f"http://127.0.0.1:{args.port}{path}", timeout=60) as answer:
                        answer.read()
                for paths in (c.paths, bare_paths):  # warm both up
                    run_wrk(
                        args.port,
                        paths,
                        argparse.Namespace(**{**vars(args), "duration": 1}),
                        Path(tmp),
                    )
                for _ in range(args.rounds):
                    for paths, result in ((c.paths, c.site), (bare_paths, c.bare)):
                        rps, p50, p99, errors = run_wrk(args.port, paths, args, Path(tmp))
                        result.rps.append(rps)
                        result.p50.append(p50)
                        result.p99.append(p99)
                        result.errors += errors
                c.memory_kib = peak_memory_kib(server.pid)
                print(f"  {c.name}: {statistics.mean(c.site.rps):.0f} req/s", file=sys.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(table(classes, args))


if __name__ == "__main__":
    main()
