"""The newsroom's own tag vocabulary, on django-taggit's abstract bases."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from ..slugs import slug_for
from ..text import normalise_name


class Tag(TagBase):
    """A tag readers can follow; owned by this app so it can carry editorial fields."""

    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown at the top of the tag's page."),
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.name = normalise_name(self.name)
        return super().save(*args, **kwargs)

    def slugify(self, tag: str, i: int | None = None) -> str:
        """Return a working slug even for names with no letters (emoji-only tags)."""
        slug = slug_for(tag, fallback="tag", max_length=90)
        return f"{slug}-{i + 1}" if i is not None else slug

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """The concrete link between an article and a tag, with real foreign keys."""

    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles", verbose_name=_("tag")
    )
    content_object = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name=_("article"),
    )

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="articles_taggedarticle_unique"
            ),
        ]
