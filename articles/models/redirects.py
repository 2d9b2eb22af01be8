"""Old addresses of stories whose slug changed after they had been public."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleRedirectQuerySet(models.QuerySet):
    def target_of(self, slug: str):
        """Return the public story that used to live at ``slug``, or None.

        The story, not a slug, is stored: ``A → B → C`` answers ``A`` with ``C`` at once.
        A story that is not public now is never named (its new slug would leak).
        """
        # Imported here: articles.py imports this module to record old slugs.
        from .articles import ArticleQuerySet

        found = (
            self.filter(ArticleQuerySet.published_q(prefix="article__"), old_slug=slug)
            .select_related("article")
            .first()
        )
        return found.article if found else None


class ArticleRedirect(models.Model):
    """A story's former slug, answered with a 301 to wherever the story lives now."""

    old_slug = models.SlugField(_("old slug"), max_length=120, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="old_addresses",
        verbose_name=_("article"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("old story address")
        verbose_name_plural = _("old story addresses")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article.slug}"
