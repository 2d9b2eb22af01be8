"""Previews of unpublished stories in the public template, and shareable preview links.

A shareable link carries a token signed with Django's signing framework: it names one
preview link row (revocable) and one article, and it expires after
``ARTICLES_PREVIEW_LINK_MAX_AGE`` seconds even if the row is tampered with. Every preview
response says ``noindex, nofollow`` and is never stored by a shared cache.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import View

from .conf import app_settings
from .models import Article, PreviewLink
from .models.related import related_items
from .workflow import describe_state, state_of

SALT = "articles.preview-link"


def mark_private(response):
    """Keep a preview out of search engines and shared caches."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_response(request, article: Article, *, label: str, related=None):
    """Render ``article`` in the public story template, marked as a preview."""
    response = TemplateResponse(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "object": article,
            "related": related_items(article, app_settings.RELATED_COUNT)
            if related is None
            else related,
            "preview": label,
            # The banner says where the story stands: "Scheduled for 1 Dec 2026, 21:21 GMT".
            "preview_state": describe_state(article, state_of(article)),
        },
    )
    return mark_private(response.render())


def create_link(article: Article, user=None) -> PreviewLink:
    """Make a new shareable link for ``article``, valid for ``ARTICLES_PREVIEW_LINK_MAX_AGE``."""
    return PreviewLink.objects.create(
        article=article,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=timezone.now() + timedelta(seconds=app_settings.PREVIEW_LINK_MAX_AGE),
    )


def token_for(link: PreviewLink) -> str:
    """Return the signed token naming ``link`` and its article."""
    return signing.dumps({"link": link.pk, "article": link.article_id}, salt=SALT)


def url_for(link: PreviewLink) -> str:
    from django.urls import reverse

    return reverse(
        "articles:shared_preview", kwargs={"slug": link.article.slug, "token": token_for(link)}
    )


class PreviewDenied(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def resolve(token: str, slug: str) -> PreviewLink:
    """Return the live preview link ``token`` names for the article at ``slug``.

    Raises ``PreviewDenied`` with 403 (forged, or for another article) or 410 (expired,
    revoked).
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=app_settings.PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise PreviewDenied(410, "expired") from None
    except signing.BadSignature:
        raise PreviewDenied(403, "invalid") from None
    link = (
        PreviewLink.objects.select_related("article")
        .filter(pk=data.get("link"), article_id=data.get("article"))
        .first()
    )
    if link is None or link.article.slug != slug:
        raise PreviewDenied(403, "invalid")
    if link.revoked_at is not None:
        raise PreviewDenied(410, "revoked")
    if link.expires_at <= timezone.now():
        raise PreviewDenied(410, "expired")
    return link


class SharedPreviewView(View):
    """Show an unpublished story to whoever holds a live preview link for it."""

    template_name = "articles/preview_denied.html"

    def get(self, request, slug: str, token: str):
        try:
            link = resolve(token, slug)
        except PreviewDenied as denied:
            response = render(
                request, self.template_name, {"reason": denied.reason}, status=denied.status
            )
            return mark_private(response)
        article = Article.objects.get_detail(pk=link.article_id)
        return preview_response(request, article, label="shared")
