"""WordPress's automatic paragraphs, for post content written in the classic editor.

WordPress stores classic-editor posts with blank lines between paragraphs and
adds the ``<p>`` and ``<br>`` tags only when it renders them (``wpautop()``).
This is the part of that function an import needs: text separated by blank
lines becomes paragraphs, single line breaks inside a paragraph become
``<br>``, block elements are never wrapped, and ``<pre>`` is left alone.
Block-editor content (``<!-- wp:... -->`` markers) already carries its tags
and is returned unchanged, as WordPress does.
"""

from __future__ import annotations

import re

_BLOCKS = (
    "address|area|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|"
    "fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|legend|li|map|math|"
    "menu|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})(?=[\s/>])[^>]*>)", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
# Containers whose own text becomes paragraphs: "<blockquote>A\n\nB</blockquote>".
_CONTAINERS = "address|article|aside|blockquote|details|div|fieldset|footer|form|header|nav|section"
_CONTAINER_OPEN = re.compile(rf"(<(?:{_CONTAINERS})(?=[\s>])[^>]*>)", re.IGNORECASE)
_CONTAINER_CLOSE = re.compile(rf"(</(?:{_CONTAINERS})>)", re.IGNORECASE)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCKS})(?=[\s/>])", re.IGNORECASE)
_ONLY_TAG = re.compile(rf"^</?(?:{_BLOCKS})(?=[\s/>])[^>]*>$", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def has_blocks(text: str) -> bool:
    """Return whether ``text`` was written in the block editor."""
    return "<!-- wp:" in text


def wpautop(text: str) -> str:
    """Return ``text`` with paragraphs and line breaks marked up as WordPress renders them."""
    if not text or not text.strip() or has_blocks(text):
        return text or ""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n<wp-pre-{len(kept) - 1}>\n\n"

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PRE.sub(keep, text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _CONTAINER_OPEN.sub(r"\1\n\n", text)
    text = _CONTAINER_CLOSE.sub(r"\n\n\1", text)
    out = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("<wp-pre-"):
            out.append(kept[int(chunk[8:-1])])
        elif _ONLY_TAG.match(chunk) or _BLOCK_TAG.search(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)
