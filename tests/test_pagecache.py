"""The anonymous page cache: shared, bypassed by editors, never stale, never a 500."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.core.cache import cache
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


def test_scope_versions_move_only_for_the_scopes_that_changed(
    django_capture_on_commit_callbacks,
):
    story, other = pagecache.story_scope(1), pagecache.story_scope(2)
    before = pagecache.scope_versions([story, other, pagecache.LISTS_SCOPE])
    assert before == pagecache.scope_versions([other, story, pagecache.LISTS_SCOPE])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pagecache.scopes_changed([story, pagecache.LISTS_SCOPE])
    assert pagecache.scope_versions([story]) == {story: before[story]}  # not before commit
    for callback in callbacks:
        callback()
    after = pagecache.scope_versions([story, other, pagecache.LISTS_SCOPE])
    assert after[other] == before[other]
    assert after[story] != before[story]
    assert after[pagecache.LISTS_SCOPE] != before[pagecache.LISTS_SCOPE]


def test_a_hit_is_one_cache_round_trip(client, monkeypatch, article_factory):
    url = article_factory().get_absolute_url()
    client.get(url)
    client.get(url)  # this process now knows the page's scopes
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
        pagecache.bump_scopes([pagecache.story_scope(article.pk)])  # another server's commit
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


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


def test_pages_are_served_uncached_when_redis_is_down(
    client, settings, caplog, article_factory, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    settings.ARTICLES_PAGE_CACHE_ALIAS = "pages"
    story = article_factory(headline="Still readable")
    with caplog.at_level(logging.WARNING, logger="articles.pagecache"):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Still readable" in response.content.decode()
    assert "X-Page-Cache" not in response
    assert "Page cache unavailable" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Edited while Redis is down"
        story.save()
    assert "Edited while Redis is down" in client.get(story.get_absolute_url()).content.decode()


# Two server processes, one Redis --------------------------------------------------------

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS", "redis://127.0.0.1:6379/13")


def redis_is_up() -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        self.port = free_port()
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
        jar = cookie_processor(self.opener).cookiejar
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        self.opener.open(self.request(path, body)).read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def cookie_processor(opener):
    return next(h for h in opener.handlers if isinstance(h, HTTPCookieProcessor))


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_two_servers_share_the_cache_and_see_a_publication_at_once(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "NEWSROOM_TEST_SQLITE": str(tmp_path / "shared.sqlite3"),
        "NEWSROOM_TEST_REDIS_URL": REDIS_URL,
        "NEWSROOM_TEST_KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
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
        drop_keys(env["NEWSROOM_TEST_KEY_PREFIX"])


def drop_keys(prefix: str) -> None:
    """Leave the shared Redis as the test found it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


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


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_redis_reads_match_django_get_many():
    from django.core.cache.backends.redis import RedisCache

    redis_cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"t{uuid.uuid4().hex}"})
    values = {"page": {"content": b"<p>x</p>", "n": 3}, "scope": 2**61 + 5, "text": "caf\u00e9"}
    redis_cache.set_many(values, timeout=60)
    keys = [*values, "absent"]
    try:
        assert pagecache._get_many(redis_cache, keys) == redis_cache.get_many(keys) == values
        assert pagecache._get_many(redis_cache, []) == {}
    finally:
        redis_cache.delete_many(keys)
