"""Smoke tests of the standalone demo site's settings (the only tests that use them)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_site(code: str, **env) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,  # migrate + load_demo on a loaded 2-core machine
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_site("", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_secret_key_and_debug_off():
    result = run_site(
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['news.example.org']"


def test_database_url_selects_the_database():
    result = run_site(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_default_is_sqlite_and_local_memory_cache():
    result = run_site(
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'])"
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_redis_url_selects_a_working_redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise  # CI machines run Redis: a missing server is a failure there
        pytest.skip("no Redis server on 127.0.0.1:6379")
    result = run_site(
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('newsroom-smoke', 42, 10); "
        "print(type(cache).__name__, cache.get('newsroom-smoke'))",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache 42"


def test_demo_site_serves_the_app_at_the_root():
    result = run_site(
        "from django.urls import reverse; print(reverse('articles:home'), reverse('admin:index'))"
    )
    assert result.stdout.strip() == "/ /admin/"


def test_demo_site_wraps_the_app_in_its_own_masthead(tmp_path):
    code = (
        "from django.core.management import call_command; from django.test import Client; "
        "from articles.models import Article; "
        "call_command('migrate', verbosity=0); call_command('load_demo', verbosity=0); "
        "c = Client(HTTP_HOST='127.0.0.1'); home = c.get('/'); "
        "story = Article.objects.published().first(); "
        "page = c.get(story.get_absolute_url()); "
        "print(home.status_code, page.status_code, b'class=\"site-nav\"' in home.content, "
        "b'class=\"site-footer\"' in page.content)"
    )
    result = run_site(
        code,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-4:] == ["200", "200", "True", "True"]


def test_demo_admin_lists_one_tag_screen():
    result = run_site(
        "import newsroom.urls; from django.contrib import admin; from django.apps import apps; "
        "print(sorted(m._meta.label for m in admin.site._registry if m.__name__ == 'Tag'))"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "['articles.Tag']"


def test_demo_admin_is_branded_and_greets_people_by_name_and_role(tmp_path):
    code = (
        "from django.core.management import call_command; from django.test import Client; "
        "call_command('migrate', verbosity=0); call_command('load_demo', verbosity=0); "
        "import json; pages = {}\n"
        "for name in ('editor', 'reporter'):\n"
        "    from django.contrib.auth import get_user_model\n"
        "    c = Client(HTTP_HOST='127.0.0.1')\n"
        "    c.force_login(get_user_model().objects.get(username=name))\n"
        "    pages[name] = c.get('/admin/').content.decode()\n"
        "pages['login'] = Client(HTTP_HOST='127.0.0.1').get('/admin/login/').content.decode()\n"
        "print(json.dumps(pages))"
    )
    result = run_site(
        code,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pages = json.loads(result.stdout.splitlines()[-1])
    for page in pages.values():
        assert '<a href="/admin/">The Newsroom Gazette</a>' in page
        assert "Django administration" not in page
        assert '<link rel="icon" href="/static/newsroom/favicon.svg"' in page
    assert "<title>The newsroom desk | The Newsroom Gazette</title>" in pages["editor"]
    assert '<strong class="desk-user">Demo Editor — Editor</strong>' in pages["editor"]
    assert '<strong class="desk-user">Demo Reporter — Reporter</strong>' in pages["reporter"]
    assert (ROOT / "static/newsroom/favicon.svg").read_text().startswith("<svg")


def test_demo_error_pages_are_in_the_sites_design(tmp_path):
    """Django's own handlers render the demo's templates/404.html and 500.html."""
    code = (
        "from django.core.management import call_command; from django.http import Http404; "
        "from django.test import RequestFactory; from django.views import defaults; "
        "call_command('migrate', verbosity=0); call_command('load_demo', verbosity=0); "
        "request = RequestFactory().get('/story/missing/'); "
        "print(defaults.page_not_found(request, Http404()).content.decode())"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    result = run_site(code, MEDIA_ROOT=str(tmp_path / "media"), **env)
    assert result.returncode == 0, result.stderr[-2000:]
    not_found = result.stdout
    assert '<h1 id="error-heading">Page not found</h1>' in not_found
    assert 'class="site-nav"' in not_found and 'class="site-footer"' in not_found
    assert 'href="/section/world/"' in not_found
    # The 500 page with no database at all: the path cannot even be created.
    code = (
        "from django.test import RequestFactory; from django.views import defaults; "
        "print(defaults.server_error(RequestFactory().get('/')).content.decode())"
    )
    result = run_site(code, DATABASE_URL=f"sqlite:///{tmp_path / 'no' / 'such' / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr[-2000:]
    error = result.stdout
    assert '<h1 id="error-heading">Something went wrong</h1>' in error
    assert 'class="site-footer"' in error and 'class="site-nav"' not in error
    assert 'aria-label="Search for the story"' in error


def test_demo_edition_language_comes_from_the_environment_and_the_admin_from_the_editor(
    tmp_path,
):
    code = (
        "from django.core.management import call_command; from django.test import Client; "
        "call_command('migrate', verbosity=0); call_command('load_demo', verbosity=0); "
        "import json; from articles.models import Article\n"
        "c = Client(HTTP_HOST='127.0.0.1', HTTP_ACCEPT_LANGUAGE='de')\n"
        "original = Article.objects.get(translation_of=None, translations__language='ar')\n"
        "print(json.dumps({\n"
        "    'home': c.get('/').content.decode(),\n"
        "    'story': c.get(original.get_absolute_url()).content.decode(),\n"
        "    'login': c.get('/admin/login/').content.decode(),\n"
        "    'versions': sorted(original.translations.values_list('language', flat=True)),\n"
        "}))"
    )
    result = run_site(
        code,
        LANGUAGE_CODE="ar",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pages = json.loads(result.stdout.splitlines()[-1])
    # Readers get the edition's language, whatever their browser asks for.
    assert '<html lang="ar" dir="rtl">' in pages["home"]
    assert 'aria-label="الأقسام"' in pages["home"]
    assert "Sections" not in pages["home"]
    # The demo's stories in other languages are linked as translations.
    assert pages["versions"] == ["ar", "de", "es", "fr"]
    assert 'hreflang="de"' in pages["story"] and 'lang="en" dir="ltr"' in pages["story"]
    # The admin follows the editor's browser.
    assert '<html lang="de" dir="ltr">' in pages["login"]
    assert "Anmelden" in pages["login"]


def test_demo_refuses_a_language_it_does_not_offer():
    result = run_site("", LANGUAGE_CODE="tlh")
    assert result.returncode != 0
    assert "LANGUAGE_CODE must be one of en, de, fr, es, ar" in result.stderr
