"""The photo library: files with the caption, credit and rights that travel with them."""

from __future__ import annotations

import os

from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from ..conf import app_settings
from ..fields import CleanTextField, LineField
from ..imaging import validate_image_file


def image_upload_to(instance: Image, filename: str) -> str:
    """Store photos under ``<ARTICLES_IMAGE_UPLOAD_TO>/<year>/<month>/``.

    A module-level function, not a lambda, so migrations can reference it.
    """
    name, ext = os.path.splitext(os.path.basename(filename))
    name = get_valid_filename(name)[:80] or "photo"
    stamp = timezone.now()
    return f"{app_settings.IMAGE_UPLOAD_TO}/{stamp:%Y/%m}/{name}{ext.lower()[:5]}"


class Image(models.Model):
    file = models.ImageField(
        _("file"),
        upload_to=image_upload_to,
        width_field="width",
        height_field="height",
        max_length=255,
        validators=[validate_image_file],
        help_text=_("A JPEG, PNG, WebP or GIF photo."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    caption = CleanTextField(
        _("caption"),
        max_length=1000,
        blank=True,
        help_text=_("What the photo shows: who, what, where, when. Shown under the photo."),
    )
    credit = LineField(
        _("credit"),
        max_length=200,
        help_text=_("Agency and photographer as published, e.g. “REUTERS/Jonathan Ernst”."),
    )
    copyright_notice = LineField(
        _("copyright notice"),
        max_length=200,
        blank=True,
        help_text=_("Who holds the rights, e.g. “© 2026 Reuters”."),
    )
    source = LineField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the photo came from, e.g. the agency feed or the staff desk."),
    )
    alt_text = LineField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describes the photo for readers who cannot see it. Required to publish."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        label = self.caption[:60] or os.path.basename(self.file.name or "") or _("photo")
        return f"{label} ({self.credit})" if self.credit else str(label)
