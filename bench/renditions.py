"""How long, and how much memory, a 24-megapixel photo's renditions take.

    .venv/bin/python bench/renditions.py [--repeat 3] [--megapixels 24]

Every number is measured in a fresh child process (peak memory is the growth of
the child's peak resident set size over what it held before the work, which
counts Pillow's C allocations that tracemalloc misses; the photo is drawn in
another child so that its memory never shows up). Times are the median of
``--repeat`` runs. Results are reported as ratios against a baseline measured in
the same run on the same file: a plain Pillow decode and LANCZOS resize to 1920 px.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_photo(path: Path, megapixels: int) -> tuple[int, int]:
    """Write a camera-like JPEG (3:2, noisy gradients) of about ``megapixels``."""
    from PIL import Image, ImageFilter

    width = int((megapixels * 1_000_000 * 1.5) ** 0.5)
    height = width * 2 // 3
    noise = Image.effect_noise((width, height), 40)
    ramp = Image.linear_gradient("L").resize((width, height))
    blurred = noise.filter(ImageFilter.BoxBlur(2))
    picture = Image.merge("RGB", (ramp, blurred, Image.blend(ramp, noise, 0.3)))
    picture.save(path, "JPEG", quality=90)
    return width, height


def high_water_kib() -> int:
    """Return the process's peak resident memory so far, in KiB.

    Linux's VmHWM belongs to the address space made by exec, so unlike ``ru_maxrss``
    it does not start at the parent's peak.
    """
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(task: str, path: str) -> None:
    import django
    from django.conf import settings

    sys.path.insert(0, str(ROOT))
    settings.configure(INSTALLED_APPS=[], USE_TZ=True)
    django.setup()
    from PIL import Image

    from articles import imaging
    from articles.conf import app_settings

    before = high_water_kib()
    start = time.perf_counter()
    files = 0
    if task == "baseline":
        with Image.open(path) as picture:
            picture.load()
            ratio = 1920 / picture.width
            picture.resize((1920, round(picture.height * ratio)), Image.Resampling.LANCZOS)
        files = 1
    elif task == "verify":
        with open(path, "rb") as fh:
            imaging.inspect_photo(fh)
            imaging.read_photo_metadata(fh)
    elif task == "renditions":
        with open(path, "rb") as fh:
            facts = imaging.inspect_photo(fh)
            specs = imaging.plan_renditions(
                facts.width, facts.height, app_settings.IMAGE_RENDITION_WIDTHS
            )
            for _spec, _data in imaging.make_renditions(fh, specs, 40, 45):
                files += 1
    elif task == "renditions-jpeg-1920":
        # The same work as the baseline through the app: one 1920 px JPEG.
        with open(path, "rb") as fh:
            specs = imaging.plan_renditions(
                *Image.open(path).size, (1920,), ratios=["original"], formats=["jpeg"]
            )
            files = sum(1 for _ in imaging.make_renditions(fh, specs))
    seconds = time.perf_counter() - start
    peak = high_water_kib()
    print(json.dumps({"seconds": seconds, "peak_kib": peak - before, "files": files}))


def measure(task: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", task, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": max(r["peak_kib"] for r in runs) / 1024,
        "files": runs[0]["files"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--megapixels", type=int, default=24)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, metavar=("MP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        print(*make_photo(Path(args.make[1]), int(args.make[0])))
        return
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        made = subprocess.run(
            [sys.executable, __file__, "--make", str(args.megapixels), str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        width, height = map(int, made.split())
        size = os.path.getsize(path) / 1024 / 1024
        print(f"Photo: {width} x {height} px ({width * height / 1e6:.1f} MP), {size:.1f} MiB JPEG")
        base = measure("baseline", path, args.repeat)
        print(f"{'task':<34}{'files':>6}{'time':>10}{'x base':>9}{'peak MiB':>10}{'x base':>9}")
        rows = [
            ("baseline: Pillow decode+resize 1920", base),
            ("app: one 1920 px JPEG", measure("renditions-jpeg-1920", path, args.repeat)),
            ("app: verify upload + read metadata", measure("verify", path, args.repeat)),
            ("app: every rendition (all crops)", measure("renditions", path, args.repeat)),
        ]
        for name, row in rows:
            print(
                f"{name:<34}{row['files']:>6}{row['seconds']:>9.2f}s"
                f"{row['seconds'] / base['seconds']:>9.2f}"
                f"{row['peak_mib']:>10.0f}{row['peak_mib'] / max(base['peak_mib'], 1):>9.2f}"
            )


if __name__ == "__main__":
    main()
