"""Template tags for the newsroom's pages: thin presenters over models and settings."""

from django import template
from django.utils import timezone

from ..conf import app_settings
from ..models import Section

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """Return the publication's name (``ARTICLES_SITE_NAME``)."""
    return app_settings.SITE_NAME


@register.simple_tag
def sections():
    """Return every section, for navigation menus (one query)."""
    return Section.objects.all()


@register.filter
def iso_datetime(value) -> str:
    """Format a datetime for ``<time datetime>``: ISO 8601 in local time, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
