"""HTTP caching for public responses: validators, 304s and headers a CDN can act on."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import wraps

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

from . import edge, pagecache, sitefacts
from .conf import app_settings


def next_change(now: datetime) -> datetime:
    """Return when public pages next change by themselves, from ``now`` on.

    An embargo lifts, a story expires or its live coverage ends
    (``ArticleQuerySet.next_change``, kept by ``sitefacts``), or a photo's
    rights end. Rights end on a date (``ImageQuerySet.usable_q``), at local midnight,
    so the next midnight bounds every page: no query, one render a page a day.
    """
    tomorrow = datetime.combine(timezone.localdate(now) + timedelta(days=1), time())
    change, midnight = sitefacts.next_change(now), timezone.make_aware(tomorrow)
    return midnight if change is None else min(change, midnight)


def changes_at(request, moment: datetime | None) -> None:
    """Say that the page answering ``request`` changes by itself at ``moment`` (None: never).

    For what only some pages show, such as a front's placement starting or ending or a
    live story's scheduled update: those pages end their cache lifetimes then, without a
    query on every other page.
    """
    if moment is not None:
        request.articles_changes_at = min(moment, getattr(request, "articles_changes_at", moment))


def max_age_until(change: datetime) -> int:
    """Return ``ARTICLES_CACHE_MAX_AGE``, cut short so it ends at ``change``.

    Scheduling needs no worker because the public QuerySet compares with the clock;
    caches must do the same, or a page cached just before an embargo lifts (or a story
    expires) would stay stale for a whole max-age.
    """
    left = max(0, int((change - timezone.now()).total_seconds()))
    return min(app_settings.CACHE_MAX_AGE, left)


def has_nul(request, text_parameters=()) -> bool:
    """Tell whether the path or a query parameter holds a NUL, which no database stores.

    PostgreSQL refuses such a string in any query; no slug, filter or cursor of ours
    can hold one, so the request is malformed (400) wherever the NUL is. Free-text
    parameters the view cleans itself (a class-based view's ``text_parameters``,
    such as the search box) are left to it.
    """
    return "\x00" in request.path or any(
        "\x00" in key or (key not in text_parameters and any("\x00" in v for v in values))
        for key, values in request.GET.lists()
    )


def public_cache(view):
    """Mark a public view's successful answers cacheable and answer conditional GETs.

    The response gets ``Cache-Control: public, max-age=…, s-maxage=…``
    (``ARTICLES_CACHE_MAX_AGE``), shortened so no cache outlives the next embargo,
    expiry or photo rights end (``next_change``) or what the page itself said
    (``changes_at``), and an ``ETag`` of its content; ``If-None-Match``
    and, where the view set ``Last-Modified``, ``If-Modified-Since`` turn it into a
    304. With ``ARTICLES_PAGE_CACHE`` on, anonymous readers get the page from the
    shared page cache (``pagecache.py``), versioned by the scopes its URL names; the view
    declares a change of its own with ``changes_at``. Only for pages that are the same
    for every reader: never for previews or the admin.
    """

    text_parameters = getattr(getattr(view, "view_class", None), "text_parameters", ())

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if has_nul(request, text_parameters):
            raise BadRequest("A NUL character in the address.")
        response, ticket = pagecache.fetch(request)
        if response is not None:
            max_age = max_age_until(ticket["change"])
            patch_cache_control(response, max_age=max_age, s_maxage=max_age)
        else:
            # Taken before rendering: a change due while the page renders still counts.
            start = timezone.now()
            sitefacts.site_facts(start)  # read as of ``start`` if need be, for ``next_change``
            response = view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            change = next_change(start)
            change = min(change, getattr(request, "articles_changes_at", change))
            max_age = max_age_until(change)
            patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
            edge.add_surrogate_keys(request, response)  # before ``store``: hits carry them too
            if response.streaming:
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if not response.has_header("ETag"):
                set_response_etag(response)
            pagecache.store(ticket, response, change)
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    return wrapped
