"""The site's URLs plus ``/__bare__/<bytes>/``: the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

_FILLER = b"<p>" + b"x" * 1020 + b"</p>\n"


def bare(request, size: int):
    """Answer ``size`` bytes of HTML: Django's routing and middleware, no database, no template."""
    body = (_FILLER * (size // len(_FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bare__/<int:size>/", bare), *site_urlpatterns]
