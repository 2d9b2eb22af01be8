"""The anonymous page cache: rendered public pages in the cache every app server shares.

An entry is keyed by the page's URL (scheme, host, path, query) and what else shapes
its HTML (the active language and time zone), and lives in
``caches[ARTICLES_PAGE_CACHE_ALIAS]`` (Redis in production).

It is **versioned by scopes**, named parts of the public site (one story, one section,
tag or author, the site-wide lists, the site around every page). A page's scopes
come from its resolved URL (``url_scopes``: a story page is its story's scope, a tag
page its tag's, by slug), so they are known before the view runs and one
``cache.get_many`` reads the entry with every version it was stored under. After a
change commits, ``invalidation.py`` moves the version of each scope the change
touched (``bump``): a story's own scope also moves when anything its page shows
changes (its tags' or authors' names, a photo, a story in its "More from" module).
Versions are read before the view reads the database, so a page rendered while a
change committed is stored under the old versions and never served.

No entry outlives the next scheduled change of what is public (an embargo, an
expiry, a photo's rights ending: ``http.next_change``). Editors (a session
cookie), requests with credentials and anything but GET/HEAD bypass the cache.

**Faults.** When the cache fails (down, or frozen past the client's socket timeouts),
a small circuit breaker opens: for ``ARTICLES_PAGE_CACHE_RETRY_AFTER`` seconds this
process serves pages uncached without trying the cache, and logs one warning. Bumps
that could not be sent are kept and sent before the next read once it is closed again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .conf import app_settings

logger = logging.getLogger(__name__)

PAGE_KEY_PREFIX = "articles:page:v3:"  # v3: versioned by the scopes of the URL
SCOPE_KEY_PREFIX = "articles:scope:"
HIT_HEADER = "X-Page-Cache"

#: Pages listing the newest stories site-wide: home, site feeds, sitemaps, search, the
#: API list. Every change to a public story moves it; so does the page of any route
#: not named in ``url_scopes``.
LISTS_SCOPE = "lists"
#: What every page shows around its content (the sections in the navigation).
SITE_SCOPE = "site"


def _named(kind: str, slug) -> str:
    # Percent-encoded: scope names travel in CDN headers, which want ASCII without spaces.
    return f"{kind}:{quote(str(slug), safe='-_')}"


def story_scope(slug: str) -> str:
    """Name the scope of one story, by slug: its page and API document."""
    return _named("story", slug)


def section_scope(slug: str) -> str:
    """Name the scope of one section, by slug: its page and feeds."""
    return _named("section", slug)


def tag_scope(slug: str) -> str:
    """Name the scope of one tag, by slug: its page and feeds."""
    return _named("tag", slug)


def author_scope(slug: str) -> str:
    """Name the scope of one author, by slug: their page and feeds."""
    return _named("author", slug)


# The app's routes whose page is about the object their ``slug`` names.
_SLUG_ROUTES = {"article": story_scope, "api_detail": story_scope} | {
    f"{kind}{feed}": scope
    for kind, scope in (("section", section_scope), ("tag", tag_scope), ("author", author_scope))
    for feed in ("", "_rss", "_atom")
}


def url_scopes(request: HttpRequest) -> list[str]:
    """Return the scopes the page at ``request``'s resolved URL shows (before it is rendered)."""
    match = request.resolver_match
    own = match is not None and "articles" in match.app_names and "slug" in match.kwargs
    scope = _SLUG_ROUTES.get(match.url_name) if own else None
    return [SITE_SCOPE, scope(match.kwargs["slug"]) if scope else LISTS_SCOPE]


def depends_on(request: HttpRequest, *scopes: str) -> None:
    """Add ``scopes`` to the page's scopes (``page_scopes``), for the CDN's surrogate keys.

    The page cache itself checks only ``url_scopes``, which invalidation keeps complete.
    """
    request.articles_scopes = {*getattr(request, "articles_scopes", ()), *scopes}


def page_scopes(request: HttpRequest) -> list[str]:
    """Return every scope the page answering ``request`` shows (sorted)."""
    return sorted({*url_scopes(request), *getattr(request, "articles_scopes", ())})


# The circuit breaker and the bumps it held back (per process).
_open_until = 0.0
_unsent: set[str] = set()


def _failed(action: str, error: Exception) -> None:
    global _open_until
    _open_until = time.monotonic() + app_settings.PAGE_CACHE_RETRY_AFTER
    logger.warning("Page cache unavailable (%s): %s; serving pages uncached.", action, error)


def _closed() -> bool:
    return time.monotonic() >= _open_until


def _scope_key(scope: str) -> str:
    return SCOPE_KEY_PREFIX + scope


def bump(scopes: Iterable[str]) -> None:
    """Give each of ``scopes`` a new version (``invalidation.py`` calls it after commit)."""
    _unsent.update(scopes)
    if not (_unsent and _closed()):
        return
    # Random, not counted: a version set after the old one was lost never repeats it.
    sending = set(_unsent)
    versions = {_scope_key(scope): secrets.randbits(62) for scope in sending}
    try:
        caches[app_settings.PAGE_CACHE_ALIAS].set_many(versions, timeout=None)
    except Exception as error:
        _failed("invalidate", error)
    else:
        _unsent.difference_update(sending)


def bypasses_cache(request: HttpRequest) -> bool:
    """Tell whether ``request`` must get a freshly rendered page."""
    return (
        not app_settings.PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
    )


def _page_key(request: HttpRequest) -> str:
    shape = (request.build_absolute_uri(), translation.get_language() or "")
    shape += (timezone.get_current_timezone_name(),)
    return PAGE_KEY_PREFIX + hashlib.sha256("\n".join(shape).encode()).hexdigest()


def fetch(request: HttpRequest) -> tuple[HttpResponse | None, dict | None]:
    """Return the cached response for ``request`` (or None) and a ticket for ``store``.

    One ``get_many`` reads the entry and its versions. The ticket is None when the
    page cannot be kept (the cache failed, or a version was set meanwhile).
    """
    if not _closed():
        return None, None
    if _unsent:
        bump(())
    cache = caches[app_settings.PAGE_CACHE_ALIAS]
    key, scopes = _page_key(request), url_scopes(request)
    try:
        found = cache.get_many([key, *map(_scope_key, scopes)])
        versions = {scope: found.get(_scope_key(scope)) for scope in scopes}
        entry, now = found.get(key), timezone.now()
        if entry and entry["versions"] == versions and now < entry["until"]:
            response = HttpResponse(entry["content"], status=entry["status"])
            for header, value in [*entry["headers"], (HIT_HEADER, "hit")]:
                response[header] = value
            depends_on(request, *entry["scopes"])
            return response, {"change": entry["change"]}
        for scope in [scope for scope, version in versions.items() if version is None]:
            versions[scope] = secrets.randbits(62)
            if not cache.add(_scope_key(scope), versions[scope], timeout=None):
                return None, None  # a change landed meanwhile: let the next reader keep it
    except Exception as error:
        _failed("read", error)
        return None, None
    return None, {"key": key, "versions": versions, "now": now}


def store(
    ticket: dict | None, request: HttpRequest, response: HttpResponse, change: datetime | None
) -> None:
    """Keep a rendered 200 response under the ticket ``fetch`` gave, until ``change`` at most."""
    if ticket is None or response.status_code != 200 or response.streaming or response.cookies:
        return
    if "private" in response.get("Cache-Control", ""):
        return
    response[HIT_HEADER] = "miss"
    timeout = app_settings.PAGE_CACHE_TIMEOUT
    if change is not None:
        timeout = min(timeout, math.floor((change - timezone.now()).total_seconds()))
    if timeout < 1 or not _closed():
        return
    entry = {
        "versions": ticket["versions"],
        "scopes": page_scopes(request),
        # Checked on read too, so the clock alone (not only the cache's expiry) retires it.
        "until": ticket["now"] + timedelta(seconds=timeout),
        "change": change,
        "status": response.status_code,
        "content": response.content,
        "headers": [(k, v) for k, v in response.items() if k != HIT_HEADER],
    }
    try:
        caches[app_settings.PAGE_CACHE_ALIAS].set(ticket["key"], entry, timeout)
    except Exception as error:
        _failed("write", error)
