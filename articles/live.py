"""A live story's updates as its surfaces show them: page, poll endpoint, feed, JSON-LD, API.

Every surface starts from ``LiveUpdate.objects.published()`` through the story's
``live_updates``, so an update is public exactly when its time has come and its story
is public; nothing here decides otherwise. Loading costs a fixed number of queries
whatever the number of updates: the pinned update and the key events in one query,
a page of updates in two (count and rows), their authors in one prefetch each, and
the photos of all their bodies in one (``rendering.load_photos``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from . import http, rendering
from .conf import app_settings
from .embeds import render_embed
from .models import Article, LiveUpdate


@dataclass
class LiveCoverage:
    """What a live story's page shows of its updates."""

    article: Article
    page: Page
    pinned: LiveUpdate | None
    key_events: list[LiveUpdate]
    ended: bool
    newest: object = None  # the newest public update's time, for the poller
    bodies: dict[int, str] = field(default_factory=dict)

    @property
    def newest_iso(self) -> str:
        """The newest update's time to the microsecond, as the poll endpoint gives it."""
        return timezone.localtime(self.newest).isoformat() if self.newest else ""

    @property
    def updates(self) -> list[LiveUpdate]:
        """Every update on this page, the pinned one first (for JSON-LD)."""
        shown = [self.pinned] if self.pinned and self.page.number == 1 else []
        return [*shown, *self.page.object_list]


def note_next_update(request, article: Article) -> None:
    """End the cache lifetime of a page showing ``article``'s updates at its next scheduled one."""
    http.changes_at(request, article.live_updates.next_change())


def public_updates(article: Article):
    """Return the story's updates readers may see now, newest first."""
    return article.live_updates.published()


def attach_article(updates, article: Article) -> None:
    """Point every update at its (already loaded) story: permalinks read its slug."""
    for update in updates:
        update.article = article


def render_bodies(updates) -> None:
    """Give each update ``shown_body`` (photos and players) and ``shown_video``: one query."""
    updates = list(updates)
    photos = rendering.load_photos(update.body for update in updates)
    for update in updates:
        update.shown_body = rendering.page_body(update.body, photos)
        video = update.video
        update.shown_video = render_embed(video) if video else ""


def coverage(article: Article, page_number=1) -> LiveCoverage:
    """Load the live coverage of ``article`` for one page of its updates (``InvalidPage``)."""
    public = public_updates(article)
    featured = list(public.filter(Q(pinned=True) | Q(key_event=True)).for_page())
    pinned = next((update for update in featured if update.pinned), None)
    rest = public.exclude(pinned=True).for_page()
    page = Paginator(rest, app_settings.LIVE_PAGE_SIZE).page(page_number)
    updates = [*featured, *page.object_list]
    attach_article(updates, article)
    # Key events on another page are linked at their own address, not by anchor.
    on_page = {update.pk for update in page.object_list}
    if pinned is not None and page.number == 1:
        on_page.add(pinned.pk)
    for update in updates:
        update.on_page = update.pk in on_page
    render_bodies(updates)
    newest = max((update.published_at for update in updates), default=None)
    return LiveCoverage(
        article=article,
        page=page,
        pinned=pinned,
        key_events=[update for update in featured if update.key_event],
        ended=article.live_ended(),
        newest=newest if page.number == 1 else newest_time(article),
    )


def newest_time(article: Article):
    """Return when the story's newest public update was published (None without one)."""
    return public_updates(article).values_list("published_at", flat=True).first()


def poll_document(article: Article, url_of) -> dict:
    """Return what the poll endpoint answers: the state and the newest updates' ids and times."""
    rows = public_updates(article).values_list("pk", "published_at")
    rows = list(rows[: app_settings.LIVE_PAGE_SIZE])
    return {
        "live": not article.live_ended(),
        "ended": article.live_until.isoformat() if article.live_ended() else None,
        "newest": timezone.localtime(rows[0][1]).isoformat() if rows else None,
        "updates": [
            {"id": pk, "published": timezone.localtime(when).isoformat(), "url": url_of(pk)}
            for pk, when in rows
        ],
    }


def feed_updates(article: Article) -> list[LiveUpdate]:
    """Return the newest public updates for the story's feed (``ARTICLES_FEED_SIZE``)."""
    updates = list(public_updates(article).for_page()[: app_settings.FEED_SIZE])
    attach_article(updates, article)
    return updates
