"""Parts of public pages kept in the shared cache, under the page cache's scopes.

With ``ARTICLES_FRAGMENT_CACHE`` on, every page is still rendered for every request,
and the story a page is about is still read through ``Article.objects.published()``;
what is kept is the work many requests repeat:

* **story cards** (``card.html``, ``lead_story.html``): one entry per story holding
  each form of its card (template, heading, dek), for every list page and "More from";
* the **parts of a story's page** (``ArticlePage``): its meta tags and JSON-LD, the
  story itself and its "More from" module, which then needs no ranking queries;
* the **section navigation** and the **next scheduled change** (for ``max-age``).

Each entry records the versions of the ``pagecache`` scopes it shows and is
ignored once one has moved (every change moves them after commit): a card shows
its story and its section's name (``story:<pk>``, and ``site``, which every section
change moves); the navigation shows the sections with public stories (``site`` and
``lists``, until the next scheduled change); the next change depends on every story
(``lists``). What is rendered is read after those versions,
so a change committed meanwhile only makes it be rendered again.

A request fetches what it needs in one round trip (``fetch``): its own keys with
the navigation and the next change. Keys also hold what else shapes the HTML:
language, time zone, script prefix, URLconf and today's date (a photo's rights
end on a date). If the cache cannot be reached, pages are rendered as if the
setting were off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from . import pagecache
from .conf import app_settings
from .models import Article, Section
from .models.related import RelatedItem, related_items
from .pagination import PageStories
from .presenters import article_facts, origin_for

CARD_TEMPLATE = "articles/includes/card.html"
# In every key: change it when the shape of an entry changes, so that a new release
# never reads what an older one stored (the cache outlives deployments).
KEY_PREFIX = "articles:f2:"
NEXT_CHANGE_KEY = KEY_PREFIX + "next-change"
NAV_KEY = KEY_PREFIX + "sections"
# Story pk -> the scopes its page's parts were last seen to depend on, in this process:
# a hint fetched along with the parts, never trusted on its own.
_seen_scopes: dict[int, tuple[str, ...]] = {}
SEEN_SCOPES_LIMIT = 10_000
CARD_TIMEOUT = 24 * 3600  # seconds; cards depend on no clock but the date in their key


def _variant(*parts: object) -> str:
    """Return a short digest of what, beside its content, shapes a fragment's HTML."""
    text = "|".join(
        str(part)
        for part in (
            *parts,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            timezone.localdate(),
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def fetch(request, keys: Iterable[str], scopes: Iterable[str]) -> tuple[dict, dict] | None:
    """Return ``(found, versions)`` for ``keys`` and ``scopes``: at most one round trip.

    What this request fetched before is not asked again. A request's first fetch
    also brings the navigation and the next scheduled change, which every page
    needs. None when the cache cannot be reached.
    """
    stash = request.__dict__.get("articles_fragments") if request is not None else None
    first = stash is None
    if first:
        stash = {"found": {}, "versions": {}, "asked": set()}
        keys = [*keys, NEXT_CHANGE_KEY, NAV_KEY]
        scopes = [*scopes, pagecache.LISTS_SCOPE, pagecache.SITE_SCOPE]
    keys = [key for key in dict.fromkeys(keys) if key not in stash["asked"]]
    scopes = [scope for scope in set(scopes) if scope not in stash["versions"]]
    if keys or scopes:
        fetched = pagecache.get_with_versions(keys, scopes)
        if fetched is None:
            return None
        stash["found"].update(fetched[0])
        stash["versions"].update(fetched[1])
        stash["asked"].update(keys)
    if first and request is not None:
        request.articles_fragments = stash
    return stash["found"], stash["versions"]


def _keep(request, entries: dict, timeout: int) -> None:
    """Store ``entries``, and let the rest of this request see them."""
    pagecache.set_many(entries, timeout)
    stash = request.__dict__.get("articles_fragments") if request is not None else None
    if stash is not None:
        stash["found"].update(entries)


def render_card(
    story: Article, heading: str = "h2", show_dek: bool = False, template: str = CARD_TEMPLATE
) -> SafeString:
    """Render one story card (``articles/includes/card.html``) without the cache."""
    return get_template(template).render({"story": story, "heading": heading, "show_dek": show_dek})


def _card_keys(refs) -> dict[int, str]:
    variant = _variant("card")
    return {pk: f"{KEY_PREFIX}card:{pk}:{variant}" for pk in refs}


def _card_refs(stories) -> list[int]:
    if isinstance(stories, PageStories):
        return stories.refs
    return [story.pk for story in stories]


def _card_scopes(refs) -> list[str]:
    # A card shows its section's name too: any section change moves ``site``.
    return [pagecache.SITE_SCOPE, *(pagecache.story_scope(pk) for pk in refs)]


def prefetch_cards(request, stories: PageStories) -> None:
    """Fetch a page's cards with the request's first round trip (list views call it)."""
    if app_settings.FRAGMENT_CACHE and stories:
        refs = _card_refs(stories)
        fetch(request, _card_keys(refs).values(), _card_scopes(refs))


def cards(
    stories: Iterable[Article] | PageStories,
    heading: str = "h2",
    show_dek: bool = False,
    template: str = CARD_TEMPLATE,
    request=None,
) -> list:
    """Return the HTML of each story's card, in order (see ``cards_by_pk``)."""
    return list(cards_by_pk(stories, heading, show_dek, template, request).values())


def cards_by_pk(
    stories: Iterable[Article] | PageStories,
    heading: str = "h2",
    show_dek: bool = False,
    template: str = CARD_TEMPLATE,
    request=None,
) -> dict:
    """Return each story's card HTML by pk, in order, rendering only what is not kept.

    ``stories`` are stories loaded with ``ArticleQuerySet.for_cards()``, or a page's
    ``PageStories``, whose rows are then read only if a card must be rendered. A
    card is rendered from its row read after the scope versions it records; a
    story whose row is gone by then is left out.
    """
    if isinstance(stories, PageStories):
        refs, read = stories.refs, stories.rows
    else:
        stories = list(stories)
        refs = _card_refs(stories)
        given = {story.pk: story for story in stories}

        def read(pks=None):
            if pks is None or not app_settings.FRAGMENT_CACHE:
                return given
            return Article.objects.for_cards().in_bulk(list(pks))

    def render(rows) -> dict:
        return {pk: render_card(rows[pk], heading, show_dek, template) for pk in refs if pk in rows}

    if not refs:
        return {}
    if not app_settings.FRAGMENT_CACHE:
        return render(read())
    keys = _card_keys(refs)
    fetched = fetch(request, keys.values(), _card_scopes(refs))
    if fetched is None:
        return render(read())
    found, versions = fetched
    form = f"{template}|{heading}|{show_dek}"
    kept, forms, wanted = {}, {}, {}
    for pk in refs:
        wanted[pk] = {
            scope: versions[scope] for scope in (pagecache.story_scope(pk), pagecache.SITE_SCOPE)
        }
        entry = found.get(keys[pk])
        if entry is not None and entry["versions"] == wanted[pk]:
            forms[pk] = entry["html"]
            if form in entry["html"]:
                kept[pk] = SafeString(entry["html"][form])
    missing = [pk for pk in refs if pk not in kept]
    rendered = render(read(missing)) if missing else {}
    new = {
        keys[pk]: {"versions": wanted[pk], "html": {**forms.get(pk, {}), form: str(html)}}
        for pk, html in rendered.items()
    }
    if new:
        _keep(request, new, CARD_TIMEOUT)
    return {pk: kept.get(pk) or rendered[pk] for pk in refs if pk in kept or pk in rendered}


def sections(request=None) -> list[Section]:
    """Return the sections with public stories, for navigation menus.

    Kept until a section or a public story changes, or the next embargo or expiry comes.
    """
    if not app_settings.FRAGMENT_CACHE:
        return list(Section.objects.public())
    fetched = fetch(request, [NAV_KEY], [pagecache.SITE_SCOPE, pagecache.LISTS_SCOPE])
    if fetched is None:
        return list(Section.objects.public())
    found, versions = fetched
    version = [versions[pagecache.SITE_SCOPE], versions[pagecache.LISTS_SCOPE]]
    now = timezone.now()
    entry = found.get(NAV_KEY)
    if (
        entry is not None
        and entry["version"] == version
        and (entry["until"] is None or now < entry["until"])
    ):
        return entry["sections"]
    until = next_change(now, request)
    found = list(Section.objects.public(now))
    entry = {"version": version, "sections": found, "until": until}
    _keep(request, {NAV_KEY: entry}, CARD_TIMEOUT)
    return found


class ArticlePage:
    """The kept parts of one story's page: its meta tags, the story and its "More from".

    The template marks each part with ``{% fragment "name" %}...{% endfragment %}``
    (``articles_tags``): a part found in the cache, with every scope it shows
    unchanged, is printed as kept; the others are rendered and stored after the
    response is rendered (``store``). Only when a part is missing is the story
    loaded with its bylines, tags and corrections (``load``).

    A part records the versions of the scopes it shows: the story, its section,
    its tags and authors, and for "More from" each story shown and its section,
    plus the story's section and tags (a story published there may enter it). "More
    from" also ends at the next embargo or expiry (a story may become public with
    no write), and every part after ``ARTICLES_PAGE_CACHE_TIMEOUT``. A part is kept
    only if no change committed between the first read and the store (the page
    cache's change mark, ``pagecache.CHANGE_MARK``): the versions it records are
    never newer than what it shows.
    """

    PARTS = ("meta", "story", "related")

    def __init__(self, article: Article, request, related_count: int, find_related=None):
        self.article = article
        self.find_related = find_related or (lambda story: related_items(story, related_count))
        self.request = request
        self.origin = origin_for(request)
        self.related_count = related_count
        self.now = timezone.now()
        self.kept: dict[str, dict] = {}
        self.rendered: dict[str, str] = {}
        self.versions: dict[str, int] | None = None
        self.mark: int | None = None
        self.loaded = False
        self._related = None
        self._facts = None
        if app_settings.FRAGMENT_CACHE:
            self._fetch()

    def _key(self, part: str) -> str:
        origin = self.origin if part == "meta" else ""
        variant = _variant("page", part, origin, self.related_count)
        return f"{KEY_PREFIX}part:{part}:{self.article.pk}:{variant}"

    def _fetch(self) -> None:
        keys = [self._key(part) for part in self.PARTS]
        pk = self.article.pk
        known = [pagecache.story_scope(pk), pagecache.section_scope(self.article.section_id)]
        # The next change (every response asks it) and the scopes this process saw the
        # parts depend on come in the same round trip; anything else takes a second one.
        fetched = fetch(
            self.request, keys, [*known, pagecache.CHANGE_MARK, *_seen_scopes.get(pk, ())]
        )
        if fetched is None:
            return
        found, versions = fetched
        self.mark = versions[pagecache.CHANGE_MARK]
        needed = {scope for key in keys if key in found for scope in found[key]["versions"]}
        if needed - set(versions):
            fetched = fetch(self.request, [], needed)
            if fetched is None:
                return
            found, versions = fetched
        if len(_seen_scopes) >= SEEN_SCOPES_LIMIT:
            _seen_scopes.clear()
        _seen_scopes[pk] = tuple(needed - set(known))
        self.versions = dict(versions)
        for part, key in zip(self.PARTS, keys, strict=True):
            entry = found.get(key)
            if (
                entry is not None
                and all(versions.get(scope) == v for scope, v in entry["versions"].items())
                and self.now < entry["until"]
            ):
                self.kept[part] = entry

    def cached(self, part: str) -> str | None:
        """Return the kept HTML of ``part``, or None when it must be rendered."""
        entry = self.kept.get(part)
        return entry["html"] if entry is not None else None

    @property
    def modified(self) -> datetime:
        """When the public version last changed (for ``Last-Modified``)."""
        entry = self.kept.get("meta")
        return entry["modified"] if entry is not None else self.facts.modified

    def load(self) -> Article:
        """Load the story with everything its parts show (once, and only if one is missing)."""
        if not self.loaded:
            self.loaded = True
            if app_settings.FRAGMENT_CACHE:
                # Loaded again, in place (the template holds this object), after the
                # scope versions were read: what is rendered is at least that new.
                self.article.refresh_from_db(
                    fields=[field.attname for field in Article._meta.concrete_fields],
                    from_queryset=Article.objects.select_related("section", "lead_image"),
                )
                prefetch_related_objects([self.article], *Article.objects.detail_prefetches())
        return self.article

    @property
    def facts(self):
        if self._facts is None:
            self._facts = article_facts(self.load(), self.origin)
        return self._facts

    @property
    def related(self) -> list[RelatedItem]:
        if self._related is None:
            self._related = self.find_related(self.load())
        return self._related

    def _scopes(self, part: str) -> list[str]:
        article = self.article
        scopes = [
            pagecache.story_scope(article.pk),
            pagecache.section_scope(article.section_id),
            *(pagecache.tag_scope(tag.pk) for tag in article.tags.all()),
        ]
        if part == "related":
            for item in self.related:
                if item.article is not None:
                    scopes.append(pagecache.story_scope(item.article.pk))
                    scopes.append(pagecache.section_scope(item.article.section_id))
        else:
            scopes += [pagecache.author_scope(a.pk) for a in article.byline_authors()]
        return scopes

    def scopes(self) -> list[str]:
        """Return every scope the page's parts show (for the page cache)."""
        shown = set()
        for part in self.PARTS:
            entry = self.kept.get(part)
            shown.update(entry["versions"] if entry is not None else self._scopes(part))
        return sorted(shown)

    def rendered_part(self, part: str, html: str) -> None:
        self.rendered[part] = html

    def store(self, *args) -> None:
        """Keep the parts rendered for this response (a post-render callback)."""
        if not app_settings.FRAGMENT_CACHE or self.versions is None or not self.rendered:
            return
        scopes = {s for part in self.rendered for s in self._scopes(part)} - set(self.versions)
        # The change mark last: if any change committed since the first read, the parts
        # may show it only in part, so none is kept.
        extra = pagecache.scope_versions([*scopes, pagecache.CHANGE_MARK])
        if extra is None or extra[pagecache.CHANGE_MARK] != self.mark:
            return
        versions = {**self.versions, **extra}
        # Every part ends after ARTICLES_PAGE_CACHE_TIMEOUT; "More from" also at the
        # next embargo or expiry, when a story may enter it without any write.
        timeout = app_settings.PAGE_CACHE_TIMEOUT
        change = next_change(self.now, self.request)
        entries = {}
        for part, html in self.rendered.items():
            until = self.now + timedelta(seconds=timeout)
            if part == "related" and change is not None:
                until = min(until, change)
            if (until - timezone.now()).total_seconds() < 1:
                continue
            entries[self._key(part)] = {
                "versions": {scope: versions[scope] for scope in self._scopes(part)},
                "until": until,
                "html": html,
                "modified": self.facts.modified if part == "meta" else None,
            }
        if entries:
            pagecache.set_many(entries, timeout)


def next_change(now: datetime, request=None) -> datetime | None:
    """Return ``Article.objects.next_change(now)``, kept in the shared cache.

    Every public response asks it (for its ``max-age``). The answer found at one
    moment holds until that change comes, unless stories change meanwhile: a kept
    answer is ignored once the ``lists`` scope moves (any story changed) or the
    change it names has come. It comes with the request's first fetch.
    """
    if not pagecache.caching_enabled():
        return Article.objects.next_change(now)
    fetched = fetch(request, [NEXT_CHANGE_KEY], [pagecache.LISTS_SCOPE])
    if fetched is None:
        return Article.objects.next_change(now)
    found, versions = fetched
    entry, version = found.get(NEXT_CHANGE_KEY), versions[pagecache.LISTS_SCOPE]
    if (
        entry is not None
        and entry["version"] == version
        and entry["since"] <= now
        and (entry["change"] is None or now < entry["change"])
    ):
        return entry["change"]
    change = Article.objects.next_change(now)
    entry = {"version": version, "since": now, "change": change}
    _keep(request, {NEXT_CHANGE_KEY: entry}, app_settings.PAGE_CACHE_TIMEOUT)
    return change
