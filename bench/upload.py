"""Uploading a 24-megapixel JPEG in the admin: renditions in the request vs in the task worker.

    .venv/bin/python bench/upload.py [--repeat 3] [--megapixels 24]

Both paths run in the same run, on the same file, through the admin's add form
(Django's test client, the demo site's settings with DEBUG off, a SQLite file):

- **in the request** (before): django-tasks' ``ImmediateBackend`` runs the rendition
  task inside the request, once its transaction commits, which is exactly what
  ``articles.tasks.schedule_renditions()`` did before the task worker;
- **queued** (now): ``django_tasks_db.DatabaseBackend``; the request writes a task row
  and django-tasks-db's worker (``db_worker --batch``, run in the same process so its
  CPU is measured alike) makes the renditions.

Every number comes from a fresh child process (one per path and repeat) after a
warm-up upload of a small photo, so imports and template compilation are not
counted. Reported, as ratios now/before: the upload's response time (wall clock,
median), and the CPU (process time) to have the full rendition set ready: the
request's plus the worker's, against the request's alone. The worker process's own
start-up, paid once for any number of photos, is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = {
    "before": "django_tasks.backends.immediate.ImmediateBackend",
    "now": "django_tasks_db.DatabaseBackend",
}


def setup(folder: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{folder / 'upload.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(folder: Path) -> None:
    """Migrate the database and make the editor who uploads."""
    setup(folder)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")


def child(path: str, mode: str, folder: Path) -> None:
    setup(folder)
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from PIL import Image as PILImage

    from articles.models import Image

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    url = reverse("admin:articles_image_add")

    def upload(name: str, content: bytes) -> float:
        data = {"file": SimpleUploadedFile(name, content, "image/jpeg"), "credit": "Bench/Desk"}
        data |= {"alt_text": "A benchmark photo", "focal_x": 40, "focal_y": 45}
        start = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - start
        assert response.status_code == 302, response.content[:2000]
        return seconds

    def run_worker() -> None:
        if mode == "now":  # before, the request has made them already
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    small = Path(folder / "small.jpg")
    PILImage.new("RGB", (1200, 800), (90, 120, 200)).save(small, "JPEG")
    content = Path(path).read_bytes()
    with override_settings(TASKS={"default": {"BACKEND": BACKENDS[mode]}}):
        upload("warm-up.jpg", small.read_bytes())
        run_worker()
        cpu = time.process_time()
        response_seconds = upload("camera.jpg", content)
        request_cpu = time.process_time() - cpu
        photo = Image.objects.latest("pk")
        queued_status = photo.renditions_status
        cpu = time.process_time()
        run_worker()
        worker_cpu = time.process_time() - cpu
    photo.refresh_from_db()
    assert photo.renditions_status == "ready", photo.renditions_error
    print(
        json.dumps(
            {
                "response": response_seconds,
                "request_cpu": request_cpu,
                "worker_cpu": worker_cpu,
                "status_on_response": queued_status,
            }
        )
    )


def measure(path: Path, mode: str, folder: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), mode, str(folder)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out.splitlines()[-1]))
    return {
        "response": statistics.median(r["response"] for r in runs),
        "cpu": statistics.median(r["request_cpu"] + r["worker_cpu"] for r in runs),
        "request_cpu": statistics.median(r["request_cpu"] for r in runs),
        "worker_cpu": statistics.median(r["worker_cpu"] for r in runs),
        "status": runs[0]["status_on_response"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--megapixels", type=int, default=24)
    parser.add_argument(
        "--child", nargs=3, metavar=("FILE", "MODE", "FOLDER"), help=argparse.SUPPRESS
    )
    parser.add_argument("--prepare", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    if args.prepare:
        prepare(Path(args.prepare))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "camera.jpg"
        made = subprocess.run(
            [
                sys.executable,
                ROOT / "bench" / "renditions.py",
                "--make",
                str(args.megapixels),
                path,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        width, height = map(int, made.split())
        size = path.stat().st_size / 1024 / 1024
        print(f"Photo: {width} x {height} px ({width * height / 1e6:.1f} MP), {size:.1f} MiB JPEG")
        subprocess.run([sys.executable, __file__, "--prepare", str(folder)], check=True)
        before = measure(path, "before", folder, args.repeat)
        now = measure(path, "now", folder, args.repeat)
        header = (
            ("response s", 11),
            ("request CPU s", 15),
            ("worker CPU s", 14),
            ("total CPU s", 13),
        )
        print(f"{'path':<22}" + "".join(f"{name:>{width}}" for name, width in header))
        for label, row in (("in the request", before), ("queued for the worker", now)):
            print(
                f"{label:<22}{row['response']:>11.3f}{row['request_cpu']:>15.3f}"
                f"{row['worker_cpu']:>14.3f}{row['cpu']:>13.3f}"
            )
        print(f"photo's state when the upload answers (queued): {now['status']}")
        response_ratio = now["response"] / before["response"]
        print(f"upload response ratio (queued / in the request): {response_ratio:.3f}")
        print(f"rendition CPU ratio (queued / in the request):   {now['cpu'] / before['cpu']:.3f}")


if __name__ == "__main__":
    main()
