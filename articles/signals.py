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
