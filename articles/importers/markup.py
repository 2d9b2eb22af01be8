"""Repairs to an imported body's markup that a story page needs to be valid and accessible.

The story's headline is the page's ``h1``, so the body's headings start at
``h2``: the levels a post uses are renumbered in order from ``h2`` (a post
using h3 and h5 gets h2 and h3), capped at ``h4``, the smallest the body keeps.
A link without ``href`` (an old ``<a name>`` anchor) is no link: its text is kept
without the ``<a>``, which the sanitiser would otherwise give a ``rel``.
Old WordPress wrote a caption as a definition list (``<dl class="wp-caption">``, the
image in its ``<dt>``, the caption in its ``<dd>``): it becomes the figure it stands
for, and one left with neither image nor caption goes, as a ``<dl>`` without ``<dd>``
is invalid HTML. A table header cell with nothing in it (``<th></th>``, a blank corner
or column) names nothing for a screen reader: it becomes a plain ``<td>``.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"\shref\s*=", re.IGNORECASE)
_CAPTION_LIST = re.compile(
    r"<dl\b[^>]*\bwp-caption\b[^>]*>\s*(?:<dt\b[^>]*>(?P<media>.*?)</dt\s*>)?\s*"
    r"(?:<dd\b[^>]*>(?P<caption>.*?)</dd\s*>)?\s*</dl\s*>",
    re.IGNORECASE | re.DOTALL,
)
_EMPTY_HEADER = re.compile(r"<th\b(?P<attrs>[^>]*)>(?:\s|&nbsp;|&#160;)*</th\s*>", re.IGNORECASE)
FIRST_LEVEL, LAST_LEVEL = 2, 4


def shift_headings(html: str) -> str:
    """Return ``html`` with its heading levels renumbered from h2, in order, at most h4."""
    levels = sorted({int(m.group(2)) for m in _HEADING.finditer(html)})
    new = {level: min(FIRST_LEVEL + rank, LAST_LEVEL) for rank, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{new[int(m.group(2))]}", html)


def unwrap_anchors_without_href(html: str) -> str:
    """Return ``html`` with every ``<a>`` that has no ``href`` replaced by its content."""
    return _ANCHOR.sub(
        lambda m: m.group(0) if _HREF.search(m.group("attrs")) else m.group("text"), html
    )


def caption_lists_to_figures(html: str) -> str:
    """Return ``html`` with old WordPress's ``<dl class="wp-caption">`` captions as figures."""

    def figure(match: re.Match) -> str:
        media = (match.group("media") or "").strip()
        caption = (match.group("caption") or "").strip()
        if not media and not caption:
            return ""
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"\n\n<figure>{media}{figcaption}</figure>\n\n"

    return _CAPTION_LIST.sub(figure, html)


def empty_headers_to_cells(html: str) -> str:
    """Return ``html`` with each empty table header cell (``<th></th>``) as a ``<td>``."""
    return _EMPTY_HEADER.sub(lambda m: f"<td{m.group('attrs')}></td>", html)
