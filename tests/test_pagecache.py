"""The anonymous page cache: shared, bypassed by editors, never stale, never a 500."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import pagecache
from articles.models import Article, Status
from articles.views import ArticleDetailView

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HOME = "/news/"


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, article_factory):
    url = article_factory().get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert response.status_code == 200
    assert len(ctx.captured_queries) == 0


def test_cached_page_keeps_its_validators_and_answers_304(client, article_factory):
    url = article_factory().get_absolute_url()
    first = client.get(url)
    again = client.get(url)
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert "s-maxage" in again["Cache-Control"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_editors_bypass_the_cache(editor_client, article_factory):
    url = article_factory().get_absolute_url()
    editor_client.get(url)
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_the_cache_is_off_unless_configured(client, settings, article_factory):
    settings.ARTICLES_PAGE_CACHE = False
    url = article_factory().get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_a_page_is_versioned_by_the_scopes_its_address_names(client, article_factory):
    story = article_factory(slug="caf\u00e9-story", tags=["harbour"])
    response = client.get(story.get_absolute_url())
    assert pagecache.page_scopes(response.wsgi_request) == ["site", "story:caf%C3%A9-story"]
    tag_page = client.get(reverse("articles:tag_rss", kwargs={"slug": "harbour"}))
    assert pagecache.page_scopes(tag_page.wsgi_request) == ["site", "tag:harbour"]
    home = client.get(HOME)
    assert pagecache.page_scopes(home.wsgi_request) == ["site", "lists"]


def test_requests_with_credentials_bypass_the_cache(client, article_factory):
    url = article_factory().get_absolute_url()
    client.get(url)
    response = client.get(url, headers={"authorization": "Bearer reader"})
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_each_time_zone_has_its_own_entry(client, article_factory):
    url = article_factory().get_absolute_url()
    client.get(url)
    with timezone.override("Asia/Tokyo"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_hit_is_one_cache_round_trip(client, monkeypatch, article_factory):
    url = article_factory().get_absolute_url()
    client.get(url)
    calls = []

    def counted(name, method):
        def call(*args, **kwargs):
            calls.append(name)
            nested = len(calls)
            result = method(*args, **kwargs)
            del calls[nested:]  # LocMemCache.get_many calls get(): one round trip on Redis
            return result

        return call

    for name in ("get", "get_many", "set", "set_many", "add", "incr"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert calls == ["get_many"]


def test_a_page_rendered_while_a_change_commits_is_not_kept(client, monkeypatch, article_factory):
    story = article_factory()
    url = story.get_absolute_url()
    real = ArticleDetailView.get_related

    def change_meanwhile(self, article):
        pagecache.bump([pagecache.story_scope(article.slug)])  # another server's commit
        return real(self, article)

    monkeypatch.setattr(ArticleDetailView, "get_related", change_meanwhile)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "miss"  # the first render was not kept
    monkeypatch.setattr(ArticleDetailView, "get_related", real)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_edit_shows_at_once(client, article_factory, django_capture_on_commit_callbacks):
    story = article_factory(headline="First headline")
    client.get(story.get_absolute_url())
    client.get(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Corrected headline"
        story.save()
    assert "Corrected headline" in client.get(story.get_absolute_url()).content.decode()
    assert "Corrected headline" in client.get(HOME).content.decode()


def test_a_retraction_shows_at_once(client, article_factory, django_capture_on_commit_callbacks):
    story = article_factory(headline="A story we withdraw")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "A story we withdraw" in client.get(HOME).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Status.DRAFT
        story.save()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "A story we withdraw" not in client.get(HOME).content.decode()


def test_publishing_from_the_admin_action_shows_at_once(
    client, editor, article_factory, django_capture_on_commit_callbacks
):
    draft = article_factory(headline="Breaking from the admin", published=False)
    article_factory()
    assert "Breaking from the admin" not in client.get(HOME).content.decode()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
    client.logout()
    assert "Breaking from the admin" in client.get(HOME).content.decode()


def test_a_tag_change_shows_at_once(client, article_factory, django_capture_on_commit_callbacks):
    story = article_factory(tags=["elections"])
    client.get(story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        story.tags.add("recount")
    assert "recount" in client.get(story.get_absolute_url()).content.decode()


def test_no_entry_outlives_the_next_embargo(client, monkeypatch, article_factory):
    article_factory(headline="Already out")
    embargoed = article_factory(headline="Embargoed until noon", hours_ago=-0.5)
    assert "Embargoed until noon" not in client.get(HOME).content.decode()
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    later = embargoed.published_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "miss"
    assert "Embargoed until noon" in response.content.decode()


def test_next_change_is_the_earliest_embargo(article_factory):
    article_factory(hours_ago=1)
    soon = article_factory(hours_ago=-1)
    article_factory(hours_ago=-5)
    assert Article.objects.next_change() == soon.published_at


def test_no_entry_outlives_the_next_expiry(client, monkeypatch, article_factory):
    story = article_factory(
        headline="Offer ends tonight", expire_at=timezone.now() + timedelta(minutes=30)
    )
    assert "Offer ends tonight" in client.get(HOME).content.decode()
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    later = story.expire_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "miss"
    assert "Offer ends tonight" not in response.content.decode()


def test_new_renditions_reach_cached_pages(
    client, article_factory, image_factory, django_capture_on_commit_callbacks
):
    photo = image_factory(renditions=False)
    url = article_factory(lead_image=photo).get_absolute_url()
    assert "/renditions/" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        photo.generate_renditions()  # writes with update(), which sends no post_save
    assert "/renditions/" in client.get(url).content.decode()


def test_no_entry_outlives_a_photo_s_rights(client, monkeypatch, article_factory, image_factory):
    tomorrow = timezone.localdate() + timedelta(days=1)
    photo = image_factory(credit="AFP/Until Tonight", rights_expire_on=tomorrow)
    url = article_factory("Photo until midnight", lead_image=photo).get_absolute_url()
    midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    monkeypatch.setattr(timezone, "now", lambda: midnight - timedelta(seconds=90))
    first = client.get(url)
    assert "AFP/Until Tonight" in first.content.decode()
    assert "s-maxage=90" in first["Cache-Control"]  # the CDN's copy ends at midnight too
    assert client.get(url)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(timezone, "now", lambda: midnight + timedelta(seconds=1))
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Photo until midnight" in response.content.decode()
    assert "AFP/Until Tonight" not in response.content.decode()


# A Redis of the test's own: down, frozen, and shared by two server processes ------------


class RedisServer:
    """A ``redis-server`` on a free port of 18700-18799, with nothing saved to disk."""

    def __init__(self, folder: Path):
        for port in range(18700, 18800):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) != 0:
                    break
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):  # a readiness poll, not a timed assertion
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (the Debian package redis-server)")
    server = RedisServer(tmp_path)
    yield server
    server.signal(signal.SIGCONT)
    server.stop()


RETRY_AFTER = 3  # seconds: long enough for the requests a test makes while it is open


def counting(calls: list, name: str, method):
    """Wrap a cache method to note each call (Redis still answers it)."""

    def call(*args, **kwargs):
        calls.append(name)
        return method(*args, **kwargs)

    return call


@pytest.fixture
def redis_pages(settings, monkeypatch, redis_server):
    """Pages in the test's own Redis with production's short timeouts; the calls counted."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    settings.ARTICLES_PAGE_CACHE_ALIAS = "pages"
    settings.ARTICLES_PAGE_CACHE_RETRY_AFTER = RETRY_AFTER
    calls: list[str] = []
    backend = caches["pages"]
    for name in ("get_many", "set", "set_many", "add"):
        monkeypatch.setattr(backend, name, counting(calls, name, getattr(backend, name)))
    return calls


def test_a_frozen_redis_opens_the_breaker_and_a_thawed_one_serves_again(
    client, caplog, redis_server, redis_pages, article_factory, django_capture_on_commit_callbacks
):
    story = article_factory(headline="Read through a freeze")
    url = story.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    redis_pages.clear()
    redis_server.signal(signal.SIGSTOP)
    with caplog.at_level(logging.WARNING, logger="articles.pagecache"):
        for _ in range(4):
            response = client.get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response
            assert "Read through a freeze" in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            story.headline = "Edited during the freeze"
            story.save()
    assert redis_pages == ["get_many"]  # one try timed out; the open breaker tried no more
    assert caplog.text.count("Page cache unavailable (read)") == 1
    redis_server.signal(signal.SIGCONT)
    time.sleep(RETRY_AFTER)  # the breaker closes again
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"  # the bump held back went first
    assert "Edited during the freeze" in response.content.decode()
    assert redis_pages[1:3] == ["set_many", "get_many"]
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_pages_are_served_uncached_when_redis_is_down(
    client, caplog, redis_server, redis_pages, article_factory, django_capture_on_commit_callbacks
):
    story = article_factory(headline="Still readable")
    url = story.get_absolute_url()
    client.get(url)
    redis_server.stop()
    redis_pages.clear()
    with caplog.at_level(logging.WARNING, logger="articles.pagecache"):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response
    assert "Still readable" in response.content.decode()
    assert redis_pages == ["get_many"]
    assert "Page cache unavailable" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Edited while Redis is down"
        story.save()
    assert "Edited while Redis is down" in client.get(url).content.decode()


def django_admin(env, *args) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", *args, "--settings=tests.server_settings"],
        env=env,
        check=True,
        capture_output=True,
    )


SETUP = """
from articles.models import Article, Section, Status
from django.contrib.auth import get_user_model
from django.utils import timezone
get_user_model().objects.create_superuser("desk", "desk@example.org", "pw-desk-123")
section = Section.objects.create(name="World", slug="world")
Article.objects.create(headline="Old news", slug="old-news", section=section,
                       status=Status.PUBLISHED, published_at=timezone.now())
Article.objects.create(headline="Breaking across servers", slug="breaking", section=section)
sport = Section.objects.create(name="Sport", slug="sport")
Article.objects.create(headline="Final score", slug="final-score", section=sport,
                       status=Status.PUBLISHED, published_at=timezone.now())
"""


class Server:
    def __init__(self, env):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading",
             f"127.0.0.1:{self.port}", "--settings=tests.server_settings"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        for _ in range(300):  # a readiness poll, not a timed assertion
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("runserver did not start")

    def request(self, path: str, data: bytes | None = None) -> Request:
        # Both servers answer for one site name, as behind a load balancer.
        url = f"http://127.0.0.1:{self.port}{path}"
        return Request(url, data=data, headers={"Host": "localhost", "Referer": url})

    def get(self, path: str):
        with self.opener.open(self.request(path)) as response:
            return response.headers, response.read().decode()

    def post(self, path: str, data: dict) -> None:
        jar = next(h for h in self.opener.handlers if isinstance(h, HTTPCookieProcessor)).cookiejar
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        self.opener.open(self.request(path, body)).read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def test_two_servers_share_the_cache_and_see_a_publication_at_once(tmp_path, redis_server):
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "NEWSROOM_TEST_SQLITE": str(tmp_path / "shared.sqlite3"),
        "NEWSROOM_TEST_REDIS_URL": redis_server.url,
    }
    django_admin(env, "migrate", "--noinput")
    django_admin(env, "shell", "-c", SETUP)
    editor_side, reader_side = Server(env), Server(env)
    try:
        _, page = reader_side.get(HOME)
        assert "Old news" in page and "Breaking across servers" not in page
        headers, _ = reader_side.get(HOME)
        assert headers["X-Page-Cache"] == "hit"
        headers, _ = editor_side.get(HOME)
        assert headers["X-Page-Cache"] == "hit"  # filled by the other server
        elsewhere = "/news/story/final-score/"  # another section, no tag in common
        for path in (elsewhere, "/news/story/old-news/"):
            reader_side.get(path)
            headers, page = editor_side.get(path)
            assert headers["X-Page-Cache"] == "hit"
        assert "Breaking across servers" not in page

        editor_side.get("/admin/login/")
        editor_side.post(
            "/admin/login/?next=/admin/", {"username": "desk", "password": "pw-desk-123"}
        )
        editor_side.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [2]},  # "breaking", made second
        )
        # The task worker ranks the "More from" suggestions again (the old story's too).
        django_admin(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")

        headers, page = reader_side.get(HOME)
        assert "Breaking across servers" in page
        assert headers["X-Page-Cache"] == "miss"
        headers, page = reader_side.get("/news/story/old-news/")  # its "More from" module
        assert "Breaking across servers" in page
        assert headers["X-Page-Cache"] == "miss"
        headers, _ = reader_side.get(elsewhere)
        assert headers["X-Page-Cache"] == "hit"  # untouched by the publication
    finally:
        editor_side.stop()
        reader_side.stop()
