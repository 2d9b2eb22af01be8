"""Corrections, clarifications and updates appended to a published story."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import CalendarDateTimeField, CleanTextField
from .articles import Article


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    CLARIFICATION = "clarification", _("Clarification")
    UPDATE = "update", _("Update")


class Correction(models.Model):
    """A dated note at the end of a story; the newest one sets the story's “Updated” time."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    text = CleanTextField(
        _("text"),
        max_length=2000,
        help_text=_("What was wrong and what is right now, in a sentence or two."),
    )
    created_at = CalendarDateTimeField(
        _("date"), default=timezone.now, help_text=_("When the note was added.")
    )

    class Meta:
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
