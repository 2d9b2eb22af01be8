"""Sitemaps of public stories, sections, tags and authors, and a Google News sitemap.

Each is a ``django.contrib.sitemaps`` ``Sitemap``; ``SITEMAPS`` is the index
the app serves at ``sitemap.xml``. Every page is two queries (a count and a
slice), whatever its size. Photos and dates come from ``presenters``.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from .conf import app_settings
from .models import Article, Author, Section, Tag
from .presenters import headline, language_code, lead_photo_facts, local_time, modified_time

# Google News reads stories published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class NewsroomSitemap(Sitemap):
    @property
    def limit(self) -> int:
        return app_settings.SITEMAP_LIMIT

    def origin(self, site, protocol) -> str:
        return f"{self.get_protocol(protocol)}://{self.get_domain(site)}"


class ArticleSitemap(NewsroomSitemap):
    """Every public story, with its lead photo (image sitemap extension)."""

    def items(self):
        return Article.objects.published().select_related("lead_image")

    def lastmod(self, article):
        return modified_time(article)

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default, which loads every item.
        latest = self.items().order_by().aggregate(Max("published_at"), Max("updated_at"))
        times = [local_time(value) for value in latest.values() if value]
        return max(times, default=None)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = self.origin(site, protocol)
        for url in urls:
            url["photo"] = lead_photo_facts(url["item"], origin)
        return urls


class NewsSitemap(ArticleSitemap):
    """Stories published in the last two days, for Google News."""

    def recent(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().filter(published_at__gte=since)

    def items(self):
        return self.recent().select_related("lead_image")[:NEWS_LIMIT]

    def get_latest_lastmod(self):
        latest = self.recent().order_by().aggregate(Max("published_at"), Max("updated_at"))
        times = [local_time(value) for value in latest.values() if value]
        return max(times, default=None)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            article = url["item"]
            url["news"] = {
                "name": app_settings.SITE_NAME,
                "language": language_code(),
                "published": local_time(article.published_at),
                "title": headline(article),
            }
        return urls


def latest_public_story(field: str):
    """Annotate each row with the publication time of its newest public story."""
    stories = Article.objects.published().filter(**{field: OuterRef("pk")})
    return Subquery(stories.values("published_at")[:1])


class SubjectSitemap(NewsroomSitemap):
    """Sections, tags or authors with at least one public story."""

    model = None
    story_field = ""

    def items(self):
        return (
            self.model.objects.annotate(latest=latest_public_story(self.story_field))
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, subject):
        return local_time(subject.latest)

    def get_latest_lastmod(self):
        stories = Article.objects.published().filter(**{f"{self.story_field}__isnull": False})
        latest = stories.order_by().aggregate(Max("published_at"))["published_at__max"]
        return local_time(latest) if latest else None


class SectionSitemap(SubjectSitemap):
    model = Section
    story_field = "section"


class TagSitemap(SubjectSitemap):
    model = Tag
    story_field = "tagged_items__tag"


class AuthorSitemap(SubjectSitemap):
    model = Author
    story_field = "bylines__author"


SITEMAPS = {
    "news": NewsSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
