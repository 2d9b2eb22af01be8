"""The anonymous page cache: public pages versioned by their URL's scopes (docs/decisions.md)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .conf import app_settings

logger = logging.getLogger(__name__)

PAGE_KEY_PREFIX = "articles:page:v4:"  # a new version whenever the entries change shape
SCOPE_KEY_PREFIX = "articles:scope:"
HIT_HEADER = "X-Page-Cache"
#: The home page, site feeds, sitemaps, search, API list, and any route not named below.
LISTS_SCOPE = "lists"
#: What every page shows around its content (the sections in the navigation).
SITE_SCOPE = "site"


def _named(kind: str, slug) -> str:
    # Percent-encoded: scope names travel in CDN headers, which want ASCII without spaces.
    return f"{kind}:{quote(str(slug), safe='-_')}"


#: Name the scope of a story, section, tag or author by slug (its pages, feeds, API document).
story_scope, section_scope = partial(_named, "story"), partial(_named, "section")
tag_scope, author_scope = partial(_named, "tag"), partial(_named, "author")
# The first part of the app's route names whose ``slug`` names the page's subject.
_ROUTE_KINDS = {"article": "story", "api": "story"} | {k: k for k in ("section", "tag", "author")}


def page_scopes(request: HttpRequest) -> list[str]:
    """Return the scopes of the page at ``request``'s resolved URL (known before rendering)."""
    match = request.resolver_match
    own = match is not None and "articles" in match.app_names and "slug" in match.kwargs
    kind = _ROUTE_KINDS.get(match.url_name.split("_")[0]) if own else None
    return [SITE_SCOPE, _named(kind, match.kwargs["slug"]) if kind else LISTS_SCOPE]


_open_until = 0.0  # the circuit breaker, per process
_unsent: set[str] = set()  # scopes whose bump the breaker held back


def _failed(action: str, error: Exception) -> None:
    global _open_until
    _open_until = time.monotonic() + app_settings.PAGE_CACHE_RETRY_AFTER
    logger.warning("Page cache unavailable (%s): %s; serving pages uncached.", action, error)


def _cache():
    return caches[app_settings.PAGE_CACHE_ALIAS]


def bump(scopes: Iterable[str]) -> None:
    """Give each of ``scopes`` a new version (``invalidation.py`` calls it after commit)."""
    _unsent.update(scopes)
    if not (_unsent and time.monotonic() >= _open_until):
        return
    sending = set(_unsent)
    try:  # random versions: one set after the old was lost never repeats it
        _cache().set_many({SCOPE_KEY_PREFIX + s: secrets.randbits(62) for s in sending}, None)
        _unsent.difference_update(sending)
    except Exception as error:
        _failed("invalidate", error)


def fetch(request: HttpRequest) -> tuple[HttpResponse | None, dict | None]:
    """Return the cached response (or None) and a ticket for ``store`` (None: do not keep)."""
    shared = app_settings.PAGE_CACHE and request.method in ("GET", "HEAD")
    private = settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
    if not shared or private or time.monotonic() < _open_until:
        return None, None  # only anonymous readers share pages, and not with the breaker open
    bump(())  # what the breaker held back
    shape = [request.build_absolute_uri(), translation.get_language() or ""]
    shape.append(timezone.get_current_timezone_name())
    key = PAGE_KEY_PREFIX + hashlib.sha256("\n".join(shape).encode()).hexdigest()
    scopes = page_scopes(request)
    try:
        found = _cache().get_many([key, *(SCOPE_KEY_PREFIX + scope for scope in scopes)])
        versions = {scope: found.get(SCOPE_KEY_PREFIX + scope) for scope in scopes}
        entry, now = found.get(key), timezone.now()
        if entry and entry["versions"] == versions and now < entry["until"]:
            response = HttpResponse(entry["content"], headers=entry["headers"])
            response[HIT_HEADER] = "hit"
            return response, {"change": entry["change"]}
        for scope in [scope for scope, version in versions.items() if version is None]:
            versions[scope] = secrets.randbits(62)
            if not _cache().add(SCOPE_KEY_PREFIX + scope, versions[scope], timeout=None):
                return None, None  # set meanwhile, maybe by a change: the next reader keeps it
    except Exception as error:
        _failed("read", error)
        return None, None
    return None, {"key": key, "versions": versions, "now": now}


def store(ticket, response: HttpResponse, change: datetime) -> None:
    """Keep a rendered 200 response under the ticket ``fetch`` gave, until ``change`` at most."""
    if ticket is None or response.status_code != 200 or response.streaming or response.cookies:
        return
    response[HIT_HEADER] = "miss"
    left = (change - timezone.now()) // timedelta(seconds=1)  # whole seconds
    timeout = min(app_settings.PAGE_CACHE_TIMEOUT, left)
    if timeout < 1 or "private" in response.get("Cache-Control", ""):
        return
    entry = {
        "versions": ticket["versions"],
        # Checked on read too, so the clock alone (not only the cache's expiry) retires it.
        "until": ticket["now"] + timedelta(seconds=timeout),
        "change": change,
        "content": response.content,
        "headers": {k: v for k, v in response.items() if k != HIT_HEADER},
    }
    try:
        _cache().set(ticket["key"], entry, timeout)
    except Exception as error:
        _failed("write", error)
