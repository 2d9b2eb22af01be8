"""Sections and authors: the ways readers browse beyond a single story.

A section, tag or author shows on the public site only while one of its stories
does (``public()``): one kept for an embargoed story must not give it away.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..fields import CleanTextField, LineField
from ..links import slug_path
from .redirects import AuthorRedirect, SectionRedirect, keep_old_slug


class SectionQuerySet(models.QuerySet):
    def public(self, now=None) -> SectionQuerySet:
        """Return the sections with a story readers may see now; the others stay hidden."""
        # By name: the story model holds a foreign key to this one.
        stories = apps.get_model("articles", "Article").objects.published(now)
        stories = stories.filter(section=OuterRef("pk"))
        return self.filter(Exists(stories))


class AuthorQuerySet(models.QuerySet):
    def public(self, now=None) -> AuthorQuerySet:
        """Return the authors with a byline on a story readers may see now."""
        # By name, as above: the byline model holds a foreign key to this one.
        bylines = apps.get_model("articles", "ArticleAuthor").objects.public(now)
        bylines = bylines.filter(author=OuterRef("pk"))
        return self.filter(Exists(bylines))


class Section(models.Model):
    name = LineField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text=_("The section's address on the site, e.g. “world” for /section/world/."),
    )
    description = LineField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence shown under the section's name on its page."),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="articles_section_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Whatever changes the slug (admin, shell), the old address keeps answering.
        with transaction.atomic(using=kwargs.get("using") or self._state.db, savepoint=False):
            keep_old_slug(self, SectionRedirect, "section")
            return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("articles:section", self.slug)


class Author(models.Model):
    name = LineField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=True,
        help_text=_("The author's page address, e.g. “jane-doe” for /author/jane-doe/."),
    )
    bio = CleanTextField(
        _("short bio"),
        max_length=500,
        blank=True,
        help_text=_("Two or three sentences shown on the author's page."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsroom_author",
        help_text=_("The staff account of this author, if they log into the admin."),
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="articles_author_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or self._state.db, savepoint=False):
            keep_old_slug(self, AuthorRedirect, "author")
            return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("articles:author", self.slug)
