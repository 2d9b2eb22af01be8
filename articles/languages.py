"""The languages stories are written in: the host's ``LANGUAGES``, a default, their stemming."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

from .conf import app_settings

#: PostgreSQL's text-search configurations (13 and later) by ISO 639-1 code. A story in
#: any other language is indexed and searched word for word (``simple``). Migration
#: ``0021`` spells the same table out in SQL for the stored search document.
SEARCH_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
FALLBACK_CONFIG = "simple"


def language_choices() -> list[tuple[str, str]]:
    """Return the languages a story may be written in: ``LANGUAGES``, names translated."""
    return [(code, translation.gettext(name)) for code, name in settings.LANGUAGES]


def supported(code: str) -> str | None:
    """Return the code of ``LANGUAGES`` that serves ``code`` (``en-us`` -> ``en``), or None."""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def default_language() -> str:
    """Return the language of a new story (``ARTICLES_DEFAULT_LANGUAGE``)."""
    code = app_settings.DEFAULT_LANGUAGE
    return supported(code) or code


def search_config(code: str) -> str:
    """Return the PostgreSQL text-search configuration that stems ``code``."""
    return SEARCH_CONFIGS.get(code.lower().split("-")[0], FALLBACK_CONFIG)


def search_configs() -> list[str]:
    """Return the configurations of every language a story may be in, the fallback last."""
    found = dict.fromkeys(search_config(code) for code, _name in settings.LANGUAGES)
    found.pop(FALLBACK_CONFIG, None)
    return [search_config(default_language()), *found, FALLBACK_CONFIG]


def language_name(code: str) -> str:
    """Return the name of language ``code`` in that language (``Deutsch``), for "Read in"."""
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


def is_bidi(code: str) -> bool:
    """Return whether language ``code`` is written right to left."""
    return code.split("-")[0] in settings.LANGUAGES_BIDI


def lang_attributes(code: str) -> str:
    """Return `` lang="…" dir="…"`` for content in language ``code`` unless it is the page's."""
    page = translation.get_language() or ""
    if not code or code.split("-")[0].lower() == page.split("-")[0].lower():
        return ""
    return format_html(' lang="{}" dir="{}"', code, "rtl" if is_bidi(code) else "ltr")
