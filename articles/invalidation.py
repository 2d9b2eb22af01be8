"""What a committed change makes stale: page cache scopes to bump, public paths to purge.

Model signals (connected in ``apps.py``) and the few bulk writes that send none
(``stories_changed``, ``images_changed``, ``everything_changed``) report changes
here. Everything is reduced to **stories**: a story's *footprint* is where it shows
while it is public or scheduled (status published, not expired):

* scopes: its own (``story:<pk>``), its section's, its tags', its authors' and
  ``lists`` (home, site feeds, sitemaps, search, the API list);
* paths: its page and API document, its section, tag and author pages and their
  feeds, the home page, the site feeds, the sitemaps and the API list.

A story is looked up before its first change in a transaction (``pre_save``,
``pre_delete``, ``m2m_changed`` ``pre_*``) and again at commit, and both footprints
count: a story moved from section A to B leaves A's page and joins B's, a retracted
story leaves the lists it was in. A story that is neither public nor scheduled before
or after (a draft, a retracted story) touches nothing. Scheduled stories count because
pages cut their cache lifetime at the next embargo (``ArticleQuerySet.next_change()``):
a new or moved publication time must reach the pages it will appear on, so they
take the new time. When the time comes nothing is written; the cut lifetimes retire
the pages (and a CDN's copies, through ``s-maxage``).

Other objects reach pages through stories: a photo through the stories it leads,
shows in their body (``BodyPhoto``) or on a related link's card, a
tag or an author (renamed, described) through its stories and its own scope.
Sections show in every page's navigation and every card, so a section change moves
``site``, which every page depends on.

Per transaction the changes are collected and, once it commits, the scopes are
bumped (``pagecache.bump_scopes``, when ``ARTICLES_PAGE_CACHE`` is on) and
``signals.pages_changed`` is sent once with every path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import pagecache
from .conf import app_settings
from .models import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    Author,
    Correction,
    Image,
    RelatedLink,
    Section,
    Tag,
    TaggedArticle,
)
from .signals import pages_changed
from .sitemaps import SITEMAPS

LIST_ROUTES = ("home", "feed_rss", "feed_atom", "sitemap", "api_list")
SUBJECT_ROUTES = ("", "_rss", "_atom")  # a section's, tag's or author's page and feeds


@dataclass
class Footprint:
    """The scopes and public paths of what changed."""

    scopes: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    site_wide: bool = False

    def add(self, other: Footprint) -> None:
        self.scopes |= other.scopes
        self.paths |= other.paths
        self.site_wide |= other.site_wide


def _subject_paths(route: str, slug: str) -> set[str]:
    kwargs = {"slug": slug}
    return {reverse(f"articles:{route}{suffix}", kwargs=kwargs) for suffix in SUBJECT_ROUTES}


def _list_paths() -> set[str]:
    paths = {reverse(f"articles:{route}") for route in LIST_ROUTES}
    return paths | {
        reverse("articles:sitemap_section", kwargs={"section": name}) for name in SITEMAPS
    }


def story_footprints(ids: Iterable[int]) -> dict[int, Footprint]:
    """Return where each of the stories ``ids`` shows now (three queries).

    Stories neither public nor scheduled are left out: they show nowhere.
    """
    ids = set(ids)
    if not ids:
        return {}
    now = timezone.now()
    found: dict[int, Footprint] = {}
    lists = _list_paths()
    rows = (
        Article.objects.filter(pk__in=ids)
        .filter(ArticleQuerySet.published_q(now) | ArticleQuerySet.scheduled_q(now))
        .values_list("pk", "slug", "section_id", "section__slug")
    )
    for pk, slug, section_id, section_slug in rows:
        found[pk] = Footprint(
            scopes={
                pagecache.story_scope(pk),
                pagecache.section_scope(section_id),
                pagecache.LISTS_SCOPE,
            },
            paths={
                reverse("articles:article", kwargs={"slug": slug}),
                reverse("articles:api_detail", kwargs={"slug": slug}),
                *_subject_paths("section", section_slug),
                *lists,
            },
        )
    if not found:
        return found
    tagged = TaggedArticle.objects.filter(content_object_id__in=found).values_list(
        "content_object_id", "tag_id", "tag__slug"
    )
    for pk, tag_id, slug in tagged:
        found[pk].scopes.add(pagecache.tag_scope(tag_id))
        found[pk].paths |= _subject_paths("tag", slug)
    bylines = ArticleAuthor.objects.filter(article_id__in=found).values_list(
        "article_id", "author_id", "author__slug"
    )
    for pk, author_id, slug in bylines:
        found[pk].scopes.add(pagecache.author_scope(author_id))
        found[pk].paths |= _subject_paths("author", slug)
    return found


class Changes:
    """The changes of one transaction, applied once when it commits (``flush``)."""

    def __init__(self) -> None:
        self.stories: set[int] = set()
        self.before = Footprint()
        self.seen: set[int] = set()  # stories whose footprint before the change is in ``before``
        self.extra = Footprint()  # scopes and paths of things other than stories
        self.flushed = False
        self.registered: tuple[int, object] | None = None

    def add_stories(self, ids: Iterable[int]) -> None:
        """Count the stories ``ids``, reading their footprint if this is their first change."""
        ids = set(ids) - self.seen
        if ids:
            self.seen |= ids
            self.stories |= ids
            for footprint in story_footprints(ids).values():
                self.before.add(footprint)

    def alive(self, connection) -> bool:
        """Tell whether this collection belongs to the transaction in progress."""
        if self.flushed:
            return False
        if self.registered is None:  # looked up before a write in autocommit mode
            return not connection.in_atomic_block
        index, callback = self.registered
        callbacks = connection.run_on_commit
        # A rolled-back transaction or savepoint drops its callbacks (a false "no"
        # only splits the collection in two: both are applied).
        return index < len(callbacks) and callbacks[index][1] is callback

    def register(self, connection) -> None:
        """Apply the changes at commit (at once outside a transaction).

        One callback per change, so each ``captureOnCommitCallbacks`` block sees one;
        the first that runs applies the whole collection, the others find it done.
        """
        callback = self.flush
        transaction.on_commit(callback, robust=True)
        if connection.in_atomic_block:
            self.registered = (len(connection.run_on_commit) - 1, callback)

    def flush(self) -> None:
        if self.flushed:
            return
        self.flushed = True
        stale = Footprint()
        stale.add(self.before)
        stale.add(self.extra)
        for footprint in story_footprints(self.stories).values():
            stale.add(footprint)
        if stale.site_wide:
            stale.scopes |= {pagecache.SITE_SCOPE, pagecache.LISTS_SCOPE}
        if _bumping() and stale.scopes:
            pagecache.bump_scopes(stale.scopes)
        if stale.paths or stale.site_wide:
            pages_changed.send(
                sender=Article,
                paths=sorted(stale.paths),
                site_wide=stale.site_wide,
                scopes=sorted(stale.scopes),
            )


def _bumping() -> bool:
    """Tell whether anything kept in the shared cache needs scope versions moved."""
    return app_settings.PAGE_CACHE


def _active() -> bool:
    return _bumping() or pages_changed.has_listeners(Article)


def _changes() -> Changes:
    connection = transaction.get_connection()
    changes = connection.__dict__.get("articles_changes")
    if changes is None or not changes.alive(connection):
        changes = connection.articles_changes = Changes()
    return changes


def _record(*, stories: Iterable[int] = (), extra: Footprint | None = None, now: bool) -> None:
    """Add to the transaction's changes; ``now`` after the write, else before it."""
    stories = list(stories)
    if not _active() or not (stories or extra):
        return
    connection = transaction.get_connection()
    changes = _changes()
    changes.add_stories(stories)
    if extra is not None:
        changes.extra.add(extra)
    if now or connection.in_atomic_block:
        changes.register(connection)


def story_dependencies(article: Article) -> list[str]:
    """Return the scopes a page showing ``article`` in full depends on.

    Its own, its section's, its tags' and its authors' (names and descriptions show
    on it). Tags and bylines must be prefetched (``ArticleQuerySet.for_detail``).
    """
    return [
        pagecache.story_scope(article.pk),
        pagecache.section_scope(article.section_id),
        *(pagecache.tag_scope(tag.pk) for tag in article.tags.all()),
        *(pagecache.author_scope(byline.author_id) for byline in article.bylines.all()),
    ]


# Bulk writes that send no model signals call these after writing.


def stories_changed(ids: Iterable[int]) -> None:
    """Refresh what shows the stories ``ids`` once the transaction commits."""
    _record(stories=ids, now=True)


def images_changed(ids: Iterable[int]) -> None:
    """Refresh what shows the photos ``ids`` once the transaction commits."""
    stories_changed(_stories_showing(list(ids)))


def _stories_showing(image_ids: list) -> list[int]:
    """Return the stories that show one of the photos: lead, in the body, on a related card."""
    stories = Article.objects.filter(
        Q(lead_image_id__in=image_ids)
        | Q(body_photos__image_id__in=image_ids)
        | Q(related_links__image_id__in=image_ids)
    )
    return list(stories.values_list("pk", flat=True).distinct())


def everything_changed() -> None:
    """Refresh every page once the transaction commits (raw imports, bulk loads)."""
    _record(extra=Footprint(site_wide=True), now=True)


# Model signal receivers (``apps.py``). ``now`` is False for pre_* signals: the
# footprint is read before the write, and the collection applied after it.

_STORY_FIELD = {
    Article: "pk",
    ArticleAuthor: "article_id",
    TaggedArticle: "content_object_id",
    RelatedLink: "article_id",
    Correction: "article_id",
}


def _subject(instance, route: str, scope) -> Footprint:
    """The footprint of a section, tag or author itself, at its slug in the database."""
    current = type(instance).objects.filter(pk=instance.pk).values_list("slug", flat=True)
    slugs = set(current) | ({instance.slug} if instance.slug else set())
    paths = {path for slug in slugs for path in _subject_paths(route, slug)}
    return Footprint(scopes={scope(instance.pk)}, paths=paths)


def _stories_of(instance) -> list[int]:
    if isinstance(instance, Image):
        return _stories_showing([instance.pk])
    if isinstance(instance, Tag):
        found = Article.objects.filter(tagged_items__tag=instance)
    else:
        found = Article.objects.filter(bylines__author=instance)
    return list(found.values_list("pk", flat=True))


def object_changing(sender, instance, **kwargs) -> None:
    """Receive ``pre_save``/``pre_delete``: read footprints before the write."""
    _object_changed(sender, instance, now=False)


def object_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """Receive ``post_save``/``post_delete``: apply the changes after commit."""
    if created and sender in (Image, Tag, Author):
        return  # on no page yet: stories reach it through their own changes
    _object_changed(sender, instance, now=True)


def _object_changed(sender, instance, *, now: bool) -> None:
    if not _active():
        return
    if sender in _STORY_FIELD:
        pk = getattr(instance, _STORY_FIELD[sender])
        _record(stories=[pk] if pk else [], now=now)
    elif instance.pk is None:
        return
    elif sender is Section:
        extra = _subject(instance, "section", pagecache.section_scope)
        extra.site_wide = True  # the navigation and every card show sections
        _record(extra=extra, now=now)
    elif sender is Image:
        _record(stories=_stories_of(instance), now=now)
    elif sender is Tag:
        extra = _subject(instance, "tag", pagecache.tag_scope)
        _record(stories=_stories_of(instance), extra=extra, now=now)
    elif sender is Author:
        extra = _subject(instance, "author", pagecache.author_scope)
        _record(stories=_stories_of(instance), extra=extra, now=now)


def relation_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Receive ``m2m_changed`` of a story's tags or authors."""
    if not _active() or not action.startswith(("pre_", "post_")):
        return
    if not reverse:
        stories = [instance.pk]
    elif pk_set is not None:
        stories = list(pk_set)
    else:  # clearing a tag's or an author's stories: read them before they go
        stories = _stories_of(instance)
    _record(stories=stories, now=action.startswith("post_"))


#: The models whose ``pre_save``/``post_save``/``pre_delete``/``post_delete`` matter.
WATCHED = (*_STORY_FIELD, Image, Section, Tag, Author)
#: The ``through`` models whose ``m2m_changed`` matters.
RELATIONS = (TaggedArticle, ArticleAuthor)
