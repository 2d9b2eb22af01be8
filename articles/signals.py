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
#: section shown in the navigation being renamed: purge everything) and ``scopes`` (the
#: sorted page cache scopes it touched, which ``articles.edge`` purges as surrogate keys).
pages_changed = Signal()
