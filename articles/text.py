"""Plain-text hygiene shared by models, forms and importers."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters except tab, newline and carriage return: XML
# (feeds, sitemaps) refuses them and they are never what an editor meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone UTF-16 surrogates cannot be encoded as UTF-8, so databases refuse them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """Drop control characters and replace lone surrogates with U+FFFD."""
    if not value:
        return value
    value = _CONTROL.sub("", value)
    return _SURROGATE.sub("\ufffd", value)


def clean_line(value: str) -> str:
    """Clean a single-line value and collapse its runs of whitespace."""
    value = clean_text(value)
    if not value:
        return value
    return _SPACES.sub(" ", value).strip()


def normalise_name(value: str) -> str:
    """Return a name in NFKC with zero-width characters removed and spaces collapsed."""
    value = unicodedata.normalize("NFKC", clean_text(value or ""))
    return clean_line(_ZERO_WIDTH.sub("", value))
