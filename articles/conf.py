"""The app's settings, each with its documented default.

Read every ``ARTICLES_*`` setting through ``app_settings``; nothing else in the
app looks at ``django.conf.settings`` for them. Each property re-reads the
settings module, so ``override_settings`` works in tests.
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    prefix = "ARTICLES_"

    def _get(self, name: str, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def PAGE_SIZE(self) -> int:
        """Stories per page on the home, section, tag and author pages."""
        return self._get("PAGE_SIZE", 12)

    @property
    def SEARCH_LIMIT(self) -> int:
        """How many of a query's newest matches search ranks and pages through.

        Ranking reads each candidate's document, so this bounds a search's work
        however common its words; beyond it the page says "more than N found".
        """
        return self._get("SEARCH_LIMIT", 2000)

    @property
    def RELATED_COUNT(self) -> int:
        """How many stories the "More from ..." module shows."""
        return self._get("RELATED_COUNT", 4)

    @property
    def RELATED_HALF_LIFE_DAYS(self) -> float:
        """Age, in days, at which a suggested story counts half as much as a fresh one."""
        return self._get("RELATED_HALF_LIFE_DAYS", 30)

    @property
    def FRONT_TOP_STORIES(self) -> int:
        """How many top stories follow the lead on the home and section pages' fronts."""
        return self._get("FRONT_TOP_STORIES", 4)

    @property
    def SITE_NAME(self) -> str:
        """The publication's name, shown in titles and the masthead."""
        return self._get("SITE_NAME", "Newsroom")

    @property
    def IMAGE_MAX_UPLOAD_BYTES(self) -> int:
        """Largest photo file an editor may upload, in bytes."""
        return self._get("IMAGE_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)

    @property
    def IMAGE_MAX_PIXELS(self) -> int:
        """Largest photo, in pixels (width x height), accepted on upload."""
        return self._get("IMAGE_MAX_PIXELS", 100_000_000)

    @property
    def IMAGE_UPLOAD_TO(self) -> str:
        """Folder, in the originals' storage, that uploaded photos go to."""
        return self._get("IMAGE_UPLOAD_TO", "photos")

    @property
    def ORIGINALS_STORAGE(self) -> str:
        """The ``STORAGES`` entry keeping uploaded originals, which readers never fetch.

        Without that entry, originals go to the folder ``ORIGINALS_ROOT`` on disk.
        Renditions (stripped of embedded data) go to the default storage, which
        ``MEDIA_URL`` serves.
        """
        return self._get("ORIGINALS_STORAGE", "articles_originals")

    @property
    def ORIGINALS_ROOT(self) -> str:
        """Folder keeping originals when ``STORAGES`` has no ``ORIGINALS_STORAGE`` entry.

        By default ``MEDIA_ROOT`` with ``-originals`` appended: beside the served
        folder, never inside it.
        """
        return str(
            self._get("ORIGINALS_ROOT", "") or f"{str(settings.MEDIA_ROOT).rstrip('/')}-originals"
        )

    @property
    def PUBLISHER_LOGO(self) -> str:
        """Static path of the publisher's logo, named in structured data (``publisher``)."""
        return self._get("PUBLISHER_LOGO", "articles/logo.png")

    @property
    def DEFAULT_IMAGE(self) -> dict | None:
        """The image shared for a story without a photo (JSON-LD, OpenGraph, Twitter); None: none.

        A dict: ``url`` (a static path such as ``"site/share.png"``, or a full URL),
        ``width`` and ``height`` in pixels, and ``alt``, the text describing it.
        """
        return self._get("DEFAULT_IMAGE", None)

    @property
    def WXR_PAGES_SECTION(self) -> str:
        """Section that ``import_wxr`` puts WordPress pages in, as stories; "" leaves them out."""
        return self._get("WXR_PAGES_SECTION", "")

    @property
    def EDITOR_GROUP(self) -> str:
        """Name of the group the app creates for editors; read once, when it is created."""
        return self._get("EDITOR_GROUP", "Newsroom editors")

    @property
    def REPORTER_GROUP(self) -> str:
        """Name of the group the app creates for reporters; read once, when it is created."""
        return self._get("REPORTER_GROUP", "Newsroom reporters")

    @property
    def FEED_SIZE(self) -> int:
        """Stories in each RSS and Atom feed, newest first."""
        return self._get("FEED_SIZE", 30)

    @property
    def SITEMAP_LIMIT(self) -> int:
        """URLs per sitemap file; the sitemaps protocol allows at most 50,000."""
        return self._get("SITEMAP_LIMIT", 50_000)

    @property
    def LIVE_PAGE_SIZE(self) -> int:
        """Updates per page of a live story (and in its poll endpoint's answer)."""
        return self._get("LIVE_PAGE_SIZE", 20)

    @property
    def LIVE_POLL_SECONDS(self) -> int:
        """Seconds between two looks, by a reader's page, for new updates of a live story."""
        return self._get("LIVE_POLL_SECONDS", 30)

    @property
    def API_PAGE_SIZE(self) -> int:
        """Stories per page of the ninjs API's list."""
        return self._get("API_PAGE_SIZE", 20)

    @property
    def API_USAGE_TERMS(self) -> str:
        """The ``usageTerms`` every story in the ninjs API carries."""
        return self._get(
            "API_USAGE_TERMS",
            "For reading and linking. Republishing needs the publisher's written permission.",
        )

    @property
    def CACHE_MAX_AGE(self) -> int:
        """Seconds shared caches (a CDN) may keep public pages, feeds and API answers."""
        return self._get("CACHE_MAX_AGE", 300)

    @property
    def SITE_FACTS_TIMEOUT(self) -> float:
        """Seconds a process keeps the navigation's sections without hearing of a change.

        A write in the same process is seen at once; one in another process (another
        gunicorn worker) within this time (``articles/sitefacts.py``). 0 reads them
        on every page.
        """
        return self._get("SITE_FACTS_TIMEOUT", 1)

    @property
    def TIME_ZONE(self) -> str:
        """The newsroom's time zone: editors see and type every time in it (stored in UTC)."""
        return self._get("TIME_ZONE", settings.TIME_ZONE)

    @property
    def DEFAULT_LANGUAGE(self) -> str:
        """The language of a new story, a code from ``LANGUAGES``; search stems it that way."""
        return self._get("DEFAULT_LANGUAGE", settings.LANGUAGE_CODE)

    @property
    def EDIT_LEASE_SECONDS(self) -> int:
        """How long an open admin page counts as "open" without a sign of life, in seconds."""
        return self._get("EDIT_LEASE_SECONDS", 90)

    @property
    def PREVIEW_LINK_MAX_AGE(self) -> int:
        """How long a shareable preview link works, in seconds."""
        return self._get("PREVIEW_LINK_MAX_AGE", 3 * 24 * 3600)

    @property
    def PAGE_CACHE(self) -> bool:
        """Keep rendered public pages for anonymous readers in the cache ``PAGE_CACHE_ALIAS``."""
        return self._get("PAGE_CACHE", False)

    @property
    def PAGE_CACHE_ALIAS(self) -> str:
        """The ``CACHES`` entry holding cached pages; share it (Redis) between app servers."""
        return self._get("PAGE_CACHE_ALIAS", "default")

    @property
    def PAGE_CACHE_TIMEOUT(self) -> int:
        """Longest time, in seconds, a cached page is kept; changes invalidate it sooner."""
        return self._get("PAGE_CACHE_TIMEOUT", 600)

    @property
    def PAGE_CACHE_RETRY_AFTER(self) -> float:
        """Seconds a process serves pages uncached, without trying, after the cache failed."""
        return self._get("PAGE_CACHE_RETRY_AFTER", 30)

    @property
    def IMAGE_RENDITION_WIDTHS(self) -> tuple[int, ...]:
        """Widths, in pixels, of the resized copies made of every photo (never upscaled)."""
        return tuple(self._get("IMAGE_RENDITION_WIDTHS", (320, 640, 960, 1280, 1920)))

    @property
    def IMAGE_RENDITIONS_TO(self) -> str:
        """Folder on the photos' storage that renditions go to."""
        return self._get("IMAGE_RENDITIONS_TO", "renditions")

    @property
    def RENDITIONS_QUEUE(self) -> str:
        """Queue of the host's ``TASKS`` backend that photo renditions are sent to."""
        return self._get("RENDITIONS_QUEUE", "default")

    @property
    def RENDITION_ATTEMPTS(self) -> int:
        """How many times a photo's renditions are tried before the photo is shown as failed."""
        return self._get("RENDITION_ATTEMPTS", 3)

    @property
    def RENDITION_RETRY_DELAY(self) -> int:
        """Seconds before the second attempt at a photo's renditions; doubled for each later one.

        Needs a backend that can defer tasks (the database backend can); with one
        that cannot, or with 0, attempts follow each other at once.
        """
        return self._get("RENDITION_RETRY_DELAY", 30)

    @property
    def IMAGE_RIGHTS_WARNING_DAYS(self) -> int:
        """How many days ahead the photo admin lists photos whose rights are about to expire."""
        return self._get("IMAGE_RIGHTS_WARNING_DAYS", 30)

    @property
    def READING_WORDS_PER_MINUTE(self) -> int:
        """How many words a reader reads a minute, for ``Article.reading_time``."""
        return self._get("READING_WORDS_PER_MINUTE", 230)

    @property
    def IMAGE_STAGING_TO(self) -> str:
        """Folder, in the originals' storage, holding uploads waiting for their review."""
        return self._get("IMAGE_STAGING_TO", "staging")

    @property
    def IMAGE_STAGING_MAX_AGE(self) -> int:
        """Seconds an upload waits for its review before it has to be uploaded again."""
        return self._get("IMAGE_STAGING_MAX_AGE", 6 * 60 * 60)

    @property
    def IMAGE_CHOOSER_PAGE_SIZE(self) -> int:
        """Photos per page of the photo chooser."""
        return self._get("IMAGE_CHOOSER_PAGE_SIZE", 24)

    # The edge: surrogate keys and purges (articles/edge.py, docs/production.md).

    @property
    def SURROGATE_KEY_HEADER(self) -> str | None:
        """Header public responses name their cache keys in: ``"Surrogate-Key"``, ``"Cache-Tag"``
        or ``"xkey"``; None sends none."""
        return self._get("SURROGATE_KEY_HEADER", None)

    @property
    def SURROGATE_KEY_PREFIX(self) -> str:
        """Put before every surrogate key, so several sites can share one CDN service."""
        return self._get("SURROGATE_KEY_PREFIX", "")

    @property
    def PURGER(self) -> str | None:
        """Dotted path of the class that purges the CDN by key after a change; read at start-up."""
        return self._get("PURGER", None)

    @property
    def VARNISH_PURGE_URLS(self) -> tuple[str, ...]:
        """Where ``VarnishXkeyPurger`` sends its ``PURGE`` requests: one URL per Varnish."""
        return tuple(self._get("VARNISH_PURGE_URLS", ()))

    @property
    def PURGE_TIMEOUT(self) -> float:
        """Seconds a purge request may take to connect, and then to answer."""
        return self._get("PURGE_TIMEOUT", 2.0)

    @property
    def PURGE_QUEUE(self) -> str:
        """Queue of the host's ``TASKS`` backend that purges are sent to."""
        return self._get("PURGE_QUEUE", "default")

    @property
    def PURGE_REPEAT_AFTER(self) -> int:
        """Seconds after which a purge is sent again (needs a backend that can defer); 0: never."""
        return self._get("PURGE_REPEAT_AFTER", 10)


app_settings = AppSettings()
