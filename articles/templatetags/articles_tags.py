"""Template tags for the newsroom's pages: thin presenters over models and settings."""

from urllib.parse import urlencode

from django import template
from django.utils import timezone

from .. import embeds, search, structured_data
from ..conf import app_settings
from ..models import Section
from ..presenters import absolute, origin_for

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


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """Return this page's canonical URL: absolute, keeping only the ``page`` parameter."""
    request = context["request"]
    url = absolute(origin_for(request), request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        url += "?" + urlencode({"page": page})
    return url


@register.simple_tag
def article_json_ld(facts):
    """Render the story's ``NewsArticle`` and ``BreadcrumbList`` JSON-LD blocks."""
    return structured_data.script_tag(
        structured_data.news_article(facts)
    ) + structured_data.script_tag(structured_data.breadcrumbs(facts))


@register.filter
def embed_videos(body: str):
    """Turn YouTube and Vimeo URLs on their own line into privacy-respecting players."""
    return embeds.embed_videos(body)


@register.simple_tag
def search_snippet(article, query: str):
    """Return an escaped extract of ``article`` with the words of ``query`` marked."""
    return search.snippet(article, query)
