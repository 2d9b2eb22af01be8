"""Photo renditions made by a real task worker process (django-tasks-db's ``db_worker``).

The worker runs as a separate process against the test database (a file on
SQLite, the test database on PostgreSQL), as it does in production. Every wait
has a deadline, so a broken worker fails the test instead of hanging it; no
assertion is about how long anything took.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

from articles.conf import app_settings
from articles.models import Image
from articles.tasks import schedule_renditions
from tests.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 120  # seconds; a loaded CI machine makes a 24-megapixel set in a few


def database_url() -> str:
    """Return a DATABASE_URL for the test database, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip(
                "the worker process needs the SQLite test database in a file: "
                "`make test` runs these again with NEWSROOM_TEST_SQLITE_FILE=1"
            )
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
        host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        return f"postgres://{quote(db['USER'] or '')}{password}@{host}/{db['NAME']}"
    pytest.skip(f"no worker test for {connection.vendor}")


class Worker:
    """A ``manage.py db_worker`` process with the test's settings, database and media folder."""

    def __init__(self, media_root: Path, log: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media_root),
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "django", "db_worker"),
                    *("--no-reload", "--no-startup-delay", "--interval", "0.1", "--verbosity", "2"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """Kill the process at once (SIGKILL): no clean-up, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_until(self, condition, what: str):
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if value := condition():
                return value
            if self.process and self.process.poll() is not None:
                break
            time.sleep(0.02)
        pytest.fail(f"Gave up waiting until {what}. Worker log:\n{self.log.read_text()}")


@pytest.fixture
def worker(media_root, tmp_path):
    """A worker, not yet started (``worker.start()``); stopped after the test."""
    made = []

    def make() -> Worker:
        made.append(Worker(media_root, tmp_path / "worker.log"))
        return made[-1]

    yield make
    for each in made:
        each.stop()


def status_of(photo: Image) -> str:
    photo.refresh_from_db()
    return photo.renditions_status


def camera_jpeg(width: int = 6000, height: int = 4000) -> bytes:
    """A 24-megapixel JPEG with detail in it, slow enough to encode to catch a task running."""
    noise = PILImage.effect_noise((width, height), 40)
    picture = PILImage.merge(
        "RGB", (noise, noise.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT), noise)
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_an_upload_is_processing_until_the_worker_has_made_its_renditions(
    editor_client, article_factory, worker
):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": upload("w.jpg", jpeg_bytes(1200, 800)), "credit": "AP/Y", "alt_text": "Alt"}
        | {"focal_x": 50, "focal_y": 50},
        follow=True,
    )
    photo = Image.objects.get()
    assert "Processing…" in response.content.decode()
    page = article_factory(lead_image=photo).get_absolute_url()
    html = editor_client.get(page).content.decode()
    assert photo.file.url not in html and 'class="photo' not in html  # no photo, not the original

    running = worker().start()
    running.wait_until(lambda: status_of(photo) == "ready", "the photo's renditions are made")
    html = editor_client.get(page).content.decode()
    assert 'class="photo' in html and f"/media/{photo.renditions_key}/" in html
    assert f'src="{photo.file.url}"' not in html  # the figure shows renditions
    change_page = editor_client.get(reverse("admin:articles_image_change", args=[photo.pk]))
    assert "Ready" in change_page.content.decode()


def test_a_failing_task_is_retried_then_shown_failed_with_its_reason(
    editor_client, image_factory, worker
):
    photo = image_factory(renditions=False)
    good = photo.file.read()
    with open(photo.file.path, "wb") as damaged:
        damaged.write(b"not a photo any more")
    schedule_renditions(photo)
    running = worker().start()
    attempts = app_settings.RENDITION_ATTEMPTS
    running.wait_until(
        # The photo says "failed" a moment before the worker records the last attempt.
        lambda: DBTaskResult.objects.filter(status="FAILED").count() == attempts,
        "every attempt has failed",
    )
    assert status_of(photo) == "failed" and photo.renditions_attempts == attempts
    listing = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "Failed: The photo&#x27;s stored file cannot be read as a picture" in listing
    assert Path(photo.file.path).exists()  # nothing lost: the editor can put it right

    with open(photo.file.path, "wb") as repaired:
        repaired.write(good)
    response = editor_client.post(
        reverse("admin:articles_image_changelist"),
        {"action": "retry_renditions", "_selected_action": [photo.pk]},
        follow=True,
    )
    assert "1 photo queued for processing." in response.content.decode()
    running.wait_until(lambda: status_of(photo) == "ready", "the retried photo is ready")
    assert (photo.renditions_error, photo.renditions_attempts) == ("", 0)


def test_a_photo_whose_worker_was_killed_mid_task_is_made_after_a_restart(image_factory, worker):
    photo = image_factory(content=camera_jpeg(), renditions=False)
    schedule_renditions(photo)
    first = worker().start()
    first.wait_until(
        lambda: DBTaskResult.objects.filter(status="RUNNING").exists(), "the task is running"
    )
    first.kill()
    # Killed mid-task: no renditions, and django-tasks-db keeps the task as running for ever.
    assert status_of(photo) == "pending" and not photo.renditions_ready
    assert DBTaskResult.objects.get().status == "RUNNING"

    # Starting workers again: `make_renditions --enqueue` first (as `make run` does).
    call_command("make_renditions", "--enqueue", stdout=io.StringIO())
    second = worker().start()
    second.wait_until(lambda: status_of(photo) == "ready", "the photo's renditions are made")
    for rendition in photo.renditions("original", "jpeg"):
        with PILImage.open(default_storage.path(rendition.url.removeprefix("/media/"))) as made:
            made.load()  # complete files, not the half-written ones of the killed worker
            assert made.width == rendition.width
