"""Tell the editor when saving changed what they typed (issue 14: nothing changes unsaid)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from ..forms import PublishableTextField, TagNamesField


def _why(typed: str, saved: str) -> str:
    if " ".join(typed.split()) == saved:
        return _("runs of spaces became one ordinary space")
    return _("look-alike and invisible characters were replaced or removed")


def text_changes(form, obj) -> list[tuple[str, str, str]]:
    """Return ``(label, typed, saved)`` for each text field that saving stored differently.

    The models store a single line with its spaces collapsed, a tag's name in NFKC
    without invisible characters; a value the editor left empty (a photo's caption
    then comes from its file) is not a change.
    """
    changes = []
    for name, field in form.fields.items():
        label = str(field.label or name)
        if isinstance(field, TagNamesField):
            changes += [(label, typed, saved) for typed, saved in field.normalised]
        elif isinstance(field, PublishableTextField):
            typed, saved = form.cleaned_data.get(name), getattr(obj, name, None)
            if typed and isinstance(saved, str) and saved != typed:
                changes.append((label, typed, saved))
    return changes


class SavedTextNoticeMixin:
    """For a ModelAdmin: after saving, say which text was stored differently from typed."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for label, typed, saved in text_changes(form, form.instance):
            self.message_user(
                request,
                _("%(field)s: saved as “%(saved)s” (%(why)s).")
                % {
                    "field": label[:1].upper() + label[1:],
                    "saved": saved,
                    "why": _why(typed, saved),
                },
                messages.WARNING,
            )
