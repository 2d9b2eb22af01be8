"""A story's publishing fields, copied onto the rows that link it to a tag or an author.

Why the copies: a tag or author page lists public stories newest first. With the
publishing fields only on the article, PostgreSQL reads such a page by walking
every public story newest first and probing the join table for each one, about
30,000 index entries for a tag with a few hundred stories at a million stories.
With ``status``, ``published_at`` and ``expire_at`` on the join row, an index on
``(tag, status, published_at DESC, article DESC, expire_at)`` hands out a page's
rows directly, and the article is read only for those rows (docs/decisions.md).

The publishing rules themselves stay those of ``ArticleQuerySet.published_q()``, applied
to the join row; a tag's or author's page applies them to the story as well
(``published().tagged_with(tag)``). What this module owns is keeping the copies
equal to the article:

* a new join row copies them when saved or bulk created (``PublishingCopy``);
* ``Article.save()`` writes them onto the story's join rows, in its transaction;
* ``sync_join_rows()`` sets them again from the articles, for code that writes
  join rows or publishing fields in bulk without the models (raw SQL, ``update()``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .publishing import published_q

COPIED_FIELDS = ("status", "published_at", "expire_at")


def publishing_state(article) -> tuple | None:
    """Return the article's publishing fields as last saved or loaded, None if not known.

    ``Article`` keeps this (``stored_publishing``); an article changed in memory
    since, or never saved, has no state we can trust without asking the database.
    """
    stored = getattr(article, "stored_publishing", None)
    if stored is None or article.get_deferred_fields() & set(COPIED_FIELDS):
        return None
    current = tuple(getattr(article, name) for name in COPIED_FIELDS)
    return current if current == stored else None


class PublishingCopyQuerySet(models.QuerySet):
    """Join rows whose new members copy their article's publishing fields."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_copies(self.model, objs, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def public(self, now=None) -> PublishingCopyQuerySet:
        """Return the rows whose story readers may see now (the articles' rule, on the copies)."""
        return self.filter(published_q(now))


class PublishingCopy(models.Model):
    """The publishing fields of the linked article; never edited by hand.

    A subclass names its foreign key to the article in ``article_field``.
    """

    article_field = ""

    status = models.CharField(_("story status"), max_length=20, default="draft", editable=False)
    published_at = models.DateTimeField(
        _("story publication time"), null=True, blank=True, editable=False
    )
    expire_at = models.DateTimeField(_("story expiry time"), null=True, blank=True, editable=False)

    objects = PublishingCopyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.article_field in update_fields:
            fill_copies(type(self), [self], using=kwargs.get("using") or self._state.db)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *COPIED_FIELDS}
        return super().save(*args, **kwargs)


def fill_copies(model, rows: list, using: str | None = None) -> None:
    """Set each row's copies from its article: in memory if unchanged since saved, else stored."""
    field = model._meta.get_field(model.article_field)
    missing: dict[int, list] = {}
    for row in rows:
        article = field.get_cached_value(row, None)
        state = publishing_state(article) if article is not None else None
        if state is not None and article.pk == getattr(row, field.attname):
            _set(row, state)
        else:
            missing.setdefault(getattr(row, field.attname), []).append(row)
    if not missing:
        return
    Article = field.related_model
    found = Article._base_manager.using(using).filter(pk__in=list(missing))
    for pk, *state in found.values_list("pk", *COPIED_FIELDS):
        for row in missing[pk]:
            _set(row, state)


def _set(row, state) -> None:
    for name, value in zip(COPIED_FIELDS, state, strict=True):
        setattr(row, name, value)


def join_models() -> tuple:
    """Return the join models carrying copies: ``TaggedArticle``, ``ArticleAuthor``."""
    return tuple(apps.get_model("articles", name) for name in ("TaggedArticle", "ArticleAuthor"))


def copy_publishing(article, using: str | None = None) -> None:
    """Write ``article``'s in-memory publishing fields onto its join rows: one UPDATE per table.

    Only rows that differ are written, so an edit that leaves the fields alone
    rewrites nothing.
    """
    values = {name: getattr(article, name) for name in COPIED_FIELDS}
    for model in join_models():
        rows = model._base_manager.using(using).filter(**{model.article_field: article.pk})
        rows.exclude(**values).update(**values)


def sync_join_rows(article_ids: Iterable[int] | None = None, using: str | None = None) -> None:
    """Set the copies of the given articles' join rows (all rows: None) from the articles.

    For writes that bypass the models: raw SQL, ``QuerySet.update()`` of an
    article's publishing fields, restored database dumps. One UPDATE per table.
    """
    Article = apps.get_model("articles", "Article")
    for model in join_models():
        column = model._meta.get_field(model.article_field).attname
        rows = model._base_manager.using(using)
        if article_ids is not None:
            rows = rows.filter(**{f"{column}__in": list(article_ids)})
        source = Article._base_manager.using(using).filter(pk=OuterRef(column))
        rows.update(**{name: Subquery(source.values(name)[:1]) for name in COPIED_FIELDS})
