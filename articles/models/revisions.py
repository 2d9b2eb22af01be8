"""Revisions of an article (full snapshots) and short edit leases (“who has it open”)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


class Revision(models.Model):
    """A full snapshot of an article after one save: fields, tags, bylines, links, corrections.

    The snapshot is plain JSON made by ``articles.revisions.snapshot``; see docs/decisions.md
    for why this is a small model of our own rather than django-reversion.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article")
    )
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-created_at"], name="articles_rev_article_idx")]

    def __str__(self) -> str:
        return _("Version %(version)s of “%(headline)s”") % {
            "version": self.version,
            "headline": self.snapshot.get("headline", ""),
        }


class EditLeaseQuerySet(models.QuerySet):
    def active(self, now=None) -> EditLeaseQuerySet:
        """Return the leases not yet run out."""
        return self.filter(expires_at__gt=now or timezone.now())


class EditLease(models.Model):
    """Someone has an article's admin page open; informs others, never blocks them."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="edit_leases", verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    expires_at = models.DateTimeField(_("open until"))

    objects = EditLeaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("edit lease")
        verbose_name_plural = _("edit leases")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="articles_lease_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.article_id}"

    @classmethod
    def renew(cls, article: Article, user, seconds: int) -> None:
        """Start or extend ``user``'s lease on ``article``."""
        cls.objects.update_or_create(
            article=article,
            user=user,
            defaults={"expires_at": timezone.now() + timedelta(seconds=seconds)},
        )
