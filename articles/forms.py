"""Form fields shared by the admin and by hosts' own forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import (
    PublishableText,
    join_tag_names,
    normalise_name,
    split_tag_input,
    split_tag_names,
    tag_key,
)


class PublishableTextField(forms.CharField):
    """Text that published pages can carry: control characters refused wherever they are.

    Django strips white space from the ends before validators run, and Python counts
    some control characters (U+001C to U+001F, U+0085) as white space: checked after
    the strip, they would be removed without a word. They are checked before it; tabs
    and line breaks at the ends are stripped as usual, inside a single line refused.
    """

    def __init__(self, *args, single_line: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(PublishableText(single_line=single_line))

    def to_python(self, value):
        if isinstance(value, str) and self.strip:
            PublishableText()(value)
        return super().to_python(value)


class TagNamesWidget(forms.TextInput):
    """A text input showing tags as "a, b, c"; suggests existing tags in the admin."""

    class Media:
        js = ["articles/tag-suggest.js"]
        css = {"all": ["articles/tag-suggest.css"]}

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = join_tag_names(getattr(tag, "name", tag) for tag in value)
        return super().format_value(value)


class TagNamesField(PublishableTextField):
    """Tag names separated by commas only: "climate change, floods" is two tags."""

    widget = TagNamesWidget
    default_error_messages = {
        "unbalanced": _("Close the double quotes around a tag name that holds a comma."),
        "tag_too_long": _(
            "A tag name can be at most %(limit)d characters long; shorten “%(name)s”."
        ),
    }

    def __init__(self, *args, max_tag_length: int | None = None, **kwargs):
        kwargs.setdefault("single_line", True)
        super().__init__(*args, **kwargs)
        self.max_tag_length = max_tag_length
        self.normalised: list[tuple[str, str]] = []

    def clean(self, value):
        value = super().clean(value)
        if (value or "").count('"') % 2:
            raise forms.ValidationError(self.error_messages["unbalanced"], code="unbalanced")
        names = split_tag_names(value)
        # What normalising changed (NFKC, invisible characters, spaces), for the editor.
        self.normalised = [
            (typed.strip(), normalise_name(typed))
            for typed in split_tag_input(value)
            if normalise_name(typed) and normalise_name(typed) != typed.strip()
        ]
        too_long = [n for n in names if self.max_tag_length and len(n) > self.max_tag_length]
        if too_long:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        self.error_messages["tag_too_long"],
                        code="tag_too_long",
                        params={"limit": self.max_tag_length, "name": name[:40] + "…"},
                    )
                    for name in too_long
                ]
            )
        return names

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        before = sorted(tag_key(getattr(tag, "name", tag)) for tag in initial or [])
        after = sorted(map(tag_key, split_tag_names(data or "")))
        return before != after
