"""Old addresses that answer 301: of stories readers have seen, of sections and authors."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .publishing import published_q


class ArticleRedirectQuerySet(models.QuerySet):
    def target_of(self, slug: str):
        """Return the public story that used to live at ``slug``, or None.

        The story, not a slug, is stored: ``A → B → C`` answers ``A`` with ``C`` at once.
        A story that is not public now is never named (its new slug would leak).
        """
        found = (
            self.filter(published_q(prefix="article__"), old_slug=slug)
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


def keep_old_slug(subject, redirects, field: str) -> None:
    """Before ``subject`` is saved with a new slug, keep its old one in ``redirects``.

    For sections and authors (``field`` names the redirect's foreign key). Their pages
    answer a redirect only while the subject has a public story (``public()``).
    """
    if subject.pk is None:
        return
    model = type(subject)
    old = model.objects.filter(pk=subject.pk).exclude(slug=subject.slug)
    old = old.values_list("slug", flat=True).first()
    if old is None:
        return
    redirects.objects.update_or_create(old_slug=old, defaults={field: subject})
    redirects.objects.filter(old_slug=subject.slug).delete()


class SectionRedirect(models.Model):
    """A section's former slug, answered with a 301 to its page."""

    old_slug = models.SlugField(_("old slug"), max_length=80, unique=True, allow_unicode=True)
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.CASCADE,
        related_name="redirects",
        verbose_name=_("section"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old section address")
        verbose_name_plural = _("old section addresses")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.section.slug}"


class AuthorRedirect(models.Model):
    """An author's former slug, answered with a 301 to their page."""

    old_slug = models.SlugField(_("old slug"), max_length=120, unique=True, allow_unicode=True)
    author = models.ForeignKey(
        "articles.Author",
        on_delete=models.CASCADE,
        related_name="redirects",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old author address")
        verbose_name_plural = _("old author addresses")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.author.slug}"
