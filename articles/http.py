"""HTTP caching for public responses: validators, 304s and headers a CDN can act on."""

from __future__ import annotations

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

from .conf import app_settings


def public_cache(view):
    """Mark a public view's successful answers cacheable and answer conditional GETs.

    The response gets ``Cache-Control: public, max-age=ARTICLES_CACHE_MAX_AGE``
    and an ``ETag`` of its content; ``If-None-Match`` and, where the view set
    ``Last-Modified``, ``If-Modified-Since`` turn it into a 304. Only for pages
    that are the same for every reader: never for previews or the admin.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        patch_cache_control(response, public=True, max_age=app_settings.CACHE_MAX_AGE)
        if response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    return wrapped
