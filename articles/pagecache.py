"""The anonymous page cache: rendered public pages kept in a cache every app server shares.

Entries live in ``caches[ARTICLES_PAGE_CACHE_ALIAS]`` (Redis in production), so
any number of app servers behind a load balancer read and fill one cache.

Freshness rests on two rules:

* **scopes**: a scope names a part of the public site (one story, one section's
  stories, one tag's, one author's, the newest stories site-wide, the site around
  them) and has a version in the same cache. A view declares the scopes its page
  shows (``depends_on``); the entry records their versions, and a read rejects it
  once any has moved. After a change commits, ``invalidation.py`` gives new
  versions to exactly the scopes it touched (``bump_scopes``), so an edit, a
  publication or a retraction shows on every page that shows it at once, and
  pages about other stories stay cached;
* no entry outlives the **next scheduled change** of what is public (a story's
  embargo ending or an expiry, ``ArticleQuerySet.next_change()``): its time-to-live is cut
  to end there.

Versions are read before the page is rendered: a page records versions from
before its database reads, or none. Since the page's scopes are only known once the
view has run, ``fetch`` also reads one more key, the *change mark*, which every
bump moves before the scopes; ``store`` reads the scopes and the mark again and
keeps the page only if no change landed while it was rendered.

Round trips: a hit is one ``get_many`` (the entry, the scopes this process saw
the page declare last time, and the mark); a miss adds one ``get_many`` and one
``set``. Readers with a session cookie (editors), requests carrying credentials
and anything but GET/HEAD bypass the cache. If the cache cannot be reached, pages
are served uncached and a warning is logged (at most once a minute per process).
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .conf import app_settings

logger = logging.getLogger(__name__)

SCOPE_KEY_PREFIX = "articles:scope:"
PAGE_KEY_PREFIX = "articles:page:v2:"  # v2: entries record scopes (v1 recorded a generation)
HIT_HEADER = "X-Page-Cache"
WARN_EVERY = 60  # seconds between two "cache unreachable" warnings of one process
REMEMBERED_PAGES = 10_000  # pages whose scopes one process remembers (``_seen``)

try:  # the errors a cache back end raises when its server is away
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is an optional dependency
    CACHE_ERRORS = (OSError,)

_last_warning = 0.0
# Page key -> the scopes this process last saw the page record, so a hit reads the
# entry and its scopes' versions in one round trip. A hint only: ``fetch`` reads
# whatever it lacks, so a cold or cleared memo costs a round trip, never freshness.
_seen: dict[str, tuple[str, ...]] = {}


def _cache():
    return caches[app_settings.PAGE_CACHE_ALIAS]


def _warn(action: str, error: BaseException) -> None:
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY:
        _last_warning = time.monotonic()
        logger.warning("Page cache unavailable (%s): %s; serving pages uncached.", action, error)


# Scopes: named parts of the public site whose version moves when they change. A
# cached page records the versions of the scopes it shows and is
# ignored once any of them has moved. Build names with these helpers only.

#: Pages listing the newest stories site-wide: home, site feeds, sitemaps, search, API lists.
#: Every change to a public story moves it, so it is also what an undeclared page depends on.
LISTS_SCOPE = "lists"
#: What every page shows around its content, such as the sections in the navigation;
#: every cached page depends on it.
SITE_SCOPE = "site"
# Moved by every bump before its scopes: tells ``store`` a change landed during a render.
_MARK = "*"
#: Moved first by every change: a part rendered while it moved is not kept.
CHANGE_MARK = _MARK


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


def _get_many(cache, keys: list[str]) -> dict:
    """Return ``cache.get_many(keys)``: one ``MGET``, and for Redis a cheaper one.

    Django's ``RedisCache`` builds a new redis-py client object and checks every key
    for memcached on each call; a page cache hit reads some twenty keys (the page,
    its scopes, the mark), and that overhead was most of its cost. For Redis this
    keeps one client per cache object and uses Django's own key function and
    serializer, so what is read is exactly what ``get_many`` returns.
    """
    if not isinstance(cache, RedisCache) or not keys:
        return cache.get_many(keys)
    client = cache.__dict__.get("_articles_reader")
    if client is None:
        client = cache.__dict__["_articles_reader"] = cache._cache.get_client(write=False)
    made = [cache.make_key(key) for key in keys]
    loads = cache._cache._serializer.loads
    return {
        key: loads(value)
        for key, value in zip(keys, client.mget(made), strict=True)
        if value is not None
    }


def _read_versions(cache, scopes: Iterable[str], found: Mapping) -> dict[str, int]:
    """Return ``scopes``' versions from ``found`` (a ``get_many`` result), starting missing ones."""
    versions = {scope: found[_scope_key(scope)] for scope in scopes if _scope_key(scope) in found}
    lost = []
    for scope in scopes:
        if scope in versions:
            continue
        # ``add`` only writes an absent key: a version a writer sets meanwhile wins,
        # so a page rendered before that change can never record the newer version.
        version = _new_version()
        if cache.add(_scope_key(scope), version, timeout=None):
            versions[scope] = version
        else:
            lost.append(scope)
    if lost:
        again = _get_many(cache, [_scope_key(scope) for scope in lost])
        for scope in lost:
            if _scope_key(scope) not in again:  # pragma: no cover - evicted in between
                raise ValueError(f"scope {scope!r} vanished while being read")
            versions[scope] = again[_scope_key(scope)]
    return versions


def scope_versions(scopes: Iterable[str]) -> dict[str, int] | None:
    """Return the current version of each of ``scopes``; None when the cache is unreachable.

    One ``get_many`` round trip (plus one ``add`` per scope never seen before). Key
    anything cached on the result, read *before* the data it is built from: the
    result changes whenever one of the scopes changes.
    """
    scopes = sorted(set(scopes))
    cache = _cache()
    try:
        return _read_versions(cache, scopes, _get_many(cache, [_scope_key(s) for s in scopes]))
    except (ValueError, *CACHE_ERRORS) as error:
        _warn("read", error)
        return None


def bump_scopes(scopes: Iterable[str]) -> None:
    """Give each of ``scopes`` a new version now (``invalidation.py`` calls it after commit).

    Two round trips: the change mark first, then the scopes, so a page whose render
    overlapped the change is never stored with the new versions (``store``).
    """
    keys = {_scope_key(scope): _new_version() for scope in set(scopes)}
    if not keys:
        return
    cache = _cache()
    try:
        cache.set(_scope_key(_MARK), _new_version(), timeout=None)
        cache.set_many(keys, timeout=None)
    except CACHE_ERRORS as error:
        _warn("invalidate", error)


def scopes_changed(scopes: Iterable[str]) -> None:
    """Invalidate what shows ``scopes`` once the current transaction commits."""
    if app_settings.PAGE_CACHE:
        scopes = frozenset(scopes)
        transaction.on_commit(lambda: bump_scopes(scopes), robust=True)


def depends_on(request: HttpRequest, *scopes: str) -> None:
    """Record that the page answering ``request`` shows ``scopes`` (views call it).

    A page that declares nothing depends on ``LISTS_SCOPE``, which every change to a
    public story moves; every page also depends on ``SITE_SCOPE``.
    """
    request.__dict__.setdefault("articles_page_scopes", set()).update(scopes)


def page_scopes(request: HttpRequest) -> list[str]:
    """Return the scopes the page answering ``request`` depends on."""
    declared = request.__dict__.get("articles_page_scopes") or {LISTS_SCOPE}
    return sorted(declared | {SITE_SCOPE})


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
    return PAGE_KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def _remember(key: str, scopes: Iterable[str]) -> None:
    if len(_seen) >= REMEMBERED_PAGES:
        _seen.clear()  # crude but lock-free; the memo is only a hint
    _seen[key] = tuple(scopes)


def fetch(request: HttpRequest) -> tuple[HttpResponse | None, dict | None]:
    """Return the cached response for ``request`` (or None) and a ticket for ``store``.

    The ticket is None when the cache is unreachable, so nothing is stored.
    """
    key = _key(request)
    # Scope keys before the mark: ``bump_scopes`` writes them in the other order.
    keys = [key, *(_scope_key(scope) for scope in _seen.get(key, ())), _scope_key(_MARK)]
    cache = _cache()
    try:
        found = _get_many(cache, keys)
        ticket = {"key": key, "mark": _read_versions(cache, [_MARK], found)[_MARK]}
        ticket["now"] = timezone.now()
        entry = found.get(key)
        if entry is None or ticket["now"] >= entry["until"]:
            return None, ticket
        wanted = entry["scopes"]
        unread = [_scope_key(scope) for scope in wanted if _scope_key(scope) not in found]
        if unread:  # the first read of this page by this process
            found.update(_get_many(cache, unread))
        _remember(key, wanted)
    except (ValueError, *CACHE_ERRORS) as error:
        _warn("read", error)
        return None, None
    if any(found.get(_scope_key(scope)) != version for scope, version in wanted.items()):
        return None, ticket
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    response[HIT_HEADER] = "hit"
    ticket["change"] = entry["change"]
    return response, ticket


def _versions_before(ticket: dict, scopes: list[str]) -> dict[str, int] | None:
    """Return ``scopes``' versions if no change landed since ``fetch`` gave ``ticket``."""
    cache = _cache()
    names = [*scopes, _MARK]  # the mark last, as in ``fetch``
    keys = [_scope_key(name) for name in names]
    found = _get_many(cache, keys)
    if len(found) < len(keys):
        # Start the scopes never seen, then read everything again: a change may
        # have landed between the two reads.
        _read_versions(cache, names, found)
        found = _get_many(cache, keys)
    if found.get(_scope_key(_MARK)) != ticket["mark"] or len(found) < len(keys):
        return None
    return {scope: found[_scope_key(scope)] for scope in scopes}


def store(
    ticket: dict | None, request: HttpRequest, response: HttpResponse, change: datetime | None
) -> None:
    """Keep a rendered 200 response under the ticket ``fetch`` gave, until ``change`` at most.

    ``change`` is the next scheduled change of what is public, looked up from the
    time the request started (before the page was rendered), so a story whose
    embargo ends meanwhile cuts the entry short. The page is not kept when a
    change to anything committed while it was rendered: the next reader renders it again.
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
    scopes = page_scopes(request)
    try:
        versions = _versions_before(ticket, scopes)
        if versions is None:
            return
        entry = {
            "scopes": versions,
            # Also checked on read, so the clock alone (not only the cache's expiry) retires it.
            "until": ticket["now"] + timedelta(seconds=timeout),
            "change": change,
            "status": response.status_code,
            "content": response.content,
            "headers": [(k, v) for k, v in response.items() if k != HIT_HEADER],
        }
        _cache().set(ticket["key"], entry, timeout)
    except (ValueError, *CACHE_ERRORS) as error:
        _warn("write", error)
        return
    _remember(ticket["key"], scopes)
