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
    photos = [image_factory(), image_factory()]
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
    broken, fine = image_factory(), image_factory()
    broken.file.storage.delete(broken.file.name)
    output = run()
    assert "made for 1 of 2 photos" in output and "1 failed" in output
    fine.refresh_from_db()
    assert fine.renditions_ready
