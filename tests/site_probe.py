"""Requests to the demo site under its own settings, for tests/test_site_security.py.

Run as ``python -m tests.site_probe SCENARIO`` with ``DJANGO_SETTINGS_MODULE=newsroom.settings``
and the environment the test chooses (a temporary database and media folder). It prints
one JSON object mapping a name to the status, headers and body of each response.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta

import django

PASSWORD = "right-password-for-the-desk"


def facts(response) -> dict:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "headers": dict(response.items()),
        "body": body.decode("utf-8", errors="replace"),
    }


def client(**extra):
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1", **extra)


def seed():
    """A public story with a video and a photo, and a superuser; return all three."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image as PILImage

    from articles.models import Article, Image, Section, Status

    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (200, 30, 30)).save(buffer, "PNG")
    photo = Image(caption="A red square", alt_text="A red square", credit="The Desk")
    # A PNG uploaded under a JPEG's name: stored (and served) as what it decodes as.
    photo.file = ContentFile(buffer.getvalue(), name="red.jpg")
    photo.full_clean()
    photo.save()
    photo.generate_renditions()
    story = Article(
        headline="A story with a video",
        section=Section.objects.create(name="News", slug="news"),
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        body="<p>Watch this.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>",
        lead_image=photo,
        lead_image_alt_text="A red square",
    )
    story.full_clean()
    story.save()
    desk = User.objects.create_superuser("desk", "desk@example.org", PASSWORD)
    return story, photo, desk


def site() -> dict:
    """Seed the database for a real server; return the pages to open."""
    from django.urls import reverse

    story, _photo, _desk = seed()
    return {
        "story": story.get_absolute_url(),
        "change_form": reverse("admin:articles_article_change", args=[story.pk]),
    }


def pages() -> dict:
    """The story's public page, the admin's pages, and the photo and a rendition of it."""
    from django.conf import settings
    from django.urls import reverse

    story, photo, desk = seed()
    editor = client()
    editor.force_login(desk)
    return {
        "story": facts(client().get(story.get_absolute_url())),
        "login": facts(client().get(reverse("admin:login"))),
        "change_form": facts(editor.get(reverse("admin:articles_article_change", args=[story.pk]))),
        "photo": {**facts(editor.get(photo.file.url)), "url": photo.file.url},
        "served_original": facts(client().get(settings.MEDIA_URL + photo.file.name)),
        "rendition": facts(client().get(photo.renditions("original", "webp")[0].url)),
    }


def log_in(browser, username: str, password: str) -> dict:
    from django.urls import reverse

    response = browser.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )
    result = facts(response)
    result["logged_in"] = browser.get(reverse("admin:index")).status_code == 200
    return result


def lockout() -> dict:
    """Thirty wrong passwords for one account, then the right one; then a colleague logs in."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("desk", "desk@example.org", PASSWORD)
    User.objects.create_superuser("colleague", "colleague@example.org", PASSWORD)
    browser = client()
    wrong = [log_in(browser, "desk", f"wrong-{n}") for n in range(30)]
    return {
        "first_wrong": wrong[0],
        "last_wrong": wrong[-1],
        "right": log_in(browser, "desk", PASSWORD),
        "colleague": log_in(client(), "colleague", PASSWORD),
    }


def limit() -> dict:
    """Wrong passwords one short of the limit, the right one, then the limit reached."""
    from django.conf import settings
    from django.contrib.auth.models import User

    User.objects.create_superuser("desk", "desk@example.org", PASSWORD)
    below = settings.AXES_FAILURE_LIMIT - 1
    for n in range(below):
        log_in(client(), "desk", f"wrong-{n}")
    before = log_in(client(), "desk", PASSWORD)
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client(), "desk", f"wrong-again-{n}")
    return {"below_limit": before, "at_limit": log_in(client(), "desk", PASSWORD)}


def robots() -> dict:
    """A page over plain HTTP and over HTTPS (production settings: no static files needed)."""
    return {
        "http": facts(client().get("/robots.txt")),
        "https": facts(client().get("/robots.txt", secure=True)),
    }


SCENARIOS = {"site": site, "pages": pages, "lockout": lockout, "limit": limit, "robots": robots}


def main(scenario: str) -> None:
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(SCENARIOS[scenario]()))


if __name__ == "__main__":
    main(sys.argv[1])
