"""What a committed change makes stale: page cache scopes to bump, public paths to purge.

Model signals (connected in ``apps.py``), ``signals.photos_changed`` and the bulk
writes that send neither (``stories_changed``, ``images_changed``,
``everything_changed``) report changes here. Everything comes down to **stories**:
a story's *footprint*, while it is public or scheduled, is

* scopes: its own, its section's, its tags', its authors', ``lists``, and the own
  scope of every story whose "More from" module may show it (``shown_beside``);
* paths: its page and API document, its section, tag and author pages and their
  feeds, the lists (home, site feeds, sitemaps, API list), the stories showing it.

A story is looked up before its change (``pre_save``, ``pre_delete``, ``m2m_changed``
``pre_*``) and again at commit, and both footprints count: a story moved from
section A to B leaves A's page and joins B's. A story neither public nor scheduled
before or after (a draft) touches nothing. Photos reach pages through the stories
showing them; a tag or an author (renamed) through its stories and its own pages; a
section shows in every page's navigation, so its change moves ``site``.

Each change registers its own ``transaction.on_commit`` callback holding what it
saw; the pending changes of a connection are also kept weakly (``_pending``), so
the first callback to run at commit applies all of them at once, and a rolled-back
transaction or savepoint, whose callbacks Django drops, leaves nothing behind. Once
per commit the scopes are bumped (``pagecache.bump``, with ``ARTICLES_PAGE_CACHE``
on) and ``signals.pages_changed`` is sent with the paths and scopes.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

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

LIST_ROUTES = ("home", "feed_rss", "feed_atom", "sitemap", "api_list")
SITEMAP_FILES = ("news", "sections", "tags", "authors")  # articles.sitemaps.SITEMAPS
SUBJECT_ROUTES = ("", "_rss", "_atom")  # a section's, tag's or author's page and feeds


def _subject_paths(route: str, slug: str) -> set[str]:
    return {reverse(f"articles:{route}{feed}", kwargs={"slug": slug}) for feed in SUBJECT_ROUTES}


def _story_paths(slug: str) -> set[str]:
    return {
        reverse(f"articles:{name}", kwargs={"slug": slug}) for name in ("article", "api_detail")
    }


def _shown_q(now) -> Q:
    return ArticleQuerySet.published_q(now) | ArticleQuerySet.scheduled_q(now)


def shown_beside(ids: list[int], sections: set[int], tags: set[int]) -> Q:
    """Match the stories whose "More from" module may show one of the stories ``ids``.

    The stories linking to them (``RelatedLink``) and, while suggestions are ranked
    as a page renders, every story they could be suggested beside: one sharing a tag
    or the section (``sections``, ``tags``: theirs). Hook for stored suggestions: the
    stories whose stored suggestions name ``ids`` replace the second part, and storing
    a story's new suggestions reports it with ``stories_changed``.
    """
    return (
        Q(related_links__target__in=ids) | Q(section__in=sections) | Q(tagged_items__tag__in=tags)
    )


def footprint(ids: Iterable[int]) -> tuple[set[str], set[str]]:
    """Return the scopes and paths of the stories ``ids`` that are public or scheduled now."""
    now = timezone.now()
    rows = Article.objects.filter(_shown_q(now), pk__in=set(ids))
    rows = list(rows.values_list("pk", "slug", "section_id", "section__slug"))
    if not rows:
        return set(), set()
    pks = [row[0] for row in rows]
    scopes, paths = {pagecache.LISTS_SCOPE}, {reverse(f"articles:{r}") for r in LIST_ROUTES}
    paths |= {reverse("articles:sitemap_section", args=[name]) for name in SITEMAP_FILES}
    for _, slug, _, section in rows:
        scopes |= {pagecache.story_scope(slug), pagecache.section_scope(section)}
        paths |= _story_paths(slug) | _subject_paths("section", section)
    tags = set(
        TaggedArticle.objects.filter(content_object_id__in=pks).values_list("tag_id", "tag__slug")
    )
    for _, slug in tags:
        scopes.add(pagecache.tag_scope(slug))
        paths |= _subject_paths("tag", slug)
    for slug in set(ArticleAuthor.objects.filter(article_id__in=pks).values_list("author__slug")):
        scopes.add(pagecache.author_scope(slug[0]))
        paths |= _subject_paths("author", slug[0])
    beside = shown_beside(pks, {row[2] for row in rows}, {pk for pk, _ in tags})
    showing = Article.objects.filter(_shown_q(now)).filter(beside).exclude(pk__in=pks)
    for slug in showing.values_list("slug", flat=True).distinct():
        scopes.add(pagecache.story_scope(slug))
        paths.add(reverse("articles:article", kwargs={"slug": slug}))
    return scopes, paths


class _Change:
    """One change: its stories, their footprint before it, and other scopes and paths."""

    def __init__(self, stories: set[int], scopes: set[str], paths: set[str], site_wide: bool):
        self.stories, self.scopes, self.paths, self.site_wide = stories, scopes, paths, site_wide

    def __call__(self) -> None:
        pending = _pending()
        if self not in pending:
            return  # applied by the first callback of its transaction
        changes = list(pending)
        pending.clear()
        _held.pop(transaction.get_connection(), None)  # the pre_* changes just applied
        stories = set().union(*(change.stories for change in changes))
        scopes, paths = footprint(stories)
        for change in changes:
            scopes |= change.scopes
            paths |= change.paths
        site_wide = any(change.site_wide for change in changes)
        if site_wide:
            scopes |= {pagecache.SITE_SCOPE, pagecache.LISTS_SCOPE}
        if app_settings.PAGE_CACHE:
            pagecache.bump(scopes)
        if scopes or paths:
            pages_changed.send(
                sender=Article, paths=sorted(paths), site_wide=site_wide, scopes=sorted(scopes)
            )


# Per database connection: its changes waiting for commit (held by their callbacks),
# and a pre_* change of autocommit mode, held until the write's post_* change applies it.
_waiting: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pending() -> weakref.WeakSet:
    return _waiting.setdefault(transaction.get_connection(), weakref.WeakSet())


def _active() -> bool:
    return app_settings.PAGE_CACHE or pages_changed.has_listeners(Article)


def _record(stories=(), scopes=(), paths=(), *, site_wide=False, now=True) -> None:
    """Add a change, seen before its write (``now`` False) or after it."""
    stories = set(stories)
    if not _active() or not (stories or scopes or site_wide):
        return
    pending = _pending()
    seen = set().union(*(change.stories for change in pending))
    before_scopes, before_paths = footprint(stories - seen)
    change = _Change(stories, {*scopes, *before_scopes}, {*paths, *before_paths}, site_wide)
    pending.add(change)
    if now or not transaction.get_autocommit():
        transaction.on_commit(change, robust=True)  # at once in autocommit mode
    else:
        _held.setdefault(transaction.get_connection(), []).append(change)


def story_dependencies(article: Article) -> list[str]:
    """Return the scopes of a page showing ``article`` in full: its own (``footprint``)."""
    return [pagecache.story_scope(article.slug)]


# Bulk writes that send no model signals call these after writing.


def stories_changed(ids: Iterable[int]) -> None:
    """Refresh what shows the stories ``ids`` once the transaction commits."""
    _record(stories=ids)


def images_changed(ids: Iterable[int], **signal) -> None:
    """Refresh what shows the photos ``ids`` at commit (also receives ``photos_changed``)."""
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
    _record(site_wide=True)


# Model signal receivers (``apps.py``); ``now`` is False for pre_* signals.

_STORY_FIELD = {
    Article: "pk",
    ArticleAuthor: "article_id",
    TaggedArticle: "content_object_id",
    RelatedLink: "article_id",
    Correction: "article_id",
}
_SUBJECTS = {Section: "section", Tag: "tag", Author: "author"}


def _stories_of(instance) -> list[int]:
    if isinstance(instance, Image):
        return _stories_showing([instance.pk])
    if isinstance(instance, Tag):
        found = TaggedArticle.objects.filter(tag=instance).values_list("content_object_id")
    else:
        found = ArticleAuthor.objects.filter(author=instance).values_list("article_id")
    return [pk for (pk,) in found]


def object_changing(sender, instance, **kwargs) -> None:
    """Receive ``pre_save``/``pre_delete``: read footprints before the write."""
    _object_changed(sender, instance, now=False)


def object_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """Receive ``post_save``/``post_delete``: apply the changes after commit."""
    if not (created and sender in (Image, *_SUBJECTS)):  # on no page yet
        _object_changed(sender, instance, now=True)


def _object_changed(sender, instance, *, now: bool) -> None:
    if not _active():
        return
    if sender in _STORY_FIELD:
        pk = getattr(instance, _STORY_FIELD[sender])
        _record(stories=[pk] if pk else [], now=now)
    elif instance.pk is not None and sender is Image:
        _record(stories=_stories_of(instance), now=now)
    elif instance.pk is not None:
        # The subject's own pages, at its slug in the database and its new one.
        kind = _SUBJECTS[sender]
        stored = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True)
        slugs = {instance.slug, *stored}
        scope = getattr(pagecache, f"{kind}_scope")
        stories = [] if sender is Section else _stories_of(instance)
        _record(
            stories=stories,
            scopes={scope(slug) for slug in slugs if slug},
            paths={path for slug in slugs if slug for path in _subject_paths(kind, slug)},
            site_wide=sender is Section,  # the navigation and every card show sections
            now=now,
        )


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
WATCHED = (*_STORY_FIELD, Image, *_SUBJECTS)
#: The ``through`` models whose ``m2m_changed`` matters.
RELATIONS = (TaggedArticle, ArticleAuthor)
