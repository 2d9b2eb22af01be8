"""The newsroom's own tag vocabulary, on django-taggit's abstract bases.

A tag's identity is its ``key``: the normalised name, case-folded. The key is
unique in the database, so "Putin", "putin", full-width "Putin" and "Pu\\u200btin" can
only ever be one row, whichever path (admin, importer, API) creates them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from ..forms import TagNamesField
from ..links import slug_path
from ..slugs import unique_slug
from ..text import normalise_name, tag_key
from .copies import PublishingCopy, PublishingCopyQuerySet
from .publishing import published_q


class TagQuerySet(models.QuerySet):
    def with_counts(self, now=None) -> TagQuerySet:
        """Annotate ``article_count`` (all stories) and ``published_count`` (public ones)."""
        public = published_q(now, prefix="tagged_articles__content_object__")
        return self.annotate(
            article_count=Count("tagged_articles"),
            published_count=Count("tagged_articles", filter=public),
        )

    def public(self, now=None) -> TagQuerySet:
        """Return the tags on a story readers may see now; the others stay hidden."""
        tagged = TaggedArticle.objects.public(now).filter(tag=OuterRef("pk"))
        return self.filter(Exists(tagged))

    def unused(self) -> TagQuerySet:
        """Return the tags no story carries."""
        return self.filter(tagged_articles__isnull=True)

    def for_names(self, names) -> list[Tag]:
        """Return one tag per distinct name, in order, creating the missing ones."""
        wanted: dict[str, str] = {}
        for name in map(normalise_name, names):
            if name:
                wanted.setdefault(tag_key(name), name)
        found = {tag.key: tag for tag in self.filter(key__in=wanted)}
        return [found.get(key) or get_or_create_tag(name) for key, name in wanted.items()]

    def merge_into(self, kept: Tag, *, user=None) -> TagMerge:
        """Move every story of these tags onto ``kept``, delete them, and record the merge.

        Runs in one transaction: each story ends up tagged with ``kept`` exactly
        once, and the merged tags' addresses redirect to ``kept``'s page.
        """
        with transaction.atomic(using=self.db):
            others = list(self.exclude(pk=kept.pk).select_for_update())
            other_ids = [tag.pk for tag in others]
            links = TaggedArticle.objects.filter(tag_id__in=other_ids)
            moved = set(links.values_list("content_object_id", flat=True))
            already = set(
                TaggedArticle.objects.filter(tag=kept, content_object_id__in=moved).values_list(
                    "content_object_id", flat=True
                )
            )
            TaggedArticle.objects.bulk_create(
                [TaggedArticle(tag=kept, content_object_id=pk) for pk in sorted(moved - already)],
                batch_size=500,
            )
            TagRedirect.objects.filter(tag_id__in=other_ids).update(tag=kept)
            # A tag may have taken a slug that once redirected elsewhere; the tag wins.
            TagRedirect.objects.filter(old_slug__in=[tag.slug for tag in others]).delete()
            TagRedirect.objects.bulk_create(
                [TagRedirect(old_slug=tag.slug, tag=kept) for tag in others], batch_size=500
            )
            links.delete()
            Tag.objects.filter(pk__in=other_ids).delete()
            return TagMerge.objects.create(
                kept=kept,
                kept_name=kept.name,
                merged_names=[tag.name for tag in others],
                article_count=len(moved | already),
                merged_by=user,
            )


class Tag(TagBase):
    """A tag readers can follow; owned by this app so it can carry editorial fields."""

    key = models.CharField(
        _("key"),
        max_length=300,
        unique=True,
        editable=False,
        help_text=_("The name in lower case; two tags may not share it."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown at the top of the tag's page."),
    )

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=""), name="articles_tag_key_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="articles_tag_slug_not_empty"),
        ]

    def clean(self) -> None:
        self.name = normalise_name(self.name)
        if not self.name:
            raise ValidationError(
                {"name": ValidationError(_("Give the tag a name."), code="required")}
            )
        clash = Tag.objects.filter(key=tag_key(self.name)).exclude(pk=self.pk).first()
        if clash:
            message = _("The tag “%(name)s” already exists.") % {"name": clash.name}
            raise ValidationError({"name": ValidationError(message, code="duplicate_tag")})

    def save(self, *args, **kwargs):
        self.name = normalise_name(self.name)
        self.key = tag_key(self.name)
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, "tag", max_length=100, exclude_pk=self.pk)
        return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("articles:tag", self.slug)

    def rename(self, name: str) -> None:
        """Rename the tag; its slug follows the name and the old address redirects here."""
        with transaction.atomic():
            old_slug = self.slug
            self.name = normalise_name(name)
            self.full_clean(exclude=["slug", "key"])
            self.slug = unique_slug(Tag, self.name, "tag", max_length=100, exclude_pk=self.pk)
            self.save()
            TagRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": self})


def get_or_create_tag(name: str) -> Tag:
    """Return the tag called ``name`` (ignoring case and invisible differences), creating it.

    Importers and other code that makes tags outside a form should call this.
    Safe under concurrent calls: the database's unique key decides the race.
    """
    name = normalise_name(name)
    if not name:
        raise ValueError("A tag needs a name.")
    key = tag_key(name)
    tag = Tag.objects.filter(key=key).first()
    if tag is not None:
        return tag
    try:
        with transaction.atomic():
            tag = Tag(name=name)
            tag.save()
            return tag
    except IntegrityError:
        return Tag.objects.get(key=key)


class TaggedArticle(PublishingCopy, TaggedItemBase):
    """The concrete link between an article and a tag, with the story's publishing fields.

    The copies let a tag's page read its stories from this table's index
    (``models/copies.py``).
    """

    article_field = "content_object"

    objects = NaturalKeyManager.from_queryset(PublishingCopyQuerySet)()

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
        # A tag's page, feeds and sitemap entry: public stories, newest first.
        indexes = [
            models.Index(
                fields=["tag", "status", "-published_at", "-content_object", "expire_at"],
                name="articles_tagged_order_idx",
            ),
        ]


class TagRedirect(models.Model):
    """An old tag address (after a rename or a merge) that answers 301 to a tag's page."""

    old_slug = models.SlugField(_("old slug"), max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("tag")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag redirect")
        verbose_name_plural = _("tag redirects")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.tag.slug}"


class TagMerge(models.Model):
    """The record of one merge: who merged which tags into which, touching how many stories."""

    kept = models.ForeignKey(
        Tag,
        verbose_name=_("kept tag"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="merges",
    )
    kept_name = models.CharField(_("kept tag's name"), max_length=100)
    merged_names = models.JSONField(_("merged tags"), default=list)
    article_count = models.PositiveIntegerField(_("stories"), default=0)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag merge")
        verbose_name_plural = _("tag merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{', '.join(self.merged_names)} → {self.kept_name}"


class ArticleTagManager(_TaggableManager):
    """Turn tag names into tags through ``get_or_create_tag``'s normalisation."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = [tag for tag in tags if isinstance(tag, str)]
        by_key = {tag.key: tag for tag in Tag.objects.for_names(names)}
        result, seen = [], set()
        for item in tags:
            tag = by_key.get(tag_key(item)) if isinstance(item, str) else item
            if tag is not None and tag.pk not in seen:
                seen.add(tag.pk)
                result.append(tag)
        return result


class TagsField(TaggableManager):
    """Article tags: names are normalised and only commas separate them in forms.

    Works without any ``TAGGIT_*`` setting in the host project.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("manager", ArticleTagManager)
        super().__init__(*args, **kwargs)

    def formfield(self, form_class=TagNamesField, **kwargs):
        kwargs.setdefault("max_tag_length", Tag._meta.get_field("name").max_length)
        return super().formfield(form_class=form_class, **kwargs)

    def deconstruct(self):
        # Migrations need nothing of this subclass: record the plain taggit field.
        name, _path, args, kwargs = super().deconstruct()
        return name, "taggit.managers.TaggableManager", args, kwargs
