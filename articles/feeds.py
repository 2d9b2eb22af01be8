"""RSS 2.0 and Atom feeds of public stories, with the lead photo as Media RSS.

Each feed is a ``django.contrib.syndication`` ``Feed``; hosts change one by
subclassing it. Every item is read through ``presenters.article_facts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import live, rendering, sitefacts
from .conf import app_settings
from .models import Article, Author, Section, Tag
from .presenters import (
    ArticleFacts,
    absolute,
    article_facts,
    local_time,
    origin_for,
    photo_facts,
    publisher,
)
from .text import clean_line

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def add_media_elements(handler, photo) -> None:
    """Write the photo as ``media:content`` carrying its caption and credit."""
    if photo is None:
        return
    handler.startElement(
        "media:content",
        {
            "url": photo.url,
            "type": photo.content_type,
            "medium": "image",
            "width": str(photo.width),
            "height": str(photo.height),
        },
    )
    if photo.caption or photo.alt_text:
        handler.addQuickElement(
            "media:description", photo.caption or photo.alt_text, {"type": "plain"}
        )
    # The photographer (IPTC 2:80) and the credit line (2:110) are different facts:
    # never label one as the other.
    if photo.creator:
        handler.addQuickElement("media:credit", photo.creator, {"role": "photographer"})
    if photo.credit:
        handler.addQuickElement("media:credit", photo.credit)
    if photo.copyright_notice:
        handler.addQuickElement("media:copyright", photo.copyright_notice)
    handler.endElement("media:content")


class BufferedFeed:
    """Write the whole document into the response at once.

    ``Feed`` hands the generator the response itself, and the XML writer then sends
    every tag and text to it as one write (about 1,300 for 20 items), each encoded
    alone: a fifth of the feed's time. Measured in docs/decisions.md, "Uncached pages".
    """

    def write(self, outfile, encoding):
        buffer = StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class MediaRssFeed(BufferedFeed, Rss201rev2Feed):
    """RSS 2.0 with the Media RSS namespace."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has a language per channel only; Dublin Core's names each story's.
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])
        add_media_elements(handler, item.get("photo"))


class MediaAtomFeed(BufferedFeed, Atom1Feed):
    """Atom 1.0 with the Media RSS namespace."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def item_attributes(self, item):
        # The feed's xml:lang is the page language; an entry in another one says so.
        if item.get("language"):
            return {**super().item_attributes(item), "xml:lang": item["language"]}
        return super().item_attributes(item)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        add_media_elements(handler, item.get("photo"))


@dataclass(frozen=True)
class FeedSubject:
    """What a feed is about (None for the whole site) and the origin of its URLs."""

    subject: Section | Tag | Author | None
    origin: str


class LatestStoriesFeed(Feed):
    """The newest public stories of the whole site."""

    feed_type = MediaRssFeed

    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        return FeedSubject(None, origin_for(request))

    def get_queryset(self, obj: FeedSubject):
        """Return the public stories this feed lists, with their corrections."""
        return Article.objects.published().for_detail()

    def items(self, obj: FeedSubject) -> list[ArticleFacts]:
        stories = Article.objects.load_details(self.get_queryset(obj)[: app_settings.FEED_SIZE])
        # An item shows the whole photo (Media RSS), never its crops: none are built.
        site = publisher(obj.origin)
        return [article_facts(story, obj.origin, crops=False, site=site) for story in stories]

    def title(self, obj: FeedSubject) -> str:
        return app_settings.SITE_NAME

    def description(self, obj: FeedSubject) -> str:
        return _("The latest stories from %(site)s.") % {"site": app_settings.SITE_NAME}

    def link(self, obj: FeedSubject) -> str:
        return absolute(obj.origin, reverse("articles:home"))

    def item_title(self, item: ArticleFacts) -> str:
        return item.headline

    def item_description(self, item: ArticleFacts) -> str:
        """Return the summary, after the story's label and before its corrections.

        A feed reader shows this text: a sponsored story says so (and who paid), and a
        corrected story says what was corrected, as the story page does.
        """
        parts = []
        if item.sponsored:
            parts.append(_("Sponsored · Paid for by %(sponsor)s.") % {"sponsor": item.sponsor})
        elif item.kind_label:
            parts.append(f"{item.kind_label}.")
        if item.description:
            parts.append(item.description)
        parts += [note.line for note in item.corrections]
        return " ".join(parts)

    def item_link(self, item: ArticleFacts) -> str:
        return item.url

    def item_guid(self, item: ArticleFacts) -> str:
        return item.url

    def item_author_name(self, item: ArticleFacts) -> str:
        return item.byline or None

    def item_pubdate(self, item: ArticleFacts):
        return item.published

    def item_updateddate(self, item: ArticleFacts):
        return item.modified

    def item_categories(self, item: ArticleFacts) -> list[str]:
        """Return the story's kind ("Opinion", "Sponsored"...; none for news), then its tags."""
        kind = [item.kind_label] if item.kind_label else []
        return kind + [tag.name for tag in item.tags]

    def item_extra_kwargs(self, item: ArticleFacts) -> dict:
        return {"photo": item.photo, "language": item.language}


class SubjectFeed(LatestStoriesFeed):
    """The newest public stories of one section, tag or author, found by slug."""

    subject_model = None

    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        # A subject without public stories has no page and no feed (``public()``).
        subject = get_object_or_404(self.subject_model.objects.public(), slug=kwargs["slug"])
        return FeedSubject(subject, origin_for(request))

    def title(self, obj: FeedSubject) -> str:
        return f"{clean_line(obj.subject.name)} | {app_settings.SITE_NAME}"

    def description(self, obj: FeedSubject) -> str:
        return _("The latest stories about %(name)s from %(site)s.") % {
            "name": clean_line(obj.subject.name),
            "site": app_settings.SITE_NAME,
        }

    def link(self, obj: FeedSubject) -> str:
        return absolute(obj.origin, obj.subject.get_absolute_url())


class SectionFeed(SubjectFeed):
    subject_model = Section

    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        section = sitefacts.site_facts().section(kwargs["slug"])  # the navigation's
        if section is None:
            raise Http404("No public section has this address.")
        return FeedSubject(section, origin_for(request))

    def get_queryset(self, obj):
        return super().get_queryset(obj).filter(section=obj.subject)


class TagFeed(SubjectFeed):
    subject_model = Tag

    def get_queryset(self, obj):
        return super().get_queryset(obj).tagged_with(obj.subject)


class AuthorFeed(SubjectFeed):
    subject_model = Author

    def get_queryset(self, obj):
        return super().get_queryset(obj).by_author(obj.subject)


class AtomMixin:
    """Serve the same feed as Atom 1.0."""

    feed_type = MediaAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class LatestStoriesAtomFeed(AtomMixin, LatestStoriesFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass


@dataclass(frozen=True)
class LiveStory:
    """A live story whose updates a feed lists, and the origin of its URLs."""

    article: Article
    origin: str


class LiveUpdatesFeed(Feed):
    """The newest public updates of one live story, newest first."""

    feed_type = MediaRssFeed

    def get_object(self, request, *args, **kwargs) -> LiveStory:
        stories = Article.objects.published().filter(live_since__isnull=False)
        article = get_object_or_404(stories, slug=kwargs["slug"])
        live.note_next_update(request, article)
        return LiveStory(article, origin_for(request))

    def items(self, obj: LiveStory):
        updates = live.feed_updates(obj.article)
        photos = rendering.load_photos(update.body for update in updates)
        for update in updates:
            update.feed_body = rendering.syndicated_body(
                update.body, absolute(obj.origin, update.get_absolute_url()), photos
            )
            update.feed_url = absolute(obj.origin, update.get_absolute_url())
            placed = update.photo
            update.feed_photo = (
                photo_facts(placed.image, obj.origin, crops=False) if placed else None
            )
        return updates

    def title(self, obj: LiveStory) -> str:
        return _("%(headline)s: live updates") % {"headline": clean_line(obj.article.headline)}

    def description(self, obj: LiveStory) -> str:
        return _("The latest updates of a live story from %(site)s.") % {
            "site": app_settings.SITE_NAME
        }

    def link(self, obj: LiveStory) -> str:
        return absolute(obj.origin, obj.article.get_absolute_url())

    def item_title(self, item) -> str:
        return clean_line(item.title) or _("Update at %(time)s") % {
            "time": local_time(item.published_at).strftime("%H:%M")
        }

    def item_description(self, item) -> str:
        body = item.feed_body
        if item.correction:
            body += format_html("<p><strong>{}</strong> {}</p>", _("Correction:"), item.correction)
        return body

    def item_link(self, item) -> str:
        return item.feed_url

    def item_guid(self, item) -> str:
        return item.feed_url

    def item_author_name(self, item) -> str | None:
        return ", ".join(clean_line(author.name) for author in item.author_list()) or None

    def item_pubdate(self, item):
        return local_time(item.published_at)

    def item_updateddate(self, item):
        return local_time(item.edited_at or item.published_at)

    def item_extra_kwargs(self, item) -> dict:
        return {"photo": item.feed_photo}


class LiveUpdatesAtomFeed(AtomMixin, LiveUpdatesFeed):
    pass
