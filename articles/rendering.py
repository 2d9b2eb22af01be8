"""The stored body made ready for readers: photos from renditions, video players, links.

The stored body (Contract A, ``body.py``) names library photos by id
(``<figure data-image>``) and videos by URL (``<figure data-embed>``). The story
page turns them into the photo partial (``articles/includes/figure.html``) and
the player (``embeds.render_embed``); the API turns them into plain figures and
links. A photo readers may not see (rights expired, deleted, renditions not
made yet) becomes nothing: its original file is never published. The photos of
all the bodies rendered at once are read in one query (``load_photos``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urljoin

from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .body import URL_PARAGRAPH, photo_ids
from .embeds import render_embed, video_embed
from .models import Image, PlacedPhoto

FIGURE_TEMPLATE = "articles/includes/figure.html"
BODY_PHOTO_SIZES = "(min-width: 46rem) 44rem, 100vw"

_OBJECT = re.compile(
    r'<figure data-(?P<kind>image|embed)="(?P<value>[^"]*)">(?P<inner>.*?)</figure>', re.S
)
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
# Bodies stored before photos became figures may still hold an <img>: never shown.
_IMG = re.compile(r"<img\b[^>]*>", re.I)
# A stored link (sanitised: attributes double-quoted, ``rel`` set on every link).
_LINK = re.compile(r"<a\b(?P<attributes>[^>]*)>")
_HREF = re.compile(r'\bhref="(?P<href>[^"]*)"')
_REL = re.compile(r'\brel="(?P<rel>[^"]*)"')
_OUTBOUND = re.compile(r"(?:https?:)?//", re.I)


def load_photos(bodies: Iterable[str]) -> dict[int, Image]:
    """Return the photos readers may see in ``bodies``, by id (one query, none if no photo)."""
    ids = {pk for body in bodies for pk in photo_ids(body)}
    if not ids:
        return {}
    return Image.objects.usable().exclude(renditions_key="").in_bulk(list(ids))


def _placed(photos: dict[int, Image], value: str, inner: str) -> PlacedPhoto | None:
    image = photos.get(int(value)) if value.isdigit() else None
    if image is None or not image.renditions_ready:
        return None
    caption = _FIGCAPTION.search(inner)
    return PlacedPhoto.place(image, caption=html.unescape(caption.group(1)) if caption else "")


def _render(body: str, photo, embed, photos: dict[int, Image] | None) -> str:
    if photos is None:
        photos = load_photos([body])

    def replace(match: re.Match) -> str:
        if match.group("kind") == "image":
            placed = _placed(photos, match.group("value"), match.group("inner"))
            return photo(placed) if placed is not None else ""
        found = video_embed(html.unescape(match.group("value")))
        return embed(found) if found is not None else ""

    def legacy(match: re.Match) -> str:
        found = video_embed(html.unescape(match.group("url")))
        return embed(found) if found is not None else match.group(0)

    text = _IMG.sub("", body or "")
    text = _OBJECT.sub(replace, text)
    return URL_PARAGRAPH.sub(legacy, text)


def sponsored_links(body: str) -> str:
    """Mark the body's links to other sites as paid (``rel="sponsored"``), for sponsored stories.

    Search engines ask for it on every link a sponsor paid for (Google's "qualify
    your outbound links"); links within the site and ``mailto:`` are left as they are.
    """

    def mark(match: re.Match) -> str:
        attributes = match.group("attributes")
        href = _HREF.search(attributes)
        if href is None or not _OUTBOUND.match(html.unescape(href.group("href"))):
            return match.group(0)
        rel = _REL.search(attributes)
        if rel is None:
            return f'<a{attributes} rel="sponsored">'
        if "sponsored" in rel.group("rel").split():
            return match.group(0)
        marked = f'rel="sponsored {rel.group("rel")}"'
        return f"<a{attributes[: rel.start()]}{marked}{attributes[rel.end() :]}>"

    return _LINK.sub(mark, body or "")


def page_body(
    body: str, photos: dict[int, Image] | None = None, sponsored: bool = False
) -> SafeString:
    """Return the body as the story page shows it: photo partials and players.

    ``sponsored``: the story is paid content, its outbound links marked ``sponsored``.
    """
    template = get_template(FIGURE_TEMPLATE)
    if sponsored:
        body = sponsored_links(body)

    def photo(placed: PlacedPhoto) -> str:
        return template.render({"photo": placed, "sizes": BODY_PHOTO_SIZES})

    # The body was sanitised when saved; only the partials and players are new markup.
    return mark_safe(_render(body, photo, lambda e: str(render_embed(e)), photos))


def watch_link(embed) -> str:
    """Return the plain link that stands for a video where no player may run."""
    return format_html(
        '<p><a href="{}">{} {}</a></p>',
        embed.url,
        _("Watch on %(provider)s:") % {"provider": embed.provider},
        embed.url,
    )


def syndicated_body(
    body: str, base_url: str, photos: dict[int, Image] | None = None, sponsored: bool = False
) -> str:
    """Return the body for other sites (API): photos as plain figures, videos as links.

    Photo addresses are renditions, made absolute against ``base_url``; ``sponsored``
    as for ``page_body``.
    """
    if sponsored:
        body = sponsored_links(body)

    def photo(placed: PlacedPhoto) -> str:
        sources = placed.sources()
        caption = f"{escape(placed.caption)} " if placed.caption else ""
        credit = _("Photo: %(credit)s") % {"credit": placed.credit}
        return format_html(
            '<figure><img src="{}" width="{}" height="{}" alt="{}">'
            "<figcaption>{}<small>{}</small></figcaption></figure>",
            urljoin(base_url, sources.src),
            sources.width,
            sources.height,
            placed.alt_text,
            mark_safe(caption),
            credit,
        )

    return _render(body, photo, watch_link, photos)
