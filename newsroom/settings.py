"""Settings of the standalone Newsroom site, read from the environment.

DATABASE_URL   default: SQLite file db.sqlite3 in the project; e.g. postgres://user@host/db
REDIS_URL      default: the local-memory cache; e.g. redis://127.0.0.1:6379/0
PAGE_CACHE     "1"/"0": the anonymous page cache (default: on when REDIS_URL is set)
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to turn on (default: on, for `make run` on a bare machine)
ALLOWED_HOSTS  comma-separated (default with DEBUG: localhost and 127.0.0.1)
MEDIA_ROOT     where uploaded photos go (default: media/ in the project)
MEDIA_URL      where readers fetch them (default: /media/; a full URL adds its host to the CSP)
LANGUAGE_CODE  the edition's language: en, de, fr, es or ar (default: en; `make run LANGUAGE=ar`)
AXES_FAILURE_LIMIT   wrong admin passwords in a row before logging in is paused (default: 5)
AXES_COOLOFF_MINUTES how long the pause lasts (default: 30; 0: until an admin unlocks)

With DEBUG off (production; README "Deploying" explains each):
SECURE_SSL_REDIRECT, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD, SECURE_COOKIES
               "1"/"0" (default: on)
SECURE_HSTS_SECONDS  default: 31536000 (a year); start lower while trying HTTPS out
SECURE_PROXY_SSL_HEADER "1" behind a proxy that terminates TLS and sets X-Forwarded-Proto
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of {minimum} or more, not {value!r}."
        )
    return number


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without one: "
            "set SECRET_KEY in the environment to a long random string, for example the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-newsroom-development-only"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "").split(
        ","
    )
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "csp",
    "axes",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "articles",
    # The demo site's commands: load_demo, seed_bench.
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware for the admin (each editor's language); public pages
    # in LANGUAGE_CODE (newsroom/locale.py).
    "newsroom.locale.EditorLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.WordPressRedirectMiddleware",
    # Last, as django-axes asks: it turns a paused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's templates/ comes first so templates/articles/base.html
        # wraps the app's pages in the site's masthead.
        "DIRS": [BASE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # Fail fast when Redis is away or frozen: no cache call waits longer than
            # this, and the page cache's circuit breaker then serves pages uncached for
            # ARTICLES_PAGE_CACHE_RETRY_AFTER seconds (docs/embedding.md, "Page cache").
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The edition's language (`make run LANGUAGE=de`); editors' browsers choose the admin's.
LANGUAGES = [
    ("en", gettext_noop("English")),
    ("de", gettext_noop("German")),
    ("fr", gettext_noop("French")),
    ("es", gettext_noop("Spanish")),
    ("ar", gettext_noop("Arabic")),
]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
# The demo's own few strings (its masthead, footer, admin title); the app ships its own.
LOCALE_PATHS = [BASE_DIR / "newsroom" / "locale"]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The demo site's own files (its favicon, its admin touches), next to the app's.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with content-hashed names, served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # runserver serves the app's static files straight from their folders.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


# Background work (photo renditions) goes to a queue in the database; `manage.py
# db_worker` runs it (`make run` starts one beside the server). docs/embedding.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ARTICLES_SITE_NAME = os.environ.get("ARTICLES_SITE_NAME", "The Newsroom Gazette")
# Shared (JSON-LD, OpenGraph, Twitter) for a story without a photo: 1200x630, the
# size link previews crop to; drawn once with Pillow for the demo.
ARTICLES_DEFAULT_IMAGE = {
    "url": "newsroom/share.png",
    "width": 1200,
    "height": 630,
    "alt": "The Newsroom Gazette's masthead: a newspaper on a blue ground",
}
# The anonymous page cache, shared by every app server through Redis (docs/embedding.md).
ARTICLES_PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))

# Security headers (README "Deploying", docs/decisions.md). Every page says where its
# scripts, styles, photos and frames may come from; the app's pages carry no inline
# script or style, and the editor's import map gets the request's nonce.
MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if "//" in MEDIA_URL else ""
VIDEO_PLAYERS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The nonce only for the editor's empty placeholder (articles/admin/prosemirror.css).
        "style-src": [SELF, NONCE],
        "img-src": [SELF, *filter(None, [MEDIA_ORIGIN])],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The story pages' video players, and the admin's photo chooser dialog.
        "frame-src": [SELF, *VIDEO_PLAYERS],
        # Only the site itself may frame its pages (the photo chooser, in the admin).
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The same rule for browsers that only know X-Frame-Options. Django's check
# security.W019 asks for DENY, which would break the photo chooser's frame.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Other sites see that a reader came from the newsroom, never which page.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No page uses these; the video players may go full screen and picture-in-picture.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self", *VIDEO_PLAYERS],
    "fullscreen": ["self", *VIDEO_PLAYERS],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "picture-in-picture": ["self", *VIDEO_PLAYERS],
    "usb": [],
}

# Admin login throttling with django-axes (README "Deploying"): after
# AXES_FAILURE_LIMIT wrong passwords in a row for one account from one address,
# even the right password is refused until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
# No cool-off (None) for 0: locked until `manage.py axes_reset_username NAME`.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30)) or None
# Per account and address: a colleague's typos behind the newsroom's shared
# address do not lock everybody else out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "articles/admin/login_locked_out.html"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        # Only behind a proxy that always sets this header itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
