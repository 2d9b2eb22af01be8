"""Slugs that always work in a URL, whatever the text they come from."""

from __future__ import annotations

import hashlib

from django.utils.text import slugify

from .text import normalise_name


def slug_for(text: str, fallback: str, max_length: int = 100) -> str:
    """Return a Unicode slug for ``text``, or ``fallback`` plus a short hash when none comes out.

    A headline made only of emoji or punctuation slugifies to nothing; the hash
    keeps such slugs distinct and stable for the same text.
    """
    text = normalise_name(text)
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    if slug:
        return slug
    digest = hashlib.blake2s(text.encode("utf-8", "replace"), digest_size=4).hexdigest()
    return f"{fallback}-{digest}"


def unique_slug(model, text: str, fallback: str, max_length: int = 100, exclude_pk=None) -> str:
    """Return ``slug_for(text)``, suffixed with -2, -3, ... until no ``model`` row has it."""
    base = slug_for(text, fallback, max_length)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug
