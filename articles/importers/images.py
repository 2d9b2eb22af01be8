"""A post's inline ``<img>``: the library photo of its attachment, else a visible placeholder.

An image is matched to an attachment of the export by WordPress's
``wp-image-ID`` class, else by its address (any size WordPress made of the
file: ``photo-300x200.jpg`` is ``photo.jpg``). A matched attachment whose photo
was imported becomes the body's photo figure (``<figure data-image>``,
``articles/body.py``). One whose file was not found, or any other image from
the old site's uploads, becomes a figure saying the photo is missing: readers
see a gap an editor can fill, never a hot-link to the old host. Images from
other hosts are left to the body's sanitiser, which removes and counts them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from posixpath import basename
from urllib.parse import unquote, urlsplit

from ..body import photo_figure

_IMG = r"<img\b[^>]*>"
_CAPTIONED = re.compile(
    rf"<figure>\s*(?:<a\b[^>]*>\s*)?(?P<img>{_IMG})\s*(?:</a>\s*)?"
    r"(?:<figcaption>(?P<caption>.*?)</figcaption>\s*)?</figure>",
    re.IGNORECASE | re.DOTALL,
)
_LINKED = re.compile(rf"<a\b[^>]*>\s*(?P<img>{_IMG})\s*</a>", re.IGNORECASE)
_BARE = re.compile(rf"(?P<img>{_IMG})", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_WP_IMAGE = re.compile(r"\bwp-image-(\d+)\b")
_SIZE = re.compile(r"-\d+x\d+(?=\.\w+$)")
_UPLOADS = "/wp-content/uploads/"


def url_key(url: str) -> str:
    """Return an image address without scheme, query or WordPress's size suffix."""
    parts = urlsplit(html.unescape((url or "").strip()))
    return parts.netloc.lower() + _SIZE.sub("", unquote(parts.path))


def _attribute(pattern: re.Pattern, tag: str) -> str:
    found = pattern.search(tag)
    return html.unescape(next((g for g in found.groups() if g is not None), "")) if found else ""


@dataclass
class Attachments:
    """The export's attachments: WordPress id and address -> imported photo pk (None: no file)."""

    site: str = ""  # the old site's address without scheme (wxr.site_key)
    by_id: dict[int, int | None] = field(default_factory=dict)
    by_url: dict[str, int | None] = field(default_factory=dict)

    def add(self, wp_id: int | None, url: str, photo_pk: int | None) -> None:
        if wp_id is not None:
            self.by_id[wp_id] = photo_pk
        if url:
            self.by_url[url_key(url)] = photo_pk

    def find(self, img: str) -> tuple[bool, int | None]:
        """Return whether ``img`` shows an attachment or the old site's upload, and its photo."""
        wp_image = _WP_IMAGE.search(img)
        if wp_image and int(wp_image.group(1)) in self.by_id:
            return True, self.by_id[int(wp_image.group(1))]
        src = _attribute(_SRC, img)
        key = url_key(src)
        if key in self.by_url:
            return True, self.by_url[key]
        old_site = bool(self.site) and key.startswith(self.site.split("/")[0] + "/")
        return old_site or _UPLOADS in key, None


@dataclass
class Placed:
    html: str
    photos: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # the missing images' addresses
    alt_texts: dict[int, str] = field(default_factory=dict)  # photo pk -> the post's <img alt>


def placeholder(src: str, caption: str = "") -> str:
    """Return the figure that stands where a photo could not be imported."""
    name = basename(urlsplit(src).path) or src
    # English, like all the text the import stores: the body is part of the post's
    # digest, so a translated placeholder would update every such story on a rerun.
    text = f"Photo missing from the import: {name}" + (f". {caption}" if caption else "")
    return f"<figure><figcaption>{html.escape(text, quote=False)}</figcaption></figure>"


def place(text: str, attachments: Attachments) -> Placed:
    """Replace the inline images of ``text`` by photo figures or placeholders."""
    result = Placed(html="")

    def figure(match: re.Match) -> str:
        img = match.group("img")
        caption = match.groupdict().get("caption") or ""
        known, pk = attachments.find(img)
        if pk is not None:
            result.photos.append(pk)
            alt = _attribute(_ALT, img).strip()
            if alt:
                result.alt_texts.setdefault(pk, alt)
            return f"\n\n{photo_figure(pk, caption)}\n\n"
        if not known:
            return match.group(0)
        src = _attribute(_SRC, img)
        result.missing.append(src)
        plain = re.sub(r"<[^>]+>", "", caption).strip()
        return f"\n\n{placeholder(src, html.unescape(plain))}\n\n"

    for pattern in (_CAPTIONED, _LINKED, _BARE):
        text = pattern.sub(figure, text)
    result.html = text
    return result
