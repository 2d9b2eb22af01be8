"""The anonymous page cache: rendered public pages kept in a cache every app server shares.

Entries live in ``caches[ARTICLES_PAGE_CACHE_ALIAS]`` (Redis in production), so
any number of app servers behind a load balancer read and fill one cache.

Freshness rests on two rules:

* a **content generation**, one counter in the same cache, goes up after every
  committed change to a story, photo, tag, section, author or related link
  (``content_changed()``; ``apps.py`` connects it to the app's models). An entry
  records the generation it was rendered at and is ignored once the counter has
  moved, so an edit, a publication or a retraction shows on every page at once;
* no entry outlives the **next scheduled change** of what is public (a story's
  embargo ending or an expiry, ``ArticleQuerySet.next_change()``): its time-to-live is cut
  to end there.

Readers with a session cookie (editors), requests carrying credentials and
anything but GET/HEAD bypass the cache. If the cache cannot be reached, pages
are served uncached and a warning is logged (at most once a minute per process).
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .conf import app_settings

logger = logging.getLogger(__name__)

GENERATION_KEY = "articles:page-generation"
SCOPE_KEY_PREFIX = "articles:scope:"
HIT_HEADER = "X-Page-Cache"
WARN_EVERY = 60  # seconds between two "cache unreachable" warnings of one process

try:  # the errors a cache back end raises when its server is away
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is an optional dependency
    CACHE_ERRORS = (OSError,)

_last_warning = 0.0


def _cache():
    return caches[app_settings.PAGE_CACHE_ALIAS]


def _warn(action: str, error: BaseException) -> None:
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY:
        _last_warning = time.monotonic()
        logger.warning("Page cache unavailable (%s): %s; serving pages uncached.", action, error)


# Scopes: named parts of the public site whose version moves when they change. A
# cached page (or fragment) records the versions of the scopes it shows and is
# ignored once any of them has moved. Build names with these helpers only.

#: Pages listing the newest stories site-wide: home, site feeds, sitemaps, search, API lists.
LISTS_SCOPE = "lists"
#: What every page shows around its content, such as the sections in the navigation.
SITE_SCOPE = "site"


def story_scope(pk: int) -> str:
    """Name the scope of one story: its page, and wherever its headline or photo shows."""
    return f"story:{pk}"


def section_scope(pk: int) -> str:
    """Name the scope of one section: its page and feeds, and what lists its stories."""
    return f"section:{pk}"


def tag_scope(pk: int) -> str:
    """Name the scope of one tag: its page and feeds, and what lists its stories."""
    return f"tag:{pk}"


def author_scope(pk: int) -> str:
    """Name the scope of one author: their page and feeds, and what shows their byline."""
    return f"author:{pk}"


def _scope_key(scope: str) -> str:
    return SCOPE_KEY_PREFIX + scope


def _new_version() -> int:
    # Random, not counted: a version set after the old one was lost (evicted, cache
    # emptied, a race between two writers) never repeats a value an entry recorded.
    return secrets.randbits(62)


def _read_versions(cache, scopes: list[str], found: dict) -> dict[str, int]:
    """Return ``scopes``' versions from ``found`` (a ``get_many`` result), starting missing ones."""
    versions = {scope: found[_scope_key(scope)] for scope in scopes if _scope_key(scope) in found}
    missing = [scope for scope in scopes if scope not in versions]
    lost = []
    for scope in missing:
        # ``add`` only writes an absent key: a version a writer sets meanwhile wins,
        # so a page rendered before that change can never record the newer version.
        version = _new_version()
        if cache.add(_scope_key(scope), version, timeout=None):
            versions[scope] = version
        else:
            lost.append(scope)
    if lost:
        again = cache.get_many([_scope_key(scope) for scope in lost])
        for scope in lost:
            if _scope_key(scope) not in again:  # pragma: no cover - evicted in between
                raise ValueError(f"scope {scope!r} vanished while being read")
            versions[scope] = again[_scope_key(scope)]
    return versions


def scope_versions(scopes: Iterable[str]) -> dict[str, int] | None:
    """Return the current version of each of ``scopes``; None when the cache is unreachable.

    One ``get_many`` round trip (plus one ``add`` per scope never seen before). Key
    anything cached on the result: it changes whenever one of the scopes changes.
    """
    scopes = sorted(set(scopes))
    cache = _cache()
    try:
        return _read_versions(cache, scopes, cache.get_many([_scope_key(s) for s in scopes]))
    except (ValueError, *CACHE_ERRORS) as error:
        _warn("read", error)
        return None


def bump_scopes(scopes: Iterable[str]) -> None:
    """Give each of ``scopes`` a new version now, in one round trip (see ``scopes_changed``)."""
    keys = {_scope_key(scope): _new_version() for scope in set(scopes)}
    if not keys:
        return
    try:
        _cache().set_many(keys, timeout=None)
    except CACHE_ERRORS as error:
        _warn("invalidate", error)


def scopes_changed(scopes: Iterable[str]) -> None:
    """Invalidate what shows ``scopes`` once the current transaction commits."""
    if app_settings.PAGE_CACHE:
        scopes = frozenset(scopes)
        transaction.on_commit(lambda: bump_scopes(scopes), robust=True)


def bump_generation() -> None:
    """Invalidate every cached page now (``content_changed`` calls it after commit)."""
    cache = _cache()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no counter (first change, or evicted): start a new one
            if not cache.add(GENERATION_KEY, time.time_ns(), timeout=None):
                cache.incr(GENERATION_KEY)
    except CACHE_ERRORS as error:
        _warn("invalidate", error)


def _new_generation() -> int | None:
    cache = _cache()
    try:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        return cache.get(GENERATION_KEY)
    except CACHE_ERRORS as error:
        _warn("read", error)
        return None


def content_changed(**kwargs) -> None:
    """Invalidate cached pages once the current transaction commits.

    Connected to the app's models' ``post_save``, ``post_delete`` and
    ``m2m_changed`` signals; code that writes with ``QuerySet.update()`` or
    ``bulk_create()`` (which send no signals) calls it itself.
    """
    if app_settings.PAGE_CACHE:
        transaction.on_commit(bump_generation, robust=True)


def bypasses_cache(request: HttpRequest) -> bool:
    """Tell whether ``request`` must get a freshly rendered page."""
    return (
        not app_settings.PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
    )


def _key(request: HttpRequest) -> str:
    url = request.build_absolute_uri()
    return "articles:page:" + hashlib.sha256(url.encode()).hexdigest()


def fetch(request: HttpRequest) -> tuple[HttpResponse | None, dict | None]:
    """Return the cached response for ``request`` (or None) and a ticket for ``store``.

    One round trip to the cache: the page and the generation counter together.
    The ticket is None when the cache is unreachable, so nothing is stored.
    """
    key = _key(request)
    try:
        found = _cache().get_many([key, GENERATION_KEY])
    except CACHE_ERRORS as error:
        _warn("read", error)
        return None, None
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # A fresh counter never repeats an old value, so entries written before
        # the counter was lost (evicted, cache emptied) can never match again.
        generation = _new_generation()
        if generation is None:
            return None, None
    entry = found.get(key)
    ticket = {"key": key, "generation": generation, "now": timezone.now()}
    if entry is None or entry["generation"] != generation or ticket["now"] >= entry["until"]:
        return None, ticket
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    response[HIT_HEADER] = "hit"
    ticket["change"] = entry["change"]
    return response, ticket


def store(ticket: dict | None, response: HttpResponse, change: datetime | None) -> None:
    """Keep a rendered 200 response under the ticket ``fetch`` gave, until ``change`` at most.

    ``change`` is the next scheduled change of what is public, looked up from the
    time the request started (before the page was rendered), so a story whose
    embargo ends meanwhile cuts the entry short.
    """
    if ticket is None or response.status_code != 200 or response.streaming:
        return
    if response.has_header("Set-Cookie") or "private" in response.get("Cache-Control", ""):
        return
    timeout = app_settings.PAGE_CACHE_TIMEOUT
    if change is not None:
        timeout = min(timeout, math.floor((change - timezone.now()).total_seconds()))
    response[HIT_HEADER] = "miss"
    if timeout < 1:
        return
    entry = {
        "generation": ticket["generation"],
        # Also checked on read, so the clock alone (not only the cache's expiry) retires it.
        "until": ticket["now"] + timedelta(seconds=timeout),
        "change": change,
        "status": response.status_code,
        "content": response.content,
        "headers": [(k, v) for k, v in response.items() if k != HIT_HEADER],
    }
    try:
        _cache().set(ticket["key"], entry, timeout)
    except CACHE_ERRORS as error:
        _warn("write", error)
