"""Articles, their ordered bylines, and the QuerySet that decides what is public."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import LineField, SanitizedHTMLField
from ..slugs import unique_slug
from .images import Image
from .tags import TaggedArticle, TagsField
from .taxonomy import Author, Section


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet):
    """Publishing rules live here and nowhere else."""

    @staticmethod
    def published_q(now: datetime | None = None, prefix: str = "") -> Q:
        """Match articles readers may see: published, with a publication time not in the future."""
        now = now or timezone.now()
        return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now})

    @staticmethod
    def drafts_q(prefix: str = "") -> Q:
        """Match articles still being written."""
        return Q(**{f"{prefix}status": Status.DRAFT})

    @staticmethod
    def scheduled_q(now: datetime | None = None, prefix: str = "") -> Q:
        """Match published articles whose publication time is still to come."""
        now = now or timezone.now()
        return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__gt": now})

    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """Return the articles readers may see now, newest first."""
        return self.filter(self.published_q(now)).order_by("-published_at", "-pk")

    def drafts(self) -> ArticleQuerySet:
        """Return the articles still being written."""
        return self.filter(self.drafts_q())

    def scheduled(self, now: datetime | None = None) -> ArticleQuerySet:
        """Return the published articles waiting for their publication time."""
        return self.filter(self.scheduled_q(now))

    def for_cards(self) -> ArticleQuerySet:
        """Load what a story card shows (section, photo) without a query per card."""
        return self.select_related("section", "lead_image")

    def for_detail(self) -> ArticleQuerySet:
        """Load what the article page shows: section, photo, ordered bylines and tags."""
        return self.for_cards().prefetch_related(
            Prefetch(
                "bylines",
                queryset=ArticleAuthor.objects.select_related("author").order_by("position", "pk"),
            ),
            "tags",
        )

    def related_to(self, article: Article, exclude_ids=()) -> ArticleQuerySet:
        """Return stories sharing tags or the section with ``article``, most tags in common first.

        ``article``'s tags should be prefetched; the result is one query.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        shares_tag = Q(tagged_items__tag_id__in=tag_ids)
        return (
            self.filter(shares_tag | Q(section_id=article.section_id))
            .exclude(pk__in=[article.pk, *exclude_ids])
            .annotate(shared_tags=Count("tagged_items", filter=shares_tag, distinct=True))
            .order_by("-shared_tags", "-published_at", "-pk")
        )


class Article(models.Model):
    headline = LineField(
        _("headline"),
        max_length=110,
        help_text=_("At most 110 characters, so search engines show it whole."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("The story's address. Filled from the headline; left empty, one is made."),
    )
    dek = LineField(
        _("dek"),
        max_length=300,
        blank=True,
        help_text=_("The one-sentence summary under the headline, also used in feeds and search."),
    )
    body = SanitizedHTMLField(
        _("body"),
        blank=True,
        help_text=_(
            "The story as HTML. Paragraphs, h2–h4 headings, links, emphasis, lists, quotes "
            "and figures are kept; anything else is removed when the story is saved."
        ),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
    )
    tags = TagsField(
        verbose_name=_("tags"),
        through=TaggedArticle,
        blank=True,
        help_text=_("Separate tags with commas."),
    )
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_for",
        help_text=_("Shown at the top of the story and on its cards, with its caption and credit."),
    )
    sponsored = models.BooleanField(
        _("sponsored"),
        default=False,
        help_text=_("Paid content: labelled “Sponsored” wherever the story appears."),
    )
    sponsor_name = LineField(
        _("sponsor"), max_length=120, blank=True, help_text=_("Required for sponsored content.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "When the story goes public. In the future, it stays hidden until then; "
            "left empty on a published story, it is set to now."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="articles_status_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="articles_section_pub_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="articles_article_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="articles_article_published_has_time",
                violation_error_code="published_without_time",
            ),
            models.CheckConstraint(
                condition=Q(sponsored=False) | ~Q(sponsor_name=""),
                name="articles_article_sponsor_named",
                violation_error_code="sponsor_required",
                violation_error_message=_("Name the sponsor of sponsored content."),
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not self.slug:
            self.slug = unique_slug(
                Article, self.headline, fallback="story", max_length=120, exclude_pk=self.pk
            )
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.sponsored and not self.sponsor_name:
            raise ValidationError(
                {"sponsor_name": _("Name the sponsor of sponsored content.")},
                code="sponsor_required",
            )

    def byline_authors(self) -> list[Author]:
        """Return the authors in byline order (prefetched by ``for_detail``)."""
        return [byline.author for byline in self.bylines.all()]


class ArticleAuthor(models.Model):
    """One author's place in an article's byline."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("article")
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articles_byline_unique"),
        ]

    def __str__(self) -> str:
        return str(self.author)
