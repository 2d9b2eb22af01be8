"""A minimal host project for the test suite.

It mounts the app under /news/ with a base template of its own, so every test
shows the app working inside somebody else's project. DATABASE_URL selects
the database (SQLite by default, PostgreSQL in CI). The SQLite test database is a
file, not memory, so the task worker the rendition tests start can share it.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

HERE = Path(__file__).resolve().parent

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "America/New_York"
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "articles.middleware.WordPressRedirectMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Each run (or parallel helper) can pick its own test database name.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_newsroom")}
else:
    # One file per test run (a worker process opens it by DATABASE_URL); WAL lets it
    # read while the tests write, and IMMEDIATE transactions wait instead of failing.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"newsroom-tests-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF",
    }

# The database queue and its worker (`manage.py db_worker`), as a production host runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ARTICLES_RENDITION_RETRY_DELAY = 0

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
# Each test that uploads points MEDIA_ROOT at its own temporary folder (conftest.py).
# (A task worker started by a test is told the test's folder through MEDIA_ROOT.)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", HERE / ".media"))

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARTICLES_SITE_NAME = "The Test Host Times"
