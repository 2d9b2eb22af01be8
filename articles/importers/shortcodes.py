"""WordPress shortcodes in post content: captions become figures, embeds stay, the rest go.

A caption around an imported photo becomes the body's photo figure
(``<figure data-image>``, ``articles/body.py``); one around a photo that was not
imported keeps its ``<img>``, which saving removes and the import report names.

WordPress only expands shortcodes a plugin registered, so ``[sic]`` in copy is
text. Without the plugins, a bracketed word is taken as a shortcode when it is
a core one, has attributes (``[gallery ids="1,2"]``) or has a closing tag
(``[note]...[/note]``); anything else is left as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..body import photo_figure

CORE = frozenset({"audio", "caption", "embed", "gallery", "playlist", "video", "wp_caption"})

_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
_CAPTION = re.compile(r"\[(wp_)?caption\b([^\]]*)\](.*?)\[/\1?caption\]", re.DOTALL)
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(.*?)\s*\[/embed\]", re.DOTALL)
_TAG = re.compile(r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:\s[^\[\]]*?)?)(/?)\](\]?)")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE)
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ATTACHMENT_ID = re.compile(r"(\d+)$")


def attributes(text: str) -> dict[str, str]:
    """Return a shortcode's attributes as a dict."""
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(text or "")
    }


@dataclass(frozen=True)
class FigurePhoto:
    """An imported library photo, as a ``[caption]`` figure needs it."""

    pk: int


@dataclass
class ShortcodeResult:
    html: str
    figures: int = 0
    embeds: int = 0
    dropped: Counter = field(default_factory=Counter)
    attachment_ids: list[int] = field(default_factory=list)
    alt_texts: dict[int, str] = field(default_factory=dict)  # photo pk -> the post's <img alt>


def convert(text: str, photo_for: Callable[[int], FigurePhoto | None]) -> ShortcodeResult:
    """Turn captions into figures, keep embeds as URL lines, remove and count other shortcodes.

    ``photo_for(attachment_id)`` returns the imported photo for a caption's
    ``id="attachment_N"``, or None to keep the image's original address.
    """
    result = ShortcodeResult(html="")
    if "[" not in (text or ""):
        result.html = _BARE_URL_LINE.sub(r"\n\n\1\n\n", text or "")
        result.embeds = _count_embed_lines(result.html)
        return result

    def figure(match: re.Match) -> str:
        attrs = attributes(match.group(2))
        inner = match.group(3)
        linked = _LINKED_IMG.search(inner)
        img_match = linked or _IMG.search(inner)
        img = (linked.group(1) if linked else img_match.group(0)) if img_match else ""
        caption = attrs.get("caption", "")
        if img_match:
            caption = caption or (inner[: img_match.start()] + inner[img_match.end() :])
        caption = caption.strip()
        result.figures += 1
        found = _ATTACHMENT_ID.search(attrs.get("id", ""))
        if found:
            attachment_id = int(found.group(1))
            result.attachment_ids.append(attachment_id)
            photo = photo_for(attachment_id)
            if photo is not None:
                alt = _ALT.search(img)
                if alt and (alt.group(1) or alt.group(2) or "").strip():
                    result.alt_texts.setdefault(photo.pk, (alt.group(1) or alt.group(2)).strip())
                return f"\n\n{photo_figure(photo.pk, caption)}\n\n"
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"\n\n<figure>{img}{figcaption}</figure>\n\n"

    def embed(match: re.Match) -> str:
        return f"\n\n{match.group(1).strip()}\n\n"

    text = _CAPTION.sub(figure, text)
    text = _EMBED.sub(embed, text)
    closers = {m.group(3).lower() for m in _TAG.finditer(text) if m.group(2)}

    def drop(match: re.Match) -> str:
        escaped_open, closing, name, attrs, _selfclose, escaped_close = match.groups()
        key = name.lower()
        if escaped_open and escaped_close:  # [[gallery]] is WordPress for a literal [gallery]
            return match.group(0)[1:-1]
        if key in CORE or key in closers or "=" in attrs:
            if not closing:
                result.dropped[key] += 1
            return escaped_open + escaped_close
        return match.group(0)

    result.html = _TAG.sub(drop, text)
    result.html = _BARE_URL_LINE.sub(r"\n\n\1\n\n", result.html)
    result.embeds = _count_embed_lines(result.html)
    return result


def _count_embed_lines(text: str) -> int:
    """Count the lines holding only an address: WordPress (and our renderer) embed those."""
    return len(_BARE_URL_LINE.findall(text))
