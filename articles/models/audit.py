"""The audit log: who moved which story through the workflow, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import LineField


class AuditAction(models.TextChoices):
    SUBMIT = "submit", _("submitted for review")
    PUBLISH = "publish", _("published")
    SCHEDULE = "schedule", _("scheduled")
    RETRACT = "retract", _("retracted")
    RETURN = "return", _("returned to draft")
    RESTORE = "restore", _("restored a revision")


class AuditEvent(models.Model):
    """One workflow step. Rows outlive their article, so the headline is copied."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    headline = LineField(_("headline"), max_length=110)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    detail = models.TextField(
        _("detail"), blank=True, help_text=_("The reason, scheduled time or revision restored.")
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["article", "-at"], name="articles_audit_article_idx")]

    def __str__(self) -> str:
        return f"{self.user or '?'} {self.get_action_display()} “{self.headline}”"

    @classmethod
    def log(cls, article, action: str, *, by=None, detail: str = "") -> AuditEvent:
        """Add one row to the audit log: ``by`` (a user, or None) did ``action`` to ``article``."""
        return cls.objects.create(
            article=article,
            headline=article.headline,
            action=action,
            user=by if by is not None and by.is_authenticated else None,
            detail=detail,
        )
