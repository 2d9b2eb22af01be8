"""Plain-text hygiene shared by models, forms and importers."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 control characters except tab, newline and carriage return, and the two
# noncharacters of the Basic Multilingual Plane: XML 1.0 (feeds, sitemaps) refuses
# them (or, for C1, readers' parsers do) and they are never what an editor meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# What a single line cannot hold either: tabs, line and paragraph breaks.
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")
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


def _describe(char: str) -> str:
    if char == "\t":
        return _("a tab")
    if char in "\n\r\x0b\x0c\x85\u2028\u2029":
        return _("a line break")
    return _("the invisible character U+%04X") % ord(char)


def forbidden_characters(value: str, *, single_line: bool = False) -> list[str]:
    """Describe the characters of ``value`` that published text cannot hold, with places.

    Control characters, lone surrogates and U+FFFE/U+FFFF break every feed and
    sitemap; a single line cannot hold tabs or line breaks either.
    """
    found = []
    for index, char in enumerate(value or ""):
        if _CONTROL.match(char) or _SURROGATE.match(char) or (single_line and _BREAKS.match(char)):
            found.append(
                _("%(what)s at character %(n)d") % {"what": _describe(char), "n": index + 1}
            )
    return found


class PublishableText:
    """A form validator refusing text with characters readers' feeds cannot carry.

    Forms refuse, so the editor sees what to fix; programmatic writes (importers,
    commands) are cleaned by the model fields instead (``clean_text``/``clean_line``).
    """

    def __init__(self, single_line: bool = False):
        self.single_line = single_line

    def __call__(self, value) -> None:
        found = forbidden_characters(value, single_line=self.single_line) if value else []
        if found:
            shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
            raise ValidationError(
                _(
                    "Remove what this text cannot hold when published (feeds and search "
                    "engines refuse it): %(found)s."
                )
                % {"found": shown},
                code="unpublishable_character",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PublishableText) and other.single_line == self.single_line


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


def tag_key(name: str) -> str:
    """Return the key two tag names share when they are the same tag (case-insensitive)."""
    return normalise_name(name).casefold()


_PUNCTUATION_CATEGORIES = ("P", "S", "Z", "C")


def fold_name(name: str) -> str:
    """Return ``name`` without case, diacritics, punctuation, hyphens or spaces.

    "Kim Jong-un", "kim  jong un" and "Kím Jong Un" all fold to "kimjongun"; the
    near-duplicate screen groups tags on this.
    """
    decomposed = unicodedata.normalize("NFKD", normalise_name(name).casefold())
    return "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char)
        and not unicodedata.category(char).startswith(_PUNCTUATION_CATEGORIES)
    )


def split_tag_input(value: str) -> list[str]:
    """Split an editor's tag input on the commas outside double quotes, as typed."""
    names, current, quoted = [], [], False
    for char in value or "":
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return names


def split_tag_names(value: str) -> list[str]:
    """Split an editor's tag input on commas only, so "climate change" stays one tag.

    A name holding a comma can be typed in double quotes: ``"Washington, D.C.", floods``.
    Names are normalised; empty ones and repeats (ignoring case) are dropped, order is kept.
    """
    result, seen = [], set()
    for name in map(normalise_name, split_tag_input(value)):
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            result.append(name)
    return result


def join_tag_names(names) -> str:
    """Write tag names back for the tag input, quoting any that hold a comma."""
    return ", ".join(f'"{name}"' if "," in name else name for name in names)
