"""Template tags for the newsroom's pages: thin presenters over models and settings."""

from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from js_asset import Media

from .. import languages, rendering, search, sitefacts, structured_data, times
from ..conf import app_settings
from ..models.publishing import can_publish
from ..presenters import absolute, origin_for, story_card

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """Return the publication's name (``ARTICLES_SITE_NAME``)."""
    return app_settings.SITE_NAME


@register.simple_tag
def sections():
    """Return the sections with public stories, for navigation menus (``sitefacts``)."""
    return list(sitefacts.site_facts().sections)


@register.filter
def reader_time(value):
    """Show a time as public pages do, in the newsroom's zone and the reader's language."""
    return times.reader_time(value)


@register.filter
def reader_date(value):
    """Show a day as public lists do, in the newsroom's zone and the reader's language."""
    return times.reader_date(value)


@register.simple_tag
def lang_attributes(code: str):
    """Return `` lang="…" dir="…"`` for content in language ``code`` unless it is the page's."""
    return languages.lang_attributes(code)


CARD_TEMPLATE = "articles/includes/card.html"


@register.simple_tag
def story_cards(stories, heading="h2", show_dek=False, template=CARD_TEMPLATE):
    """Return each story's card (``articles/includes/card.html``) as HTML, in order.

    ``{% story_cards articles heading="h3" show_dek=True as cards %}`` then
    ``{% for card in cards %}<li>{{ card }}</li>{% endfor %}``; ``template=`` names
    another card template. Each card template gets ``card`` (``presenters.Card``),
    ``story``, ``heading`` and ``show_dek``.
    """
    card, days = get_template(template), {}
    return [
        card.render(
            {
                "card": story_card(story, days),
                "story": story,
                "heading": heading,
                "show_dek": show_dek,
            }
        )
        for story in stories
    ]


@register.simple_tag
def related_cards(items):
    """Pair each "More from" item with its story's card (None for an outside link)."""
    card, days = get_template(CARD_TEMPLATE), {}
    return [
        (
            item,
            card.render(
                {"card": story_card(item.article, days), "story": item.article, "heading": "h3"}
            )
            if item.article
            else None,
        )
        for item in items
    ]


@register.filter
def iso_datetime(value) -> str:
    """Format a datetime for ``<time datetime>``: ISO 8601 in local time, whole seconds."""
    return times.iso_time(value) if value else ""


@register.filter
def desk_time(value) -> str:
    """Show a time the way the admin does: "1 Dec 2026, 21:21 GMT", in the newsroom's zone."""
    return times.desk_time(value)


@register.simple_tag
def desk_role(user) -> str:
    """Name ``user``'s desk role from their permissions: "Editor", "Reporter" or ""."""
    if can_publish(user):
        return _("Editor")
    if user and user.has_perm("articles.change_article"):
        return _("Reporter")
    return ""


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
def article_json_ld(facts, live=None):
    """Render the story's ``NewsArticle`` (``LiveBlogPosting`` with ``live``) and breadcrumbs."""
    if live is None:
        main = structured_data.news_article(facts)
    else:
        main = structured_data.live_blog_posting(facts, live)
    return structured_data.script_tag(main) + structured_data.script_tag(
        structured_data.breadcrumbs(facts)
    )


@register.simple_tag
def update_json_ld(facts, update):
    """Render a live update's own page's ``BlogPosting`` JSON-LD block."""
    return structured_data.script_tag(structured_data.update_posting(facts, update))


@register.simple_tag
def live_poll_seconds() -> int:
    """Return the seconds between a live page's looks for updates (``LIVE_POLL_SECONDS``)."""
    return app_settings.LIVE_POLL_SECONDS


@register.filter
def story_body(body: str, sponsored: bool = False):
    """Render a stored body for the story page: library photos and video players.

    ``{{ article.body|story_body:article.sponsored }}`` marks a sponsored story's
    outbound links ``rel="sponsored"``.
    """
    return rendering.page_body(body, sponsored=bool(sponsored))


@register.simple_tag
def search_snippet(article, query: str):
    """Return an escaped extract of ``article`` with the words of ``query`` marked."""
    return search.snippet(article, query)


@register.simple_tag(takes_context=True)
def csp_nonce(context) -> str:
    """Return this request's Content-Security-Policy nonce, or "" when the site sends none."""
    # Django 6's csp context processor, else django-csp's middleware; both are
    # lazy: reading the value is what adds the nonce to the response's header.
    nonce = context.get("csp_nonce")
    if nonce is None:
        nonce = getattr(context.get("request"), "csp_nonce", None)
    return "" if nonce is None else str(nonce)


@register.simple_tag(takes_context=True)
def with_csp_nonce(context, media):
    """Return form ``media`` carrying the request's CSP nonce (for its inline import map)."""
    nonce = csp_nonce(context)
    return Media.from_media(media, nonce=nonce) if nonce else media


@register.filter
def duration(value: timedelta) -> str:
    """Write a length of time in words ("30 minutes"), as ``timeuntil`` does."""
    now = timezone.now()
    return timeuntil(now + value, now)
