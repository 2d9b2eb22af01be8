"""The edge: surrogate keys on public responses, and purges by key after a change commits.

A public page carries the cache scopes it shows (``pagecache.page_scopes``: ``story:12``,
``tag:3``, ``lists``, ``site``...) as keys in the header a CDN indexes cached objects by
(``ARTICLES_SURROGATE_KEY_HEADER``: ``Surrogate-Key`` for Fastly, ``Cache-Tag`` for
Cloudflare, ``xkey`` for Varnish's xkey vmod). When a change commits,
``signals.pages_changed`` names the scopes it touched; the configured purger
(``ARTICLES_PURGER``) drops every cached object carrying one of them, through a task
(``purge_keys``) so a slow CDN never slows an editor's save. Every page carries ``site``,
so purging it empties the edge of this site's pages. Keys take
``ARTICLES_SURROGATE_KEY_PREFIX`` so several sites can share one CDN service.
"""

from __future__ import annotations

import http.client
import logging
from datetime import timedelta
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
    """Name the scopes of the public page answering ``request`` in the configured header.

    ``http.public_cache`` calls it for successful public GET/HEAD answers only, so
    admin pages, previews and errors never carry keys (nor can a purge reach them).
    """
    header = app_settings.SURROGATE_KEY_HEADER
    if header:
        separator = SEPARATORS.get(header, " ")
        response[header] = separator.join(surrogate_keys(pagecache.page_scopes(request)))


class Purger:
    """Drops every object a CDN or proxy holds that carries one of ``keys``.

    ``ARTICLES_PURGER`` names a subclass (or any class with this method); it is made
    with no arguments and reads its settings itself. ``purge`` should log failures,
    not raise: the change it follows has committed and nobody is waiting for it.
    """

    def purge(self, keys: list[str]) -> None:
        raise NotImplementedError


class LoggingPurger(Purger):
    """Logs the keys a change purges (``articles.edge``, INFO): for development and audits."""

    def purge(self, keys: list[str]) -> None:
        logger.info("Purge keys: %s", " ".join(keys))


class VarnishXkeyPurger(Purger):
    """Purges Varnish (xkey vmod) by key: ``PURGE`` with an ``xkey-purge`` header.

    One request per URL of ``ARTICLES_VARNISH_PURGE_URLS`` (each Varnish in front of
    the site) and per ``KEYS_PER_REQUEST`` keys, with ``ARTICLES_PURGE_TIMEOUT``; the
    VCL (docs/newsroom.vcl) answers such requests from allowed addresses only.
    """

    method = "PURGE"
    header = "xkey-purge"
    #: Tells the system checks this purger needs ``ARTICLES_VARNISH_PURGE_URLS``.
    needs_purge_urls = True

    def purge(self, keys: list[str]) -> None:
        for url in app_settings.VARNISH_PURGE_URLS:
            for start in range(0, len(keys), KEYS_PER_REQUEST):
                self.send(url, " ".join(keys[start : start + KEYS_PER_REQUEST]))

    def send(self, url: str, keys: str) -> None:
        parts = urlsplit(url)
        # http.client, not urllib: a purge goes straight to the proxy, never via *_proxy.
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        connection = kind(parts.hostname, parts.port, timeout=app_settings.PURGE_TIMEOUT)
        try:
            connection.request(self.method, parts.path or "/", headers={self.header: keys})
            response = connection.getresponse()
            response.read()
            if response.status >= 300:
                logger.warning("Purge at %s refused (%s): %s", url, response.status, keys)
        except (OSError, http.client.HTTPException) as error:
            logger.warning("Purge at %s failed (%s): %s", url, error, keys)
        finally:
            connection.close()


def get_purger() -> Purger | None:
    """Return the configured purger (``ARTICLES_PURGER``), or None."""
    path = app_settings.PURGER
    return import_string(path)() if path else None


@task()
def purge_keys(keys: list[str]) -> None:
    """Purge ``keys`` with the configured purger (the task worker runs it)."""
    purger = get_purger()
    if purger is not None and keys:
        purger.purge(keys)


def pages_changed(sender, scopes=None, site_wide: bool = False, **kwargs) -> None:
    """Receive ``signals.pages_changed`` (after commit): queue the purge of its scopes.

    Queued twice where the task backend can defer: at once, and again
    ``ARTICLES_PURGE_REPEAT_AFTER`` seconds later, for a page that was being rendered
    from the data before the change and reached the CDN after the first purge.
    """
    if not app_settings.PURGER:
        return
    everything = site_wide or scopes is None  # a sender naming no scopes: purge it all
    keys = surrogate_keys({*(scopes or ()), *([pagecache.SITE_SCOPE] if everything else [])})
    queued = purge_keys.using(queue_name=app_settings.PURGE_QUEUE)
    queued.enqueue(keys)
    again = app_settings.PURGE_REPEAT_AFTER
    if again and queued.get_backend().supports_defer:
        queued.using(run_after=timezone.now() + timedelta(seconds=again)).enqueue(keys)


def connect() -> None:
    """Connect the purge to ``signals.pages_changed`` when ``ARTICLES_PURGER`` is set.

    ``apps.py`` calls it at start-up: with no purger nothing listens, and changes
    cost no footprint queries for the CDN's sake (``invalidation._active``).
    """
    if app_settings.PURGER:
        signals.pages_changed.connect(pages_changed, sender=Article, dispatch_uid=DISPATCH_UID)


def disconnect() -> None:
    signals.pages_changed.disconnect(sender=Article, dispatch_uid=DISPATCH_UID)
