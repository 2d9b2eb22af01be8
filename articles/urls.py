from datetime import UTC, datetime

from django.urls import path, register_converter

from . import api, feeds, previews, views
from .http import public_cache


class UnicodeSlugConverter:
    """Match the Unicode slugs that ``SlugField(allow_unicode=True)`` accepts."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class MonthConverter:
    """Match ``2026-11`` as the start of that month in UTC (the story sitemaps' files)."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> datetime:
        # A ValueError (month 13; 9999-12, whose end is past the calendar) means no
        # match: the URL falls through to a 404.
        month = datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
        if month.year == datetime.max.year and month.month == 12:
            raise ValueError("the month ends after the last representable time")
        return month

    def to_url(self, value: datetime) -> str:
        return value.strftime("%Y-%m")


register_converter(UnicodeSlugConverter, "uslug")
register_converter(MonthConverter, "month")

app_name = "articles"

urlpatterns = [
    path("", public_cache(views.HomeView.as_view()), name="home"),
    path("story/<uslug:slug>/", public_cache(views.ArticleDetailView.as_view()), name="article"),
    # A live story's updates: each at its own address, the JSON its page polls, feeds.
    path(
        "story/<uslug:slug>/updates/<int:pk>/",
        public_cache(views.LiveUpdateView.as_view()),
        name="article_update",
    ),
    path("story/<uslug:slug>/live.json", public_cache(views.live_poll), name="article_live"),
    path(
        "story/<uslug:slug>/updates/rss/",
        public_cache(feeds.LiveUpdatesFeed()),
        name="article_updates_rss",
    ),
    path(
        "story/<uslug:slug>/updates/atom/",
        public_cache(feeds.LiveUpdatesAtomFeed()),
        name="article_updates_atom",
    ),
    path("section/<uslug:slug>/", public_cache(views.SectionView.as_view()), name="section"),
    path("tag/<uslug:slug>/", public_cache(views.TagView.as_view()), name="tag"),
    path("author/<uslug:slug>/", public_cache(views.AuthorView.as_view()), name="author"),
    path("search/", public_cache(views.SearchView.as_view()), name="search"),
    # Feeds: RSS 2.0 and Atom, for the whole site and for each section, tag and author.
    path("feeds/rss/", public_cache(feeds.LatestStoriesFeed()), name="feed_rss"),
    path("feeds/atom/", public_cache(feeds.LatestStoriesAtomFeed()), name="feed_atom"),
    path("section/<uslug:slug>/rss/", public_cache(feeds.SectionFeed()), name="section_rss"),
    path("section/<uslug:slug>/atom/", public_cache(feeds.SectionAtomFeed()), name="section_atom"),
    path("tag/<uslug:slug>/rss/", public_cache(feeds.TagFeed()), name="tag_rss"),
    path("tag/<uslug:slug>/atom/", public_cache(feeds.TagAtomFeed()), name="tag_atom"),
    path("author/<uslug:slug>/rss/", public_cache(feeds.AuthorFeed()), name="author_rss"),
    path("author/<uslug:slug>/atom/", public_cache(feeds.AuthorAtomFeed()), name="author_atom"),
    # Sitemaps (an index of one sitemap per month of stories, one for Google News and
    # one per kind of subject) and robots.txt.
    path("sitemap.xml", public_cache(views.sitemap_index), name="sitemap"),
    path(
        "sitemap-articles-<month:month>.xml",
        public_cache(views.sitemap_month),
        name="sitemap_month",
    ),
    path("sitemap-<slug:section>.xml", public_cache(views.sitemap_section), name="sitemap_section"),
    path("robots.txt", public_cache(views.robots_txt), name="robots"),
    # The read-only IPTC ninjs 3.1 API.
    path("api/ninjs/", public_cache(api.NinjsListView.as_view()), name="api_list"),
    path(
        "api/ninjs/<uslug:slug>/",
        public_cache(api.NinjsDetailView.as_view()),
        name="api_detail",
    ),
    path(
        "story/<uslug:slug>/preview/<str:token>/",
        previews.SharedPreviewView.as_view(),
        name="shared_preview",
    ),
]
