"""Public pages. Each starts from ``Article.objects.published()``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import InvalidPage
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.generic import DetailView, ListView

from . import live, presenters, search, sitefacts
from .conf import app_settings
from .http import changes_at
from .languages import language_name
from .links import slug_path
from .models import (
    Article,
    ArticleRedirect,
    Author,
    AuthorRedirect,
    Section,
    SectionRedirect,
    Tag,
    TagRedirect,
    lineup,
)
from .models.related import related_items
from .pagination import CappedPaginator, OlderStoriesPaginator
from .presenters import absolute, article_facts, live_facts, local_time, origin_for
from .sitemaps import SITEMAPS, ArticleSitemap, NewsSitemap, StorySitemap, story_months


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises: its MIME type, URL and title."""

    type: str
    url: str
    title: str


@dataclass(frozen=True)
class Translation:
    """Another public version of a story: its language, that language's name, its URL."""

    language: str
    name: str
    url: str


def moved_permanently(request, url: str) -> HttpResponsePermanentRedirect:
    """Send the reader on to ``url`` for good, keeping the query string."""
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return HttpResponsePermanentRedirect(url)


class PublishedArticlesMixin:
    """Start from the stories readers may see now (or at ``clock``, for the desk's preview)."""

    #: The time the page shows, None for now; only the staff's front preview sets it.
    clock = None

    def get_base_queryset(self):
        return Article.objects.published(self.clock)


class ArticleListView(PublishedArticlesMixin, ListView):
    """A paginated list of public stories; subclasses narrow it with ``filter_queryset``."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    paginator_class = OlderStoriesPaginator

    def get_paginate_by(self, queryset) -> int:
        return app_settings.PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        """Return the page asked for: by number, or by key from an older/newer link."""
        paginator = self.get_paginator(queryset, page_size)
        params = self.request.GET
        try:
            page = paginator.page(
                params.get("page") or 1, before=params.get("before"), after=params.get("after")
            )
        except InvalidPage as error:
            raise Http404(str(error)) from error
        return paginator, page, page.object_list, page.has_other_pages()

    def filter_queryset(self, queryset):
        """Narrow the public stories to this page's subject."""
        return queryset

    def get_queryset(self):
        return self.filter_queryset(self.get_base_queryset().for_cards())

    def get_feeds(self) -> list[FeedLink]:
        """Return the feeds this page advertises with ``<link rel="alternate">``."""
        return [
            FeedLink("application/rss+xml", reverse("articles:feed_rss"), app_settings.SITE_NAME),
            FeedLink("application/atom+xml", reverse("articles:feed_atom"), app_settings.SITE_NAME),
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("feeds", self.get_feeds())
        return super().get_context_data(**kwargs)


class FrontMixin:
    """A page led by a curated front (``models/fronts.py``): lead, top stories, packages.

    The page's list leaves out the stories the front's placements show; on the first
    page its newest stories top up the lead and top stories slots left empty.
    """

    def get_front_section(self):
        """Return the section whose front leads the page, None for the home page's."""
        return None

    def get_queryset(self):
        self.lineup = lineup(self.get_front_section(), self.clock)
        return super().get_queryset().exclude(pk__in=self.lineup.story_ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        changes_at(self.request, self.lineup.next_change)
        stories = context["object_list"]
        if context["page_obj"].number == 1:
            lead, top, stories = self.lineup.filled(stories)
            packages = self.lineup.packages
            context.update(lead_stories=[lead] if lead else [], top_stories=top, packages=packages)
            context["show_front"] = bool(lead or packages)
        context["latest"] = stories
        return context


class HomeView(FrontMixin, ArticleListView):
    template_name = "articles/home.html"


class SearchView(ArticleListView):
    """Search results over public stories; any query, even an absurd one, gets a page."""

    template_name = "articles/search.html"
    # The query is free text, cleaned by ``search.normalise_query`` (NULs too).
    text_parameters = ("q",)
    # Search results say how many stories matched, up to ARTICLES_SEARCH_LIMIT.
    paginator_class = CappedPaginator

    def get_query(self) -> str:
        return search.normalise_query(self.request.GET.get("q"))

    def get_queryset(self):
        # The snippet of a story without a dek is cut from its body.
        stories = self.get_base_queryset().for_cards().defer(None)
        return search.search(stories, self.get_query())

    def paginate_queryset(self, queryset, page_size):
        # Out-of-range or junk page numbers show the nearest page instead of a 404.
        stories, query = self.get_base_queryset(), self.get_query()
        paginator = self.get_paginator(
            queryset,
            page_size,
            limit=app_settings.SEARCH_LIMIT,
            count_matches=lambda: search.count(stories, query),
        )
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        query = self.get_query()
        kwargs.setdefault("query", query)
        kwargs.setdefault("pagination_query", urlencode({"q": query}) if query else "")
        return super().get_context_data(**kwargs)


class SubjectHidden(Http404):
    """The subject exists but shows no public story: to readers, it does not."""


class SubjectListView(ArticleListView):
    """A list page about one object (section, tag or author) found by its slug."""

    subject_model = None
    redirect_model = None  # the subject's old slugs (``TagRedirect``, ...)
    redirect_field = ""  # the redirect's foreign key to the subject
    subject_context_name = "subject"
    feed_prefix = ""  # "section" names the routes section_rss and section_atom

    def get_subjects(self):
        """Return the subjects with a page: those with a public story (``public()``)."""
        return self.subject_model.objects.public()

    def moved_to(self, slug: str):
        """Return the subject with a page that ``slug`` used to name (renamed, merged), or None.

        Only to a subject with a page: a hidden one's slug must not show in a Location.
        """
        moved = (
            self.redirect_model.objects.filter(
                old_slug=slug, **{f"{self.redirect_field}__in": self.get_subjects()}
            )
            .select_related(self.redirect_field)
            .first()
        )
        return getattr(moved, self.redirect_field) if moved else None

    def find_subject(self, slug: str):
        """Return the subject with a page at ``slug``, else raise ``Http404``."""
        return get_object_or_404(self.get_subjects(), slug=slug)

    def get(self, request, *args, **kwargs):
        try:
            self.subject = self.find_subject(kwargs["slug"])
            return super().get(request, *args, **kwargs)
        except Http404 as error:
            if hasattr(self, "subject") and not isinstance(error, SubjectHidden):
                raise  # a missing page of a subject that has one
            # An old address: send readers on, permanently.
            moved = self.moved_to(kwargs["slug"])
            if moved is None:
                raise
            return moved_permanently(request, moved.get_absolute_url())

    def get_feeds(self) -> list[FeedLink]:
        kwargs = {"slug": self.subject.slug}
        title = f"{self.subject.name} | {app_settings.SITE_NAME}"
        own = [
            FeedLink(kind, reverse(f"articles:{self.feed_prefix}_{name}", kwargs=kwargs), title)
            for kind, name in (("application/rss+xml", "rss"), ("application/atom+xml", "atom"))
        ]
        return own + super().get_feeds()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subject", self.subject)
        kwargs.setdefault(self.subject_context_name, self.subject)
        return super().get_context_data(**kwargs)


class SectionView(FrontMixin, SubjectListView):
    subject_model = Section
    redirect_model, redirect_field = SectionRedirect, "section"
    subject_context_name = "section"
    feed_prefix = "section"
    template_name = "articles/section.html"

    def find_subject(self, slug: str):
        if self.clock is not None:  # the desk's preview of another time
            return super().find_subject(slug)
        # The sections with a page are the navigation's, which the process keeps.
        section = sitefacts.site_facts().section(slug)
        if section is None:
            raise Http404("No public section has this address.")
        return section

    def get_front_section(self):
        return self.subject

    def filter_queryset(self, queryset):
        return queryset.filter(section=self.subject)


class ListedSubjectView(SubjectListView):
    """A tag's or author's page: it exists while it lists a public story.

    The subject is found by its slug alone and the page's own rows decide, through
    ``published()``: an ``EXISTS`` over the join rows to find the subject cost more
    than the page's query (docs/decisions.md).
    """

    def find_subject(self, slug: str):
        return get_object_or_404(self.subject_model, slug=slug)

    def paginate_queryset(self, queryset, page_size):
        found = super().paginate_queryset(queryset, page_size)
        if not found[2]:
            raise SubjectHidden("Nothing public carries this subject.")
        return found


class TagView(ListedSubjectView):
    subject_model = Tag
    redirect_model, redirect_field = TagRedirect, "tag"
    subject_context_name = "tag"
    feed_prefix = "tag"
    template_name = "articles/tag.html"

    def filter_queryset(self, queryset):
        return queryset.tagged_with(self.subject)


class AuthorView(ListedSubjectView):
    subject_model = Author
    redirect_model, redirect_field = AuthorRedirect, "author"
    subject_context_name = "author"
    feed_prefix = "author"
    template_name = "articles/author.html"

    def filter_queryset(self, queryset):
        return queryset.by_author(self.subject)


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Whether the story has translations at all rides on the page's own query, so a
        # story without any (most) costs no query for its "Read in" links.
        translated = Exists(Article.objects.filter(translation_of=OuterRef("pk")))
        return self.get_base_queryset().for_detail().annotate(has_translations=translated)

    def get_object(self, queryset=None):
        return Article.objects.load_details([super().get_object(queryset)])[0]

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # The old address of a public story whose slug changed.
            moved = ArticleRedirect.objects.target_of(kwargs["slug"])
            if moved is None:
                raise
            return moved_permanently(request, moved.get_absolute_url())

    def get_related(self, article):
        """Return the entries of the story's "More from ..." module."""
        return related_items(article, app_settings.RELATED_COUNT)

    def get_translations(self, article) -> list[Translation]:
        """Return the public versions of the story in other languages (``hreflang``, "Read in")."""
        if article.translation_of_id is None and not getattr(article, "has_translations", True):
            return []
        versions = Article.objects.published().filter(article.translations_q())
        origin = origin_for(self.request)
        return [
            Translation(
                code, language_name(code), absolute(origin, slug_path("articles:article", slug))
            )
            for code, slug in versions.order_by("language").values_list("language", "slug")
        ]

    def get_live(self, article):
        """Return the live coverage shown on this page (None for a story not covered live)."""
        if not article.is_live:
            return None
        live.note_next_update(self.request, article)
        try:
            return live.coverage(article, self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from error

    def get_context_data(self, **kwargs):
        article = self.object
        coverage = kwargs.setdefault("live", self.get_live(article))
        origin = origin_for(self.request)
        if coverage is not None:
            kwargs.setdefault("live_facts", live_facts(article, coverage.updates, origin))
        related = self.get_related(article)
        kwargs.setdefault("related", related)
        kwargs.setdefault("facts", article_facts(article, origin))
        kwargs.setdefault("translations", self.get_translations(article))
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        modified = [context["facts"].modified]
        if context.get("live_facts"):
            modified += [update.modified for update in context["live_facts"].updates]
        response["Last-Modified"] = http_date(max(modified).timestamp())
        return response


class LiveUpdateView(PublishedArticlesMixin, DetailView):
    """One update of a live story at an address of its own (its permalink).

    A URL per update rather than an anchor alone: an update keeps its address when
    newer ones push it to a later page, it can be shared with its own title and
    description, and it is cached (page cache, CDN) under its story's scope.
    """

    template_name = "articles/live_update.html"
    context_object_name = "update"

    def get_object(self, queryset=None):
        article = get_object_or_404(
            self.get_base_queryset().for_detail(),
            slug=self.kwargs["slug"],
            live_since__isnull=False,
        )
        update = get_object_or_404(live.public_updates(article).for_page(), pk=self.kwargs["pk"])
        Article.objects.load_details([article])
        live.attach_article([update], article)
        live.render_bodies([update])
        return update

    def get_context_data(self, **kwargs):
        update, origin = self.object, origin_for(self.request)
        kwargs.setdefault("article", update.article)
        kwargs.setdefault("facts", article_facts(update.article, origin))
        kwargs.setdefault("update_facts", presenters.update_facts(update, origin))
        return super().get_context_data(**kwargs)


def live_poll(request, slug: str):
    """The small JSON a live story's page polls for new updates (ETag, 304s: ``public_cache``)."""
    article = get_object_or_404(Article.objects.published(), slug=slug, live_since__isnull=False)
    live.note_next_update(request, article)
    origin = origin_for(request)

    def url_of(pk: int) -> str:
        path = reverse("articles:article_update", kwargs={"slug": article.slug, "pk": pk})
        return absolute(origin, path)

    return JsonResponse(live.poll_document(article, url_of))


@x_robots_tag
def sitemap_index(request):
    """The sitemap index: news, sections, tags, authors, then one sitemap per month of stories.

    Only sitemaps with something to list: without a public story for it (no news in
    the last two days, no tagged story), a sitemap is left out, as the schema wants
    at least one URL in each; with none at all, the index is a 404. Nothing here
    counts the stories: the months come from ``story_months()``.
    """
    origin = origin_for(request)
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is None:
            continue
        url = absolute(origin, reverse("articles:sitemap_section", kwargs={"section": name}))
        pages = 1 if isinstance(sitemap, StorySitemap) else sitemap.paginator.num_pages
        entries += [SitemapIndexItem(url, lastmod)]
        entries += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, pages + 1)]
    for month in story_months():
        url = absolute(origin, reverse("articles:sitemap_month", kwargs={"month": month.start}))
        entries.append(SitemapIndexItem(url, local_time(month.newest)))
    if not entries:
        # Nothing public yet: no sitemap to name, and an empty index is not valid.
        raise Http404("No sitemap has anything to list.")
    lastmods = [entry.last_mod for entry in entries]
    headers = None
    if lastmods and None not in lastmods:
        headers = {"Last-Modified": http_date(max(lastmods).timestamp())}
    return TemplateResponse(
        request,
        "articles/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )


def sitemap_month(request, month):
    """The public stories published in one calendar month (UTC); 404 if it has none."""
    return sitemap_views.sitemap(
        request,
        {"month": ArticleSitemap(month)},
        section="month",
        template_name="articles/sitemap.xml",
    )


def sitemap_section(request, section: str):
    """One page of one sitemap (``?p=2`` for the second).

    ``sitemap-articles.xml`` listed every story in pages found by offset; it now
    sends crawlers, permanently, to the index and its monthly sitemaps.
    """
    if section == "articles":
        return HttpResponsePermanentRedirect(reverse("articles:sitemap"))
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="articles/sitemap.xml"
    )


def robots_txt(request):
    """List the sitemaps for crawlers; a host mounting the app below / serves its own.

    The index once a story is public, and the news sitemap when it has stories (as
    the index does): never an address that answers 404.
    """
    origin = origin_for(request)
    urls = []
    if Article.objects.published().exists():
        urls.append(absolute(origin, reverse("articles:sitemap")))
    if NewsSitemap().recent().exists():
        urls.append(
            absolute(origin, reverse("articles:sitemap_section", kwargs={"section": "news"}))
        )
    return render(request, "articles/robots.txt", {"sitemap_urls": urls}, content_type="text/plain")
