"""The make_renditions command: bulk (re)generation with a progress bar."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Image

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("make_renditions", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_makes_missing_renditions_with_a_progress_bar(image_factory):
    photos = [image_factory(renditions=False), image_factory(renditions=False)]
    output = run()
    assert "[###############...............] 1/2" in output
    assert "2/2" in output and "Renditions made for 2 of 2 photos" in output
    assert all(p.renditions_ready for p in Image.objects.filter(pk__in=[p.pk for p in photos]))


def test_a_second_run_has_nothing_to_do(image_factory):
    image_factory(renditions=True)
    assert "made for 0 of 1 photos" in run()


def test_force_remakes_the_given_photos_only(image_factory):
    first, _second = image_factory(renditions=True), image_factory(renditions=True)
    assert "made for 1 of 1 photos" in run("--force", str(first.pk))


def test_a_missing_file_is_reported_and_the_run_goes_on(image_factory):
    broken, fine = image_factory(renditions=False), image_factory(renditions=False)
    broken.file.storage.delete(broken.file.name)
    output = run()
    assert "made for 1 of 2 photos" in output and "1 failed" in output
    fine.refresh_from_db()
    assert fine.renditions_ready
    broken.refresh_from_db()
    assert broken.renditions_status == "failed"
    assert broken.renditions_error == "The photo's file is missing from storage."


def test_enqueue_queues_pending_photos_for_the_worker(image_factory, run_tasks):
    pending, ready = image_factory(renditions=False), image_factory()
    failed = image_factory(renditions=False)
    failed.record_renditions_failure("Broken", attempts=3, final=True)
    assert "Renditions queued for 1 photos." in run("--enqueue")
    pending.refresh_from_db()
    assert not pending.renditions_ready  # queued, not made here
    run_tasks()
    for photo in (pending, ready, failed):
        photo.refresh_from_db()
    assert (pending.renditions_status, ready.renditions_status) == ("ready", "ready")
    assert failed.renditions_status == "failed"  # waits for an editor's retry
    assert "Renditions queued for 1 photos." in run("--enqueue", str(failed.pk))
