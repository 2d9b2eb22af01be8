"""The article body's allow-list, and the function that applies it.

Editors' HTML is cleaned when it is saved (``body.normalise`` then this), so
templates can render the stored body as it is. Anything not listed here is
removed: scripts, styles, iframes, images (photos are ``<figure data-image>``),
event-handler attributes and ``javascript:`` or ``data:`` URLs never survive.
"""

from __future__ import annotations

import nh3

from .text import clean_text

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4",
        "a", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
        "abbr", "cite", "q", "code", "pre", "hr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    # The newsroom's own objects (Contract A, articles/body.py); never an <img>.
    "figure": {"data-image", "data-embed"},
    "ol": {"start", "reversed"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the news-copy allow-list."""
    if not html:
        return ""
    return nh3.clean(
        clean_text(html),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
