"""The stored article body (Contract A): normalised, sanitised, and what that removes.

Every write path stores the body through ``normalise()`` (``SanitizedHTMLField``):

* plain text becomes paragraphs (blank lines) and line breaks (single newlines);
* a paragraph holding only a YouTube or Vimeo URL, and the providers' ``<iframe>``
  embed code, become the canonical embed figure
  ``<figure data-embed="URL"><a href="URL">URL</a></figure>``;
* an ``<img>`` showing a library photo's file or rendition becomes
  ``<figure data-image="ID"></figure>`` (keeping its ``<figcaption>``); any other
  ``<img>`` is removed, as is a photo figure naming a photo not in the library;
* everything else goes through the allow-list in ``sanitize.py``.

``removals()`` names what that would remove from an input, split into what an
editor can see (an outside image, another site's iframe: forms refuse it) and
code or formatting (scripts, style attributes: forms warn). The photo library is
passed in (``PhotoLibrary``) so that this module needs no models.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .embeds import video_embed
from .sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from .text import clean_text
from .wpautop import wpautop


class PhotoLibrary(Protocol):
    """Tells which photos of the library an input refers to (``models.images``)."""

    def find(self, srcs: Collection[str], ids: Collection[int]) -> tuple[dict[str, int], set[int]]:
        """Return ``({src: photo id}, {ids that exist})`` for image addresses and photo ids."""


# The first pass keeps what the conversions read; the allow-list pass removes the rest.
_FIRST_TAGS = set(ALLOWED_TAGS) | {"img", "iframe"}
_FIRST_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    "img": {"src"},
    "iframe": {"src"},
}

# nh3 writes attributes double-quoted, in order: the first pass's output is regular.
_IFRAME = re.compile(r'<iframe\b(?:\ssrc="(?P<src>[^"]*)")?[^>]*>.*?</iframe>', re.S)
_IMG = re.compile(r'<img\b(?:\ssrc="(?P<src>[^"]*)")?[^>]*>')
# A figure around one image (or linked image), with an optional caption: WordPress and old stories.
_IMAGE_FIGURE = re.compile(
    r"<figure>\s*(?:<a\b[^>]*>\s*)?(?P<img><img\b[^>]*>)\s*(?:</a>\s*)?"
    r"(?:<figcaption>(?P<caption>.*?)</figcaption>\s*)?</figure>",
    re.S,
)
_FIGURE = re.compile(r"<figure(?P<attrs>\s[^>]*)?>(?P<inner>.*?)</figure>", re.S)
_DATA_EMBED = re.compile(r'data-embed="([^"]*)"')
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_DATA_IMAGE = re.compile(r'data-image="([^"]*)"')
_PHOTO_ID = re.compile(r"^[1-9][0-9]{0,17}$")
# A paragraph holding only a URL, bare or as the text of a link (the sanitiser's output).
URL_PARAGRAPH = re.compile(
    r"<p>\s*(?:<a\b[^>]*>\s*)?(?P<url>https?://[^\s<>\"]+)\s*(?:</a>\s*)?</p>", re.IGNORECASE
)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>\n?")
_TAG = re.compile(r"<[^>]+>")


def _first_pass(text: str) -> str:
    return nh3.clean(
        text,
        tags=_FIRST_TAGS,
        attributes=_FIRST_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


def embed_figure(url: str) -> str:
    """Return the canonical embed figure for a recognised video ``url`` ("" for any other)."""
    embed = video_embed(url)
    if embed is None:
        return ""
    canonical = escape(embed.url)
    return f'<figure data-embed="{canonical}"><a href="{canonical}">{canonical}</a></figure>'


def photo_figure(photo_id: int, caption: str = "") -> str:
    """Return the canonical figure of library photo ``photo_id``, with this story's caption."""
    text = html_lib.unescape(_TAG.sub("", caption)).strip()
    figcaption = f"<figcaption>{escape(text)}</figcaption>" if text else ""
    return f'<figure data-image="{photo_id}">{figcaption}</figure>'


def photo_ids(body: str) -> list[int]:
    """Return the library photos a stored body shows, in order, each once."""
    found = (int(value) for value in _DATA_IMAGE.findall(body or "") if _PHOTO_ID.match(value))
    return list(dict.fromkeys(found))


def _src(tag: str) -> str:
    match = _IMG.match(tag)
    return html_lib.unescape(match.group("src") or "") if match else ""


def normalise(value: str, library: PhotoLibrary | None = None) -> str:
    """Return ``value`` in the stored form of Contract A, cleaned by the allow-list.

    Without a ``library``, every ``<img>`` is removed and photo figures are kept
    as they are.
    """
    if not value or not value.strip():
        return ""
    text = _first_pass(wpautop(clean_text(value)))
    srcs = {_src(match.group(0)) for match in _IMG.finditer(text)} - {""}
    ids = {int(v) for v in _DATA_IMAGE.findall(text) if _PHOTO_ID.match(v)}
    photos, existing = library.find(srcs, ids) if library and (srcs or ids) else ({}, None)
    if existing is not None:
        existing |= set(photos.values())

    def iframe(match: re.Match) -> str:
        return embed_figure(html_lib.unescape(match.group("src") or ""))

    def image_figure(match: re.Match) -> str:
        pk = photos.get(_src(match.group("img")))
        if pk is None:
            caption = match.group("caption")
            return f"<figure><figcaption>{caption}</figcaption></figure>" if caption else ""
        return photo_figure(pk, match.group("caption") or "")

    def image(match: re.Match) -> str:
        pk = photos.get(_src(match.group(0)))
        return f'<figure data-image="{pk}"></figure>' if pk is not None else ""

    text = _IFRAME.sub(iframe, text)
    text = _IMAGE_FIGURE.sub(image_figure, text)
    text = _IMG.sub(image, text)

    def figure(match: re.Match) -> str:
        attrs, inner = match.group("attrs") or "", match.group("inner")
        image, embed = _DATA_IMAGE.search(attrs), _DATA_EMBED.search(attrs)
        if image:
            value = image.group(1)
            if not _PHOTO_ID.match(value) or (existing is not None and int(value) not in existing):
                return ""
            caption = _FIGCAPTION.search(inner)
            return photo_figure(int(value), caption.group(1) if caption else "")
        if embed:
            return embed_figure(html_lib.unescape(embed.group(1)))
        return match.group(0)

    def url_paragraph(match: re.Match) -> str:
        return embed_figure(html_lib.unescape(match.group("url"))) or match.group(0)

    # The allow-list pass parses the markup as a browser would (a figure ends a
    # paragraph); the second wpautop wraps any text that parsing left outside one.
    text = wpautop(sanitize_html(text))
    text = _FIGURE.sub(figure, text)
    text = URL_PARAGRAPH.sub(url_paragraph, text)
    return _EMPTY_PARAGRAPH.sub("", text).strip()


# --- What normalising removes -------------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """One kind of thing the stored body would lose; ``visible`` when readers would have seen it."""

    label: str
    visible: bool
    # For tallies over many bodies (the importer): the label of one, and how many.
    kind: str = ""
    count: int = 1

    def __str__(self) -> str:
        return self.label


# Elements whose content an editor sees in the page and that the allow-list removes.
VISIBLE_ELEMENTS = frozenset(
    {
        "object", "embed", "video", "audio", "picture", "source", "track", "svg", "canvas",
        "math", "form", "input", "button", "select", "textarea", "frame", "frameset", "applet",
        "map", "area",
    }
)  # fmt: skip
# Attributes the site sets or ignores on its own: never worth a warning.
_QUIET_ATTRIBUTES = {"a": {"rel", "target"}, "figure": {"data-image", "data-embed"}}
_URL_ATTRIBUTES = {"href", "cite"}


class _Inventory(HTMLParser):
    """Everything in an input that the allow-list looks at, counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: Counter = Counter()
        self.unsafe_links = 0
        self.comments = 0
        self.images: list[str] = []
        self.iframes: list[str] = []
        self.photo_ids: list[str] = []
        self.embeds: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "img":
            self.images.append((values.get("src") or "").strip())
            return
        if tag == "iframe":
            self.iframes.append((values.get("src") or "").strip())
            return
        self.tags[tag] += 1
        if tag == "figure" and "data-image" in values:
            self.photo_ids.append(values["data-image"] or "")
        if tag == "figure" and "data-embed" in values:
            self.embeds.append(values["data-embed"] or "")
        if tag in VISIBLE_ELEMENTS or tag in {"script", "style"}:
            return  # reported as a whole
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) if tag in ALLOWED_TAGS else set()
        for name, value in attrs:
            if name in _QUIET_ATTRIBUTES.get(tag, ()):
                continue
            if name not in allowed:
                key = "on*" if name.startswith("on") else name
                self.attributes[key] += 1
            elif name in _URL_ATTRIBUTES and value and _unsafe_url(value):
                self.unsafe_links += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.comments += 1


def _unsafe_url(value: str) -> bool:
    scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return bool(scheme) and scheme.group(1).lower() not in URL_SCHEMES


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _counted(one: str, many: str, n: int, **values) -> str:
    return ngettext(one, many, n) % {"n": n, **values}


def removals(value: str, library: PhotoLibrary | None = None) -> list[Removal]:
    """Name what ``normalise(value)`` would remove: lost content first, then code and formatting."""
    if not value or not value.strip():
        return []
    inventory = _Inventory()
    inventory.feed(clean_text(value))
    inventory.close()
    ids = {int(v) for v in inventory.photo_ids if _PHOTO_ID.match(v)}
    srcs = set(inventory.images) - {""}
    photos, existing = library.find(srcs, ids) if library and (srcs or ids) else ({}, None)
    visible: list[str] = []
    quiet: list[str] = []

    for src in inventory.iframes:
        if video_embed(src) is None:
            host = _host(src)
            visible.append(
                _("an iframe from %(host)s") % {"host": host} if host else _("an iframe")
            )
    for src in inventory.images:
        if src in photos:
            continue
        if src.lower().startswith("data:"):
            visible.append(_("an image pasted as data (not in the photo library)"))
        elif _host(src):
            visible.append(
                _("an image from %(host)s (not in the photo library)") % {"host": _host(src)}
            )
        else:
            visible.append(_("an image (not in the photo library)"))
    for url in inventory.embeds:
        if video_embed(url) is None:
            visible.append(
                _("a video from %(host)s (only YouTube and Vimeo are embedded)")
                % {"host": _host(url) or url}
            )
    elements = []
    for tag in sorted(VISIBLE_ELEMENTS & set(inventory.tags)):
        n = inventory.tags[tag]
        label = _counted("a <%(tag)s> element", "<%(tag)s> elements (%(n)d)", n, tag=tag)
        one = _("a <%(tag)s> element") % {"tag": tag}
        elements.append(Removal(label, True, one, n))
    for raw in inventory.photo_ids:
        if not _PHOTO_ID.match(raw):
            quiet.append(_("a photo with a broken reference"))
        elif existing is not None and int(raw) not in existing:
            quiet.append(_("an unknown photo #%(id)s") % {"id": raw})

    tags = inventory.tags
    if tags["script"]:
        quiet.append(_counted("a script", "scripts (%(n)d)", tags["script"]))
    if tags["style"]:
        quiet.append(_counted("a style sheet", "style sheets (%(n)d)", tags["style"]))
    attributes = inventory.attributes
    if attributes["style"]:
        quiet.append(_counted("a style attribute", "style attributes (%(n)d)", attributes["style"]))
    if attributes["on*"]:
        quiet.append(_counted("an event handler", "event handlers (%(n)d)", attributes["on*"]))
    for name in sorted(set(attributes) - {"style", "on*"}):
        n = attributes[name]
        quiet.append(
            _counted("a “%(name)s” attribute", "“%(name)s” attributes (%(n)d)", n, name=name)
        )
    if inventory.unsafe_links:
        quiet.append(_counted("an unsafe link", "unsafe links (%(n)d)", inventory.unsafe_links))
    unwrapped = set(tags) - set(ALLOWED_TAGS) - VISIBLE_ELEMENTS - {"script", "style"}
    for tag in sorted(unwrapped):
        n = tags[tag]
        quiet.append(
            _counted(
                "a <%(tag)s> tag (its text is kept)",
                "<%(tag)s> tags (%(n)d; their text is kept)",
                n,
                tag=tag,
            )
        )
    if inventory.comments:
        quiet.append(_counted("an HTML comment", "HTML comments (%(n)d)", inventory.comments))
    return [
        *(Removal(label, True, label) for label in visible),
        *elements,
        *(Removal(label, False, label) for label in quiet),
    ]
