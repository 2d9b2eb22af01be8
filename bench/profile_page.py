"""Profile one public URL in-process: where a request's time goes.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/profile_page.py /news/2026/...
    [--repeat 50] [--sort tottime] [--limit 40]

Requests the URL once to warm up, then ``--repeat`` times under cProfile, through
Django's test client with the benchmark's settings (DEBUG off), and prints the
mean wall-clock and CPU time per request (CPU time is the steadier
figure on a busy machine) and the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    client = Client()
    response = client.get(args.path)
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        client.get(args.path)
    plain = (time.perf_counter() - started) / args.repeat
    cpu = (time.process_time() - cpu_started) / args.repeat
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.disable()
    print(
        f"{args.path}: {plain * 1000:.2f} ms per request ({cpu * 1000:.2f} ms of CPU) "
        "without the profiler"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
