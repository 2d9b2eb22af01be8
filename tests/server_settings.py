"""The test host as a real server for the two-process page cache test (test_pagecache.py).

Two ``runserver`` processes use these settings: one SQLite file and one Redis (the
test's own ``redis-server``), both named by the environment the test sets.
"""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["NEWSROOM_TEST_SQLITE"],
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["NEWSROOM_TEST_REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
ARTICLES_PAGE_CACHE = True
