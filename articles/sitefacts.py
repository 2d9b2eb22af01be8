"""What every public page shows of the whole site, read once per change, not per page.

The sections in the navigation (``Section.objects.public()``) and when public pages
next change by themselves (``Article.objects.next_change()``) are two queries on every
page, a fifth of its CPU (docs/decisions.md). Both stay the same until a story or a
section is written or that next change comes, so each process keeps them until then:
a write in this process forgets them at once and again when it commits, and a write
in another process is seen within ``ARTICLES_SITE_FACTS_TIMEOUT`` seconds (one).
Why that lag exposes nothing a CDN or the page cache would keep: docs/decisions.md.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import cached_property

from django.db import transaction
from django.utils import timezone

from .conf import app_settings
from .models import Article, Section


class SiteFacts:
    """The facts as of ``read_at``, each read on first use; true until ``change``."""

    def __init__(self, now: datetime):
        self.read_at = now
        self.fresh_until = time.monotonic() + app_settings.SITE_FACTS_TIMEOUT

    @cached_property
    def change(self) -> datetime | None:
        """The next embargo lifting, expiry or end of live coverage (None: none is due)."""
        return Article.objects.next_change(self.read_at)

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """The sections with a public story, in the navigation."""
        return tuple(Section.objects.public(self.read_at))

    def cover(self, now: datetime) -> bool:
        """Tell whether these are still the site's facts at ``now``, as this process knows."""
        if time.monotonic() >= self.fresh_until or now < self.read_at:
            return False
        return self.change is None or now < self.change


_kept: SiteFacts | None = None


def site_facts(now: datetime | None = None) -> SiteFacts:
    """Return the site's facts as they are at ``now`` (default: now), read again if need be."""
    global _kept
    facts, now = _kept, now or timezone.now()
    if facts is None or not facts.cover(now):
        facts = _kept = SiteFacts(now)
    return facts


def next_change(now: datetime) -> datetime | None:
    """Return when public pages next change by themselves, as of ``now``.

    Kept like the navigation, except with the page cache on: a page it keeps could
    outlive a new expiry another process set during the lag (docs/decisions.md).
    """
    if app_settings.PAGE_CACHE:
        return Article.objects.next_change(now)
    return site_facts(now).change


def forget() -> None:
    """Drop the kept facts: the next page reads them again."""
    global _kept
    _kept = None


def changed(**signal) -> None:
    """Forget the facts now and when the transaction commits (receiver of model signals)."""
    forget()
    transaction.on_commit(forget, robust=True)
