"""The demo's languages: the admin in each editor's, the public site in the newsroom's."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation


class EditorLocaleMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` for the admin; public pages in ``LANGUAGE_CODE``.

    An editor's browser (or the language cookie) picks the admin's language. Readers
    see the edition's language whatever their browser says, as a newspaper's site
    does; a host that wants readers' browsers to choose uses ``LocaleMiddleware``
    itself (docs/embedding.md, "Languages").
    """

    def is_admin(self, request) -> bool:
        return request.path_info.startswith(reverse("admin:index"))

    def process_request(self, request):
        if self.is_admin(request):
            return super().process_request(request)
        # Threads serve many requests: the last admin request's language must not stay.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if self.is_admin(request):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
