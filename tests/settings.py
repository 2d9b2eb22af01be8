"""A minimal host project for the test suite.

It mounts the app under /news/ with a base template of its own, so every test
shows the app working inside somebody else's project. DATABASE_URL selects
the database (SQLite in memory by default, PostgreSQL in CI).
"""

import os
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

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
# Each test that uploads points MEDIA_ROOT at its own temporary folder (conftest.py).
MEDIA_ROOT = HERE / ".media"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARTICLES_SITE_NAME = "The Test Host Times"
