"""The edge: the page cache's scopes as surrogate keys, purged after a change commits."""

from __future__ import annotations

import logging
from datetime import timedelta
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from . import pagecache, signals
from .conf import app_settings
from .models import Article

logger = logging.getLogger(__name__)

#: The headers CDNs read surrogate keys from, with how each separates the keys.
SEPARATORS = {"Surrogate-Key": " ", "Cache-Tag": ",", "xkey": " "}
#: Keys per purge request: stays well inside a proxy's 8 KiB header limit.
KEYS_PER_REQUEST = 100
DISPATCH_UID = "articles-edge-purge"


def surrogate_keys(scopes) -> list[str]:
    """Return the CDN keys of ``scopes``: each with ``ARTICLES_SURROGATE_KEY_PREFIX``."""
    return [app_settings.SURROGATE_KEY_PREFIX + scope for scope in sorted(set(scopes))]


def add_surrogate_keys(request, response) -> None:
    """Name the scopes of a public page in ``ARTICLES_SURROGATE_KEY_HEADER``, if set."""
    if header := app_settings.SURROGATE_KEY_HEADER:
        keys = surrogate_keys(pagecache.page_scopes(request))
        response[header] = SEPARATORS.get(header, " ").join(keys)


class Purger:
    """Drops what a CDN holds under ``keys``; logs failures, never raises (after commit)."""

    def purge(self, keys: list[str]) -> None:
        raise NotImplementedError


class LoggingPurger(Purger):
    """Logs the keys a change purges (``articles.edge``, INFO): for development and audits."""

    def purge(self, keys: list[str]) -> None:
        logger.info("Purge keys: %s", " ".join(keys))


class VarnishXkeyPurger(Purger):
    """Sends ``PURGE`` with ``xkey-purge`` to each of ``ARTICLES_VARNISH_PURGE_URLS``."""

    def purge(self, keys: list[str]) -> None:
        for url in app_settings.VARNISH_PURGE_URLS:
            for start in range(0, len(keys), KEYS_PER_REQUEST):
                self.send(url, " ".join(keys[start : start + KEYS_PER_REQUEST]))

    def send(self, url: str, keys: str) -> None:
        # http.client, not urllib: a purge goes straight to the proxy, never via *_proxy.
        parts = urlsplit(url)
        kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        connection = kind(parts.hostname, parts.port, timeout=app_settings.PURGE_TIMEOUT)
        try:
            connection.request("PURGE", parts.path or "/", headers={"xkey-purge": keys})
            if (status := connection.getresponse().status) >= 300:
                logger.warning("Purge at %s refused (%s): %s", url, status, keys)
        except (OSError, HTTPException) as error:
            logger.warning("Purge at %s failed (%s): %s", url, error, keys)
        finally:
            connection.close()


@task()
def purge_keys(keys: list[str]) -> None:
    """Purge ``keys`` with the configured purger (the task worker runs it)."""
    if app_settings.PURGER and keys:
        import_string(app_settings.PURGER)().purge(keys)


def pages_changed(sender, scopes, **kwargs) -> None:
    """Queue the purge of a commit's scopes: now, and again ``ARTICLES_PURGE_REPEAT_AFTER``."""
    keys = surrogate_keys(scopes)  # with ``site`` when every page changed: on every page
    queued = purge_keys.using(queue_name=app_settings.PURGE_QUEUE)
    queued.enqueue(keys)
    again = app_settings.PURGE_REPEAT_AFTER
    if again and queued.get_backend().supports_defer:
        queued.using(run_after=timezone.now() + timedelta(seconds=again)).enqueue(keys)


def connect() -> None:
    """Purge after commits when ``ARTICLES_PURGER`` is set (``apps.py``, at start-up)."""
    if app_settings.PURGER:
        signals.pages_changed.connect(pages_changed, sender=Article, dispatch_uid=DISPATCH_UID)
