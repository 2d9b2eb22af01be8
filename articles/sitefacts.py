"""The navigation's sections and the next scheduled change, kept per process (decisions.md)."""

from __future__ import annotations

import time
from datetime import datetime
from functools import cached_property

from django.db import transaction
from django.utils import timezone

from .conf import app_settings
from .models import Article, Section


class SiteFacts:
    """The facts as of ``read_at``, each read on first use."""

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

    def section(self, slug: str) -> Section | None:
        """Return the section with a public story at ``slug``, or None."""
        return next((section for section in self.sections if section.slug == slug), None)

    def cover(self, now: datetime) -> bool:
        """Tell whether these are still the site's facts at ``now``, as this process knows."""
        fresh = time.monotonic() < self.fresh_until and self.read_at <= now
        return fresh and (self.change is None or now < self.change)


_kept: SiteFacts | None = None


def site_facts(now: datetime | None = None) -> SiteFacts:
    """Return the site's facts at ``now`` (default: now), read again if need be."""
    global _kept
    facts, now = _kept, now or timezone.now()
    if facts is None or not facts.cover(now):
        facts = _kept = SiteFacts(now)
    return facts


def next_change(now: datetime) -> datetime | None:
    """Return when pages next change by themselves: read each time with the page cache on,
    whose pages could outlive an expiry set elsewhere during the lag."""
    return Article.objects.next_change(now) if app_settings.PAGE_CACHE else site_facts(now).change


def forget(**signal) -> None:
    """Drop the facts now and at commit (a receiver of the stories' and sections' saves)."""
    global _kept
    _kept = None
    if signal:
        transaction.on_commit(forget, robust=True)
