"""Outbound signals: hooks for other apps (cache purges, push alerts, syndication).

The publishing flow itself is plain method calls (``articles.workflow``); these
signals only announce what happened, after the database transaction commits.
"""

from django.dispatch import Signal

#: Sent when a story is published or scheduled.
#: Arguments: ``sender`` (the ``Article`` class), ``article``, ``user`` (who did it, or None),
#: ``scheduled`` (True when ``article.published_at`` is still in the future: an embargo).
article_published = Signal()

#: Sent when a published or scheduled story leaves the public site (retracted, or sent back
#: to draft). Arguments: ``sender`` (the ``Article`` class), ``article``, ``user``,
#: ``reason`` (the retraction reason, or an empty string).
article_unpublished = Signal()

#: Sent once per committed transaction that changed public pages, so a host can purge
#: its CDN. Arguments: ``sender`` (the ``Article`` class), ``paths`` (sorted URL paths,
#: without query strings, of the pages to purge: the stories' pages and API documents,
#: their section, tag and author pages and feeds, the home page, the site feeds, the
#: sitemaps and the API list), ``site_wide`` (True when every page changed, such as a
#: section shown in the navigation being renamed: purge everything), ``scopes`` (sorted
#: page cache scope names, ``articles.pagecache``, whose pages changed: purge the CDN's
#: copies carrying any of them as a surrogate key; a response's own are
#: ``pagecache.page_scopes(request)``. ``site`` is on every page).
pages_changed = Signal()

#: Sent by a write that sends no ``post_save`` but changes how photos show on public
#: pages (new renditions). Arguments: ``sender`` (the ``Image`` class), ``ids`` (the
#: photos' ids). ``articles.invalidation`` refreshes the pages showing them at commit.
photos_changed = Signal()

#: Sent when a story's stored "More from" suggestions change (ranked again by the task
#: worker). Arguments: ``sender`` (the ``Article`` class), ``ids`` (the stories whose
#: module changed). ``articles.invalidation`` refreshes those stories' pages.
suggestions_changed = Signal()
