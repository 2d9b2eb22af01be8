"""The article body on the editors' screens: nothing removed without telling the editor.

What saving would remove is named by ``body.removals``. Content an editor can
see (an outside image, another site's iframe, a video element) makes the form
refuse, the editor's text kept in it; code and formatting (scripts, style
attributes, event handlers) are removed and the saved page says so.
"""

from __future__ import annotations

import html
import re

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..body import Removal, removals
from ..models.images import body_photo_library
from ..text import PublishableText, forbidden_characters

# A numeric character reference: "&#xFFFE;", "&#31;".
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _listed(found: list[Removal]) -> str:
    return get_text_list([str(item) for item in found], _("and"))


class BodyFormMixin:
    """For the article form: refuse a body that would lose visible content."""

    body_removals: list[Removal] = []

    def clean_body(self):
        value = self.cleaned_data.get("body", "")
        # Saving drops these characters, typed or written as references: say so instead.
        PublishableText()(value)
        unpublishable = [
            reference.group(0)
            for reference in _REFERENCE.finditer(value)
            if _unpublishable_reference(reference)
        ]
        if unpublishable:
            raise ValidationError(
                _(
                    "Remove the character references that published text cannot hold "
                    "(feeds and search engines refuse them): %(found)s."
                )
                % {"found": ", ".join(dict.fromkeys(unpublishable))},
                code="unpublishable_reference",
            )
        found = removals(value, body_photo_library)
        lost = [item for item in found if item.visible]
        if lost:
            raise ValidationError(
                _(
                    "Saving would lose %(what)s. Remove it from the body, or put photos in "
                    "through the photo library and videos as YouTube or Vimeo links, then "
                    "save again."
                )
                % {"what": _listed(lost)},
                code="body_content_lost",
            )
        self.body_removals = [item for item in found if not item.visible]
        return value


def _unpublishable_reference(reference: re.Match) -> bool:
    # Read as the stored body's parser reads it (HTML's rules): references to NUL or a
    # surrogate mean U+FFFD and most C1 ones Windows-1252 characters, all kept; those
    # to controls and noncharacters mean nothing (or a control that storing drops).
    character = html.unescape(reference.group(0))
    return not character or bool(forbidden_characters(character))


class BodyAdminMixin:
    """For the article admin: the body's length, and a warning naming what saving removed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        removed = getattr(form, "body_removals", [])
        if removed:
            self.message_user(
                request,
                _("Removed from the body when it was saved: %(what)s.")
                % {"what": _listed(removed)},
                messages.WARNING,
            )

    @admin.display(description=gettext_lazy("length"))
    def body_length(self, obj) -> str:
        if obj is None or not obj.pk:
            return "—"
        words = obj.word_count
        return ngettext(
            "%(words)d word · %(minutes)d min read",
            "%(words)d words · %(minutes)d min read",
            words,
        ) % {"words": words, "minutes": obj.reading_time}

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "body_length"]

    def get_fieldsets(self, request, obj=None):
        # Right under the body, wherever the layout puts it.
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = list(options.get("fields", []))
            if "body" in fields and "body_length" not in fields:
                fields.insert(fields.index("body") + 1, "body_length")
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets
