"""Old WordPress addresses answered with a permanent redirect to the imported story."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect

from .models import WordPressOrigin


class WordPressRedirectMiddleware:
    """Answer 301 for the permalinks and ``?p=ID`` links of imported WordPress posts.

    Like ``django.contrib.redirects``, it only looks at requests nothing else
    answered (404s), so it costs nothing on working pages; ``/?p=ID`` is also
    checked when the host's own front page answers it. The target is reversed
    from the article, so it follows the app's mount point and later slug changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        post_id = request.GET.get("p", "")
        if "\x00" in request.path:
            return response  # never a permalink, and PostgreSQL refuses the lookup
        if response.status_code == 404 or (post_id.isdigit() and request.path == "/"):
            article = WordPressOrigin.objects.redirect_for(request.path, post_id)
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response
