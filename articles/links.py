"""Public URLs of slugged pages, built without resolving the URLconf each time.

A list page links every card to its story and section; ``reverse()`` walks the
URLconf for each of those links. ``slug_path()`` reverses a route once per URLconf
and script prefix with a placeholder slug and fills it in afterwards, giving
exactly what ``reverse(route, kwargs={"slug": slug})`` gives.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Django's slug path converter: anything else goes through reverse() and its errors.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "slug-placeholder-0d9c1e"

_templates: dict[tuple[str, str, object], str] = {}


def slug_path(route: str, slug: str) -> str:
    """Return ``reverse(route, kwargs={"slug": slug})``, from a template made once."""
    if not SLUG.fullmatch(slug):
        return reverse(route, kwargs={"slug": slug})
    key = (route, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = reverse(route, kwargs={"slug": PLACEHOLDER})
    return template.replace(PLACEHOLDER, slug, 1)
