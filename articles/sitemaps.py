"""Sitemaps of public stories, sections, tags and authors, and a Google News sitemap.

Each is a ``django.contrib.sitemaps`` ``Sitemap``. Stories are split by calendar
month (UTC) into ``ArticleSitemap`` files, so no request counts the archive or
skips deep into it with ``OFFSET``: a month's file is one keyed range of the
public index, and ``story_months()`` finds the months for the index with one
index probe per month, all in a single query. ``SITEMAPS`` holds the other
sitemaps the index lists. Photos and dates come from ``presenters``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from .conf import app_settings
from .models import Article, ArticleAuthor, Author, Section, StoryKind, Tag, TaggedArticle
from .presenters import headline, language_code, lead_photo_url, local_time, modified_time

logger = logging.getLogger(__name__)

# Google News reads stories published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class NewsroomSitemap(Sitemap):
    @property
    def limit(self) -> int:
        return app_settings.SITEMAP_LIMIT

    def origin(self, site, protocol) -> str:
        return f"{self.get_protocol(protocol)}://{self.get_domain(site)}"


def month_start(moment: datetime) -> datetime:
    """Return the start of ``moment``'s calendar month in UTC."""
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StoryMonth:
    """A calendar month (UTC) with public stories, and its newest publication time."""

    start: datetime
    newest: datetime


def story_months(now: datetime | None = None) -> list[StoryMonth]:
    """Return the months holding public stories, newest first, in three index-served queries.

    Grouping the archive by month reads every public row (over a second at a
    million stories). Instead: the newest and the oldest public story bound the
    months, then one query asks each month for its newest public story, each
    question a one-row probe of the public index (``articles_public_order_idx``).
    """
    public = Article.objects.published(now)
    newest = public.values_list("pk", "published_at").first()
    if newest is None:
        return []
    oldest = public.order_by("published_at", "pk").values_list("published_at", flat=True).first()
    starts, start = [], month_start(oldest)
    while start <= newest[1]:
        starts.append(start)
        start = next_month(start)
    probes = {
        f"m{i}": Subquery(
            public.filter(published_at__gte=start, published_at__lt=next_month(start)).values(
                "published_at"
            )[:1]
        )
        for i, start in enumerate(starts)
    }
    # One row (the newest story's) carries every probe: the probes are not correlated
    # with it, so each runs once.
    row = Article.objects.filter(pk=newest[0]).annotate(**probes).values(*probes).first()
    found = row or {}
    months = [StoryMonth(start, found.get(f"m{i}")) for i, start in enumerate(starts)]
    return [month for month in reversed(months) if month.newest is not None]


class FirstPagePaginator(Paginator):
    """One page of at most ``per_page`` items, without a count.

    One more item is read to tell (``overflow``) whether the list held more.
    """

    overflow = False

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number != 1:
            raise EmptyPage("This sitemap has one page")
        return number

    def page(self, number) -> Page:
        self.validate_number(number)
        items = list(self.object_list[: self.per_page + 1])
        if not items:
            raise EmptyPage("That page contains no results")
        self.overflow = len(items) > self.per_page
        return Page(items[: self.per_page], 1, self)


class StorySitemap(NewsroomSitemap):
    """Public stories with their lead photo (image sitemap extension), in one file."""

    @cached_property
    def paginator(self) -> FirstPagePaginator:
        return FirstPagePaginator(self._items(), self.limit)

    def lastmod(self, article):
        return modified_time(article)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = self.origin(site, protocol)
        for url in urls:
            url["photo_url"] = lead_photo_url(url["item"], origin)
        return urls


class ArticleSitemap(StorySitemap):
    """The public stories published in one calendar month (UTC), oldest first.

    A month holds at most ``ARTICLES_SITEMAP_LIMIT`` URLs (50,000: some 1,600
    stories a day, every day); a busier month lists its oldest stories and logs
    a warning, rather than paging with ``OFFSET``.
    """

    def __init__(self, start: datetime):
        self.start = start

    def items(self):
        # Ascending on (published_at, pk): one keyed range of the public index, read backwards.
        return (
            Article.objects.published()
            .filter(published_at__gte=self.start, published_at__lt=next_month(self.start))
            .order_by("published_at", "pk")
            .select_related("lead_image")
            .defer("body")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        if self.paginator.overflow:
            logger.warning(
                "The sitemap of %s lists only the oldest %s of its public stories.",
                self.start.strftime("%Y-%m"),
                self.limit,
            )
        return urls


class NewsSitemap(StorySitemap):
    """Stories published in the last two days, for Google News; never sponsored content.

    Google News takes no paid content: sponsored stories are in the monthly sitemaps
    only. Without recent stories this sitemap is a 404 (the protocol's schema wants
    at least one URL), and neither the index nor ``robots.txt`` names it.
    """

    def recent(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .exclude(kind=StoryKind.SPONSORED)
        )

    def items(self):
        return self.recent().select_related("lead_image").defer("body")[:NEWS_LIMIT]

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
                "language": language_code(article.language),
                "published": local_time(article.published_at),
                "title": headline(article),
            }
        return urls


def latest_public_story(field: str):
    """Annotate each row with the publication time of its newest public story."""
    stories = Article.objects.published().filter(**{field: OuterRef("pk")})
    return Subquery(stories.values("published_at")[:1])


def latest_public_link(model, field: str):
    """Annotate each row with its newest public story's time, read from the join rows' copies.

    ``model`` is ``TaggedArticle`` or ``ArticleAuthor``: their index on (subject,
    status, published_at DESC, ...) answers with one entry per subject, where the
    article's public index would be walked until a story of the subject turns up.
    """
    links = model.objects.public().filter(**{field: OuterRef("pk")}).order_by("-published_at")
    return Subquery(links.values("published_at")[:1])


class SubjectPaginator(Paginator):
    """Pages of every subject in ``pk`` order, each keeping those with public stories.

    Counting the subjects with public stories would run the newest-story probe for
    every subject on each request for the index; counting the subjects is one cheap
    query. A page may so list fewer than ``per_page`` subjects, never more.
    """

    def __init__(self, subjects, with_stories, per_page: int):
        super().__init__(subjects, per_page)
        self.with_stories = with_stories

    def page(self, number) -> Page:
        page = super().page(number)
        window = page.object_list.values("pk")
        page.object_list = self.with_stories(self.object_list.filter(pk__in=window))
        return page


class SubjectSitemap(NewsroomSitemap):
    """Sections, tags or authors with at least one public story."""

    model = None
    story_field = ""

    @cached_property
    def paginator(self) -> SubjectPaginator:
        return SubjectPaginator(self.model.objects.order_by("pk"), self.with_stories, self.limit)

    def with_stories(self, subjects) -> list:
        """Return the subjects with a public story, each with the newest one's time (``latest``).

        Filtered here, not in SQL: ``filter(latest__isnull=False)`` would repeat the
        probe in the WHERE clause, running it twice per subject.
        """
        annotated = subjects.annotate(latest=self.latest_story()).order_by("pk")
        return [subject for subject in annotated if subject.latest is not None]

    def latest_story(self):
        """Return the subquery giving a subject's newest public story's publication time."""
        return latest_public_story(self.story_field)

    def items(self):
        return self.with_stories(self.model.objects.all())

    def lastmod(self, subject):
        return local_time(subject.latest)

    def get_latest_lastmod(self):
        # The newest public story with such a subject, read from the public index newest
        # first; ``Max()`` over the join would aggregate every row (1.3 s for tags at 1M).
        stories = Article.objects.published().filter(**{f"{self.story_field}__isnull": False})
        latest = stories.values_list("published_at", flat=True).first()
        return local_time(latest) if latest else None


class SectionSitemap(SubjectSitemap):
    model = Section
    story_field = "section"


class TagSitemap(SubjectSitemap):
    model = Tag
    story_field = "tagged_items__tag"

    def latest_story(self):
        return latest_public_link(TaggedArticle, "tag")


class AuthorSitemap(SubjectSitemap):
    model = Author
    story_field = "bylines__author"

    def latest_story(self):
        return latest_public_link(ArticleAuthor, "author")


SITEMAPS = {
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
