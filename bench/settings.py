"""The demo site as the benchmark serves it: DEBUG off, plus a bare Django view.

Only ``bench/run`` uses these settings; the bare view is never part of the app.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_COOKIES", "0")

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

ROOT_URLCONF = "bench.urls"
# No collectstatic for a benchmark: plain static URLs, nothing served from disk.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ARTICLES_PAGE_CACHE = os.environ.get("BENCH_PAGE_CACHE", "0") == "1"
# Cards and "More from" choices in the shared cache: on with REDIS_URL, as on the site.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
