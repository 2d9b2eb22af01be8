"""An article's public facts, computed once for every surface that shows them.

JSON-LD, OpenGraph, feeds, sitemaps and the ninjs API all read an article
through ``article_facts()``, so a credit, a date or a URL can never disagree
between them. Text is cleaned of control characters here too: XML (feeds,
sitemaps) refuses them, and one bad headline must not take a feed down.

Load articles with ``ArticleQuerySet.for_detail()`` and ``load_details()`` before
presenting them; nothing here runs a query of its own.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict
from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .conf import app_settings
from .languages import lang_attributes
from .text import clean_line
from .times import iso_time, newsroom_zone, reader_date

# The aspect ratios Google asks for in an article's structured data.
CROP_RATIOS = ((16, 9), (4, 3), (1, 1))


@dataclass(frozen=True)
class Link:
    """A named public page: an author, a section or a tag."""

    name: str
    url: str


@dataclass(frozen=True)
class Crop:
    """One version of a photo cut to an aspect ratio, with its real pixel size."""

    ratio: str
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Photo:
    """A photo with everything a reader or a partner must be told about it."""

    url: str
    width: int
    height: int
    content_type: str
    caption: str
    alt_text: str
    credit: str
    creator: str
    copyright_notice: str
    license_url: str
    crops: tuple[Crop, ...]


@dataclass(frozen=True)
class Note:
    """A correction, clarification or update appended to a story."""

    kind: str
    text: str
    date: datetime
    label: str = ""  # the kind as readers see it: "Correction"

    @property
    def line(self) -> str:
        """The note as one dated line, as feeds and the API carry it."""
        return _("%(kind)s, %(date)s: %(text)s") % {
            "kind": self.label or self.kind,
            "date": date_format(self.date, "j F Y"),
            "text": self.text,
        }


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    logo_url: str


@dataclass(frozen=True)
class ArticleFacts:
    """What every public surface says about one article."""

    pk: int
    url: str
    headline: str
    description: str
    body_html: str
    published: datetime
    modified: datetime
    section: Link
    authors: tuple[Link, ...]
    tags: tuple[Link, ...]
    photo: Photo | None
    sponsor: str
    language: str
    publisher: Publisher
    notes: tuple[Note, ...] = ()
    # ``Article.kind`` ("news", "opinion"...) and its label for readers ("" for news).
    kind: str = "news"
    kind_label: str = ""
    # What JSON-LD, OpenGraph and Twitter show: the lead photo, else the site's default.
    share_image: Photo | None = None

    @property
    def sponsored(self) -> bool:
        """Tell whether the story is paid content, labelled with its sponsor."""
        return self.kind == "sponsored"

    @property
    def corrections(self) -> tuple[Note, ...]:
        """The notes that correct or clarify the story (not plain updates)."""
        return tuple(note for note in self.notes if note.kind in {"correction", "clarification"})

    @property
    def byline(self) -> str:
        """The authors' names as one line: "A, B and C"."""
        names = [author.name for author in self.authors]
        if len(names) <= 1:
            return "".join(names)
        return get_text_list(names, pgettext("last of a list of names", "and"))


def origin_for(request) -> str:
    """Return ``scheme://host`` of the request, the base of every absolute URL."""
    return f"{request.scheme}://{request.get_host()}"


def absolute(origin: str, url: str) -> str:
    """Return ``url`` made absolute against ``origin`` (already absolute URLs pass through)."""
    if url.startswith("/") and not url.startswith("//"):
        return origin + url  # a path, as reverse() and storages give: what urljoin gives
    return urljoin(origin + "/", url)


def language_code(code: str | None = None) -> str:
    """Return ``code`` (or the site's language) as ISO 639, with a region where Google wants it."""
    code = (code or settings.LANGUAGE_CODE).lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


def local_time(value: datetime) -> datetime:
    """Return ``value`` in the newsroom's time zone, to the second, with its offset."""
    return timezone.localtime(value).replace(microsecond=0)


def headline(article) -> str:
    """Return the headline as every surface prints it, control characters removed."""
    return clean_line(article.headline)


def loaded_notes(article) -> list:
    """Return the story's corrections if they were loaded (``load_details()``), else []."""
    return getattr(article, "loaded_corrections", [])


def modified_time(article) -> datetime:
    """Return when the public version last changed: never before its publication.

    Counts the newest correction or update when they were prefetched.
    """
    times = [article.published_at, article.updated_at]
    times += [note.created_at for note in loaded_notes(article)]
    return max(local_time(value) for value in times if value)


def publisher(origin: str) -> Publisher:
    return Publisher(
        name=app_settings.SITE_NAME,
        url=absolute(origin, "/"),
        logo_url=absolute(origin, static(app_settings.PUBLISHER_LOGO)),
    )


def photo_crops(image, origin: str) -> tuple[Crop, ...]:
    """Return the photo's 16:9, 4:3 and 1:1 renditions, cut around its focal point.

    Never the original file, which keeps its embedded GPS and camera data: public
    surfaces only reach photos whose renditions exist (``PlacedPhoto.place``).
    """
    crops = image.crops()
    if len(crops) < len(CROP_RATIOS):
        return ()
    return tuple(
        Crop(
            ratio=ratio,
            url=absolute(origin, crop["url"]),
            width=crop["width"],
            height=crop["height"],
        )
        for ratio, crop in ((f"{w}:{h}", crops[f"{w}:{h}"]) for w, h in CROP_RATIOS)
    )


def photo_facts(
    image, origin: str, caption: str = "", alt_text: str = "", crops: bool = True
) -> Photo:
    """Return a photo's public facts; ``caption``/``alt_text`` are a placement's overrides.

    ``crops=False`` leaves out the 16:9, 4:3 and 1:1 crops, for surfaces that show only
    the whole photo (feeds).

    Credit and creator stay apart (IPTC 2:110 and 2:80): an unknown creator is
    left empty, never filled with the credit line.
    """
    # The whole photo as its widest stripped rendition, never the uploaded file.
    whole = image.largest_rendition("original", "jpeg")
    return Photo(
        url=absolute(origin, whole.url) if whole else "",
        width=whole.width if whole else image.width,
        height=whole.height if whole else image.height,
        content_type="image/jpeg",
        caption=clean_line(caption or image.caption),
        alt_text=clean_line(alt_text or image.alt_text),
        credit=clean_line(image.credit),
        creator=clean_line(image.creator),
        copyright_notice=clean_line(image.copyright_notice),
        license_url=image.licence_url,
        crops=photo_crops(image, origin) if crops else (),
    )


def is_static_path(url: str) -> bool:
    """Tell whether ``url`` names a static file ("site/share.png"), not a URL or a path."""
    return not url.startswith("/") and "://" not in url


def default_image(origin: str) -> Photo | None:
    """Return the site's image for stories without a photo (``ARTICLES_DEFAULT_IMAGE``)."""
    image = app_settings.DEFAULT_IMAGE
    if not image:
        return None
    url = static(image["url"]) if is_static_path(image["url"]) else image["url"]
    return Photo(
        url=absolute(origin, url),
        width=image["width"],
        height=image["height"],
        content_type=mimetypes.guess_type(image["url"])[0] or "image/png",
        caption="",
        alt_text=clean_line(image["alt"]),
        credit="",
        creator="",
        copyright_notice="",
        license_url="",
        crops=(),
    )


def lead_photo_facts(article, origin: str, crops: bool = True) -> Photo | None:
    """Return the story's lead photo as placed on it; None when readers may not see it."""
    placed = article.lead_photo
    if placed is None:
        return None
    return photo_facts(
        placed.image, origin, caption=placed.caption, alt_text=placed.alt_text, crops=crops
    )


def lead_photo_url(article, origin: str) -> str | None:
    """Return the lead photo's absolute URL alone, for lists too long for ``lead_photo_facts``.

    A month's sitemap lists thousands of photos and needs only their address; the
    full facts (crops, rights, cleaned text) cost about half its rendering time.
    """
    placed = article.lead_photo
    whole = placed.image.largest_rendition("original", "jpeg") if placed is not None else None
    return absolute(origin, whole.url) if whole else None


def article_facts(
    article, origin: str, crops: bool = True, site: Publisher | None = None
) -> ArticleFacts:
    """Return what every public surface says about ``article``.

    ``article`` must come from ``for_detail()`` and ``load_details()`` (section,
    photo, bylines, tags and notes loaded); ``origin`` is ``scheme://host`` (see ``origin_for``).
    ``crops=False``: the lead photo without its crops (``photo_facts``).
    ``site``: ``publisher(origin)``, for a list of stories to work it out once.
    """
    section = article.section
    photo = lead_photo_facts(article, origin, crops=crops)
    return ArticleFacts(
        pk=article.pk,
        url=absolute(origin, article.get_absolute_url()),
        headline=headline(article),
        description=clean_line(article.dek) or clean_line(strip_tags(article.body))[:300],
        body_html=article.body,
        published=local_time(article.published_at),
        modified=modified_time(article),
        section=Link(clean_line(section.name), absolute(origin, section.get_absolute_url())),
        authors=tuple(
            Link(clean_line(author.name), absolute(origin, author.get_absolute_url()))
            for author in article.byline_authors()
        ),
        tags=tuple(
            Link(clean_line(tag.name), absolute(origin, tag.get_absolute_url()))
            for tag in article.tag_list()
        ),
        photo=photo,
        sponsor=clean_line(article.sponsor_name) if article.sponsored else "",
        language=language_code(article.language),
        publisher=site or publisher(origin),
        notes=tuple(
            Note(
                note.kind,
                clean_line(note.text),
                local_time(note.created_at),
                label=str(note.get_kind_display()),
            )
            for note in loaded_notes(article)
        ),
        kind=article.kind,
        kind_label=article.kind_label,
        share_image=photo or default_image(origin),
    )


@dataclass(frozen=True)
class UpdateFacts:
    """What every public surface says about one update of a live story."""

    pk: int
    url: str
    headline: str
    text: str
    body_html: str
    published: datetime
    modified: datetime
    authors: tuple[Link, ...]
    photo: Photo | None
    pinned: bool
    key_event: bool
    correction: str


@dataclass(frozen=True)
class LiveFacts:
    """A live story's coverage times and the updates a surface shows."""

    start: datetime
    end: datetime | None
    ended: bool
    updates: tuple[UpdateFacts, ...]


def update_facts(update, origin: str, crops: bool = False) -> UpdateFacts:
    """Return the public facts of one update (loaded with ``LiveUpdateQuerySet.for_page``).

    An update without a title is named by its story's headline and its time, as
    readers see it on the page.
    """
    published = local_time(update.published_at)
    text = clean_line(strip_tags(update.body))
    placed = update.photo
    return UpdateFacts(
        pk=update.pk,
        url=absolute(origin, update.get_absolute_url()),
        headline=clean_line(update.title) or f"{headline(update.article)} ({published:%H:%M})",
        text=text,
        body_html=update.body,
        published=published,
        modified=local_time(update.edited_at or update.published_at),
        authors=tuple(
            Link(clean_line(author.name), absolute(origin, author.get_absolute_url()))
            for author in update.author_list()
        ),
        photo=photo_facts(placed.image, origin, crops=crops) if placed else None,
        pinned=update.pinned,
        key_event=update.key_event,
        correction=clean_line(update.correction),
    )


def live_facts(article, updates, origin: str) -> LiveFacts:
    """Return the coverage of a live ``article`` with the facts of ``updates``."""
    return LiveFacts(
        start=local_time(article.live_since),
        end=local_time(article.live_until) if article.live_until else None,
        ended=article.live_ended(),
        updates=tuple(update_facts(update, origin) for update in updates),
    )


class Card(TypedDict, total=False):
    """What a story card shows, worked out once per story (``story_card``).

    Card templates (``articles/includes/card.html``, ``lead_story.html``) print these
    keys as they are: no filter, lookup chain or include per card. A dict, not an
    object, so that each ``{{ card.key }}`` is one dictionary lookup for the template
    engine, which tries one before an attribute. ``story`` is the story itself, for a
    host's own card template; ``photo`` is its lead photo as cards show it
    (``Article.card_photo``, the 16:9 crop), None without one, and the ``photo_*``
    keys its ``<picture>`` sources (``PictureSources``) and credit line.
    """

    story: object
    url: str
    headline: str
    dek: str
    sponsored: bool
    kind: str
    label: str
    lang: str
    section_name: str
    section_url: str
    published_at: datetime | None
    published_iso: str
    published_day: str
    photo: object | None
    photo_src: str
    photo_width: str
    photo_height: str
    photo_webp_srcset: str
    photo_jpeg_srcset: str
    photo_alt_text: str
    photo_caption: str
    photo_credit: str


def story_card(story, days: dict | None = None) -> Card:
    """Return ``story``'s card; it must come from ``for_cards()`` (no query here).

    ``days``: a dict shared by the cards of one page, so that each day's date is
    written out once (``date_format`` is a tenth of a card's time).
    """
    section, photo = story.section, story.card_photo
    sources = photo.sources() if photo is not None else None
    published = story.published_at
    card = Card(
        story=story,
        url=story.get_absolute_url(),
        headline=story.headline,
        dek=story.dek,
        sponsored=story.sponsored,
        kind=story.kind,
        label=story_label(story),
        lang=lang_attributes(story.language),
        section_name=section.name,
        section_url=section.get_absolute_url(),
        published_at=published,
        published_iso=iso_time(published) if published else "",
        published_day=_day(published, {} if days is None else days) if published else "",
        photo=None,
    )
    if sources is not None:
        card.update(
            photo=photo,
            photo_src=sources.src,
            # As text: the template engine would localise a number on every card.
            photo_width=str(sources.width),
            photo_height=str(sources.height),
            photo_webp_srcset=sources.webp_srcset,
            photo_jpeg_srcset=sources.jpeg_srcset,
            photo_alt_text=photo.alt_text,
            photo_caption=photo.caption,
            photo_credit=_("Photo: %(credit)s") % {"credit": photo.credit},
        )
    return card


def _day(moment: datetime, days: dict) -> str:
    day = timezone.localtime(moment, newsroom_zone()).date()
    if day not in days:
        days[day] = reader_date(moment)
    return days[day]


def story_label(story) -> str:
    """Return the label readers see for the story's kind ("Opinion"...); "" for plain news."""
    if story.sponsored:
        return _("Sponsored · Paid for by %(sponsor)s") % {"sponsor": story.sponsor_name}
    return story.kind_label
