"""Bump the page cache scopes a committed change touched and send ``pages_changed``."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import unquote

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from . import models, pagecache
from .conf import app_settings
from .models import Article, ArticleQuerySet
from .signals import pages_changed

#: The routes of each kind of scope (by slug), and of the lists.
ROUTES = {kind: (kind, f"{kind}_rss", f"{kind}_atom") for kind in ("section", "tag", "author")}
ROUTES["story"] = ("article", "article_live", "article_updates_rss", "article_updates_atom")
ROUTES["story"] += ("api_detail",)  # its ninjs document
LIST_ROUTES = ("home", "feed_rss", "feed_atom", "sitemap", "api_list")
SITEMAP_FILES = ("news", "sections", "tags", "authors")  # the keys of sitemaps.SITEMAPS


def paths_of(scopes: Iterable[str]) -> set[str]:
    """Return the URL paths of the pages named by ``scopes`` (``site`` aside: every page)."""
    paths = set()
    for scope in scopes:
        kind, _, slug = scope.partition(":")
        if kind in ROUTES:
            paths |= {reverse(f"articles:{r}", args=[unquote(slug)]) for r in ROUTES[kind]}
        elif scope == pagecache.LISTS_SCOPE:
            paths |= {reverse(f"articles:{route}") for route in LIST_ROUTES}
            paths |= {reverse("articles:sitemap_section", args=[n]) for n in SITEMAP_FILES}
    return paths


def footprint(ids: Iterable[int]) -> set[str]:
    """Return the scopes the stories ``ids`` touch if public or scheduled now."""
    now = timezone.now()
    rule = ArticleQuerySet.published_q(now) | ArticleQuerySet.scheduled_q(now)
    shown = Article.objects.filter(rule)
    rows = list(shown.filter(pk__in=set(ids)).values_list("pk", "slug", "section__slug"))
    if not rows:
        return set()
    pks = [pk for pk, _, _ in rows]
    tagged = models.TaggedArticle.objects.filter(content_object__in=pks)
    bylines = models.ArticleAuthor.objects.filter(article__in=pks)
    placed = models.Placement.objects.filter(article__in=pks, front__section__isnull=False)
    # The stories linking to them, showing them in "More from" or as "Read in" translations.
    beside = Q(related_links__target__in=pks) | Q(stored_suggestions__target__in=pks)
    beside |= Q(translation_of__in=pks) | Q(translations__in=pks)
    beside |= Q(translation_of__translations__in=pks)
    showing = shown.filter(beside).values_list("slug", flat=True).distinct()
    return {
        pagecache.LISTS_SCOPE,
        *(pagecache.story_scope(slug) for _, slug, _ in rows),
        *(pagecache.section_scope(section) for _, _, section in rows),
        *map(pagecache.section_scope, placed.values_list("front__section__slug", flat=True)),
        *map(pagecache.tag_scope, tagged.values_list("tag__slug", flat=True)),
        *map(pagecache.author_scope, bylines.values_list("author__slug", flat=True)),
        *map(pagecache.story_scope, showing),
    }


def _menu() -> frozenset[int]:
    """Return the sections the navigation shows: those with a public story."""
    return frozenset(models.Section.objects.public().values_list("pk", flat=True))


class _Change:
    """One change: its stories, the scopes it saw touched and the menu before it, if read."""

    def __init__(self, stories: set[int], scopes: set[str], menu: frozenset[int] | None):
        self.stories, self.scopes, self.menu = stories, scopes, menu

    def __call__(self) -> None:
        waiting, held = _waiting()
        if self not in waiting:
            return  # applied by the first callback of its transaction
        changes = list(waiting)
        waiting.clear()
        held.clear()
        stories = set().union(*(change.stories for change in changes))
        scopes = footprint(stories).union(*(change.scopes for change in changes))
        menus = {change.menu for change in changes} - {None}
        if menus and menus != {_menu()}:
            scopes.add(pagecache.SITE_SCOPE)  # a section entered or left the menu
        site_wide = pagecache.SITE_SCOPE in scopes
        scopes |= {pagecache.LISTS_SCOPE} if site_wide else set()
        if app_settings.PAGE_CACHE:
            pagecache.bump(scopes)
        if scopes:
            paths = sorted(paths_of(scopes))
            pages_changed.send(Article, paths=paths, site_wide=site_wide, scopes=sorted(scopes))


# Per connection: the changes waiting for commit (weakly: their callbacks hold them),
# and, in autocommit mode, the pre_* changes held until their write's post_* change.
_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _waiting() -> tuple[weakref.WeakSet, list]:
    return _pending.setdefault(transaction.get_connection(), (weakref.WeakSet(), []))


def _active() -> bool:
    return app_settings.PAGE_CACHE or pages_changed.has_listeners(Article)


# Inside ``deferred()``: whether a change was seen.
_deferred: ContextVar[list[bool] | None] = ContextVar("articles_deferred_pages", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Refresh every page once at the end if anything inside changed (bulk writes)."""
    token = _deferred.set(seen := [])
    try:
        yield
    finally:
        _deferred.reset(token)
        if seen:
            everything_changed()


def _record(stories: Iterable[int] = (), scopes: Iterable[str] = (), *, now=True) -> None:
    """Add a change, seen before its write (``now`` False) or after it."""
    stories, (waiting, held) = set(stories), _waiting()
    if not _active() or not (stories or scopes):
        return
    if (seen := _deferred.get()) is not None:
        seen.append(True)
        return
    # A story's first look in the transaction: what showed it, and the menu, before it.
    new = stories.difference(*(change.stories for change in waiting))
    change = _Change(stories, {*scopes, *footprint(new)}, _menu() if new else None)
    waiting.add(change)
    if now or not transaction.get_autocommit():
        transaction.on_commit(change, robust=True)  # at once in autocommit mode
    else:
        held.append(change)


def stories_changed(ids: Iterable[int]) -> None:
    """Refresh what shows the stories ``ids`` at commit (for writes sending no signals)."""
    _record(stories=ids)


def _own_scopes(ids: Iterable[int]) -> list[str]:
    slugs = Article.objects.filter(pk__in=list(ids)).values_list("slug", flat=True)
    return [pagecache.story_scope(slug) for slug in slugs]


def suggestions_changed(ids: Iterable[int], **signal) -> None:
    """Refresh the pages of the stories whose "More from" module changed (the signal)."""
    _record(scopes=_own_scopes(ids))


def images_changed(ids: Iterable[int], now: bool = True, **signal) -> None:
    """Refresh what shows the photos ``ids`` at commit (also receives ``photos_changed``)."""
    ids = list(ids)  # as lead, in the body, on a related card or a live update
    q = Q(lead_image__in=ids) | Q(body_photos__image__in=ids) | Q(related_links__image__in=ids)
    q |= Q(live_updates__image__in=ids)
    stories = Article.objects.filter(q).values_list("pk", flat=True).distinct()
    fronts = front_scopes(models.Placement.objects.filter(image__in=ids).values("front"))
    _record(stories=stories, scopes=fronts, now=now)


def front_scopes(fronts) -> set[str]:
    """Return the scopes of the pages the fronts ``fronts`` (ids or a subquery) lead."""
    slugs = models.Front.objects.filter(pk__in=fronts).values_list("section__slug", flat=True)
    return {pagecache.section_scope(slug) if slug else pagecache.LISTS_SCOPE for slug in slugs}


def front_changed(front_id: int) -> None:
    """Refresh the page of the front ``front_id`` at commit (for writes sending no signals)."""
    _record(scopes=front_scopes([front_id]))


def everything_changed() -> None:
    """Refresh every page once the transaction commits (raw imports, bulk loads)."""
    _record(scopes=[pagecache.SITE_SCOPE])


def _stories_showing(subject) -> list[int]:
    """Return the stories showing the tag or author ``subject``."""
    tag = isinstance(subject, models.Tag)
    q = Q(tagged_items__tag=subject) if tag else Q(bylines__author=subject)
    return list(Article.objects.filter(q).values_list("pk", flat=True).distinct())


# Model signal receivers (``apps.py``): footprints read before a write, applied after.
_STORY_FIELD = {Article: "pk", models.TaggedArticle: "content_object_id"}
_STORY_FIELD |= dict.fromkeys(
    (models.ArticleAuthor, models.RelatedLink, models.Correction), "article_id"
)

# A front's parts, by the field naming their front (a front's section may change).
_FRONT_FIELD = {models.Front: "pk", models.Package: "front_id", models.Placement: "front_id"}
# Shown on pages once they exist: changes refresh the stories showing them.
_SHOWN = (models.Image, models.Section, models.Tag, models.Author)


def object_changed(sender, instance, signal, created: bool = False, **kwargs) -> None:
    """Receive ``pre_save``, ``post_save``, ``pre_delete`` and ``post_delete``."""
    now = signal in (post_save, post_delete)
    if not _active() or (sender in _SHOWN and (created or instance.pk is None)):
        return  # a new photo, section, tag or author is on no page yet
    stored = sender.objects.filter(pk__in=[instance.pk])  # as before the write (none if new)
    if field := _FRONT_FIELD.get(sender):  # a front, package or placement: its front's page
        fronts = {getattr(instance, field), *stored.values_list(field, flat=True)}  # and old one
        _record(scopes=front_scopes(fronts), now=now)
    elif sender is models.LiveUpdate:
        # Only on its story's own pages: steady updates leave every list in the caches.
        _record(scopes=_own_scopes([instance.article_id]), now=now)
    elif field := _STORY_FIELD.get(sender):
        _record(stories=filter(None, [getattr(instance, field)]), now=now)
    elif sender is models.Image:
        images_changed([instance.pk], now=now)
    else:  # a section, tag or author: its pages at its old and new slug
        name = getattr(pagecache, f"{sender.__name__.lower()}_scope")
        slugs = {instance.slug, *stored.values_list("slug", flat=True)}
        scopes = {name(slug) for slug in slugs if slug}
        if sender is models.Section:  # the navigation and every card show sections
            _record(scopes={*scopes, pagecache.SITE_SCOPE}, now=now)
        else:
            _record(stories=_stories_showing(instance), scopes=scopes, now=now)


def relation_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Receive ``m2m_changed`` of a story's tags or authors."""
    if reverse and pk_set is None:  # a tag's or author's stories cleared: read them first
        pk_set = _stories_showing(instance)
    _record(stories=pk_set if reverse else [instance.pk], now=action.startswith("post_"))


#: The models whose saves and deletes matter, and the ``through`` models whose m2m_changed do.
WATCHED = (*_STORY_FIELD, *_FRONT_FIELD, models.LiveUpdate, *_SHOWN)
RELATIONS = (models.TaggedArticle, models.ArticleAuthor)
