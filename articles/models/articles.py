"""Articles, their ordered bylines, and the QuerySet that decides what is public."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..body import photo_ids
from ..conf import app_settings
from ..fields import CalendarDateTimeField, CleanTextField, LineField, SanitizedHTMLField
from ..languages import default_language, language_choices
from ..links import slug_path
from ..slugs import unique_slug
from .copies import COPIED_FIELDS, PublishingCopy, copy_publishing, sync_join_rows
from .images import Image, PlacedPhoto, body_photo_library
from .publishing import Status, published_q, transition
from .redirects import ArticleRedirect
from .tags import Tag, TaggedArticle, TagsField
from .taxonomy import Author, Section

# Words in adjacent blocks ("</p><p>") must not run together when tags are stripped.
_BLOCK_END = re.compile(r"</(?:p|h[2-4]|li|blockquote|figcaption|td|th|pre)>|<br>")


class StoryKind(models.TextChoices):
    """What a reader is reading: labelled on every surface the story appears on."""

    NEWS = "news", _("News")
    OPINION = "opinion", _("Opinion")
    ANALYSIS = "analysis", _("Analysis")
    SPONSORED = "sponsored", _("Sponsored")
    FACT_CHECK = "fact-check", _("Fact check")


# What a card reads of its photo (``PlacedPhoto``, ``PictureSources``).
CARD_PHOTO_FIELDS = (
    "width",
    "height",
    "caption",
    "alt_text",
    "credit",
    "rights_expire_on",
    "renditions_key",
)
# What a story card reads (``presenters.story_card``, ``Article.card_photo``), and the
# key of newest-first pages; ``for_cards()`` loads these alone. Measured: 21 cards'
# rows load in 1.4 ms instead of 2.5 ms with every column but the body
# (docs/decisions.md, "Uncached pages").
CARD_FIELDS = (
    "headline",
    "slug",
    "dek",
    "kind",
    "sponsor_name",
    "language",
    "published_at",
    "section",
    "section__name",
    "section__slug",
    "lead_image",
    "lead_image_alt_text",
    *(f"lead_image__{name}" for name in CARD_PHOTO_FIELDS),
)


class ArticleQuerySet(models.QuerySet):
    """Publishing rules live here and nowhere else."""

    # The rule itself sits beside the statuses (models/publishing.py), so the join
    # rows' copies (models/copies.py) apply it without importing this module.
    published_q = staticmethod(published_q)

    @staticmethod
    def drafts_q(prefix: str = "") -> Q:
        """Match articles still being written."""
        return Q(**{f"{prefix}status": Status.DRAFT})

    @staticmethod
    def in_review_q(prefix: str = "") -> Q:
        """Match articles submitted and waiting for an editor."""
        return Q(**{f"{prefix}status": Status.REVIEW})

    @staticmethod
    def expired_q(now: datetime | None = None, prefix: str = "") -> Q:
        """Match published articles whose expiry time has passed."""
        now = now or timezone.now()
        return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}expire_at__lte": now})

    @staticmethod
    def retracted_q(prefix: str = "") -> Q:
        """Match articles withdrawn from the public site."""
        return Q(**{f"{prefix}status": Status.RETRACTED})

    @staticmethod
    def scheduled_q(now: datetime | None = None, prefix: str = "") -> Q:
        """Match published articles whose publication time is still to come."""
        now = now or timezone.now()
        return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__gt": now})

    @classmethod
    def has_been_public_q(cls, now: datetime | None = None, prefix: str = "") -> Q:
        """Match articles readers have seen: public now, expired, or retracted after publication."""
        now = now or timezone.now()
        return (
            cls.published_q(now, prefix)
            | cls.expired_q(now, prefix)
            | (cls.retracted_q(prefix) & Q(**{f"{prefix}published_at__lte": now}))
        )

    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """Return the articles readers may see now, newest first."""
        return self.filter(self.published_q(now)).order_by("-published_at", "-pk")

    def tagged_with(self, tag, now: datetime | None = None) -> ArticleQuerySet:
        """Narrow to the stories tagged ``tag``, newest first, read from the tag's index.

        A tag's page is ``published().tagged_with(tag)``: the rule holds for the story
        and for its tag row's copy (see below).
        """
        return self._public_through("tagged_items", "content_object_id", now, tag=tag)

    def by_author(self, author, now: datetime | None = None) -> ArticleQuerySet:
        """Narrow to the stories with ``author`` on the byline, newest first (as above)."""
        return self._public_through("bylines", "article_id", now, author=author)

    def _public_through(self, relation: str, column: str, now, **lookups) -> ArticleQuerySet:
        # The join rows carry the story's publishing fields (models/copies.py): the
        # rule and the order applied to them let the join table's index (subject,
        # status, published_at DESC, article DESC, expire_at) yield the page, and the
        # story is read by primary key for those rows only. On ``published()`` the
        # rule holds for the story as well, so a stale copy never lists a story
        # readers may not see. One ``filter()`` call: the subject, the rule and the
        # order share one join.
        return self.filter(
            self.published_q(now, prefix=f"{relation}__"),
            **{f"{relation}__{name}": value for name, value in lookups.items()},
        ).order_by(f"-{relation}__published_at", f"-{relation}__{column}")

    def drafts(self) -> ArticleQuerySet:
        """Return the articles still being written."""
        return self.filter(self.drafts_q())

    def scheduled(self, now: datetime | None = None) -> ArticleQuerySet:
        """Return the published articles waiting for their publication time."""
        return self.filter(self.scheduled_q(now))

    def next_change(self, now: datetime | None = None) -> datetime | None:
        """Return when public pages next change by themselves: an embargo lifts, a story
        expires, a live story's coverage ends."""
        now = now or timezone.now()
        found = (
            self.filter(status=Status.PUBLISHED)
            .filter(Q(published_at__gt=now) | Q(expire_at__gt=now) | Q(live_until__gt=now))
            .aggregate(
                publish=Min("published_at", filter=Q(published_at__gt=now)),
                expire=Min("expire_at", filter=Q(expire_at__gt=now)),
                live_end=Min("live_until", filter=Q(live_until__gt=now)),
            )
        )
        times = [moment for moment in found.values() if moment is not None]
        return min(times) if times else None

    def expired(self, now: datetime | None = None) -> ArticleQuerySet:
        """Return the published articles past their expiry time."""
        return self.filter(self.expired_q(now))

    def owned_by(self, user) -> ArticleQuerySet:
        """Return the articles ``user`` created or has a byline on."""
        return self.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()

    def submit(self, *, by=None) -> list[Article]:
        """Send the drafts among these stories to the editors; return the stories sent."""
        return self._move(self.drafts(), lambda s: s.submit(by=by))

    def publish(self, *, by=None, at: datetime | None = None) -> list[Article]:
        """Publish now (or schedule, with a future ``at``) the stories not already public.

        Returns the stories that changed. All or none: a story that may not be published
        (``ValidationError``, ``PermissionDenied``) leaves every one as it was.
        """
        return self._move(self.exclude(self.published_q()), lambda s: s.publish(by=by, at=at))

    def retract(self, reason: str, *, by=None) -> list[Article]:
        """Retract the stories not already retracted; return them (all or none, as above)."""
        return self._move(self.exclude(self.retracted_q()), lambda s: s.retract(reason, by=by))

    def _move(self, stories: ArticleQuerySet, move) -> list[Article]:
        with transaction.atomic(using=self.db):
            moved = list(stories)
            for story in moved:
                try:
                    move(story)
                except ValidationError as error:
                    raise ValidationError(
                        _("“%(story)s”: %(problems)s"),
                        code="story_cannot_move",
                        params={"story": story.headline, "problems": " ".join(error.messages)},
                    ) from error
        return moved

    def for_cards(self) -> ArticleQuerySet:
        """Load what a story card shows (section, photo) without a query per card.

        Only the columns a card shows (``card_fields``): the body, at archive size most
        of a row's bytes, stays in the database, and so do the photo's metadata and
        rights fields. A host card template showing another field of the story adds
        it with ``only()``; else each card reads it with a query of its own.
        """
        return self.select_related("section", "lead_image").only(*self.card_fields())

    @staticmethod
    def card_fields(prefix: str = "") -> list[str]:
        """Return the fields ``for_cards()`` loads, for ``only()`` (``prefix``: via a relation)."""
        return [f"{prefix}{name}" for name in CARD_FIELDS]

    def for_detail(self) -> ArticleQuerySet:
        """Load the story with its section and photo; ``load_details()`` then reads the rest.

        ``has_notes`` says whether a story has corrections or updates, which most have
        not: ``load_details()`` reads notes only for those that have.
        """
        notes_model = self.model._meta.get_field("corrections").related_model
        has_notes = Exists(notes_model.objects.filter(article=OuterRef("pk")))
        return self.select_related("section", "lead_image").annotate(has_notes=has_notes)

    def get_detail(self, *args, **kwargs) -> Article:
        """Return the one story ``get()`` finds, with what ``load_details()`` reads."""
        return self.load_details([self.for_detail().get(*args, **kwargs)])[0]

    @staticmethod
    def load_details(stories: Iterable[Article]) -> list[Article]:
        """Read the bylines, tags and notes of loaded ``stories``: three queries at most.

        What the article page, feeds and the API show beside each story from
        ``for_detail()`` (``byline_authors()``, ``tag_list()``, ``notes``). Bylines and
        tags are read as rows, not prefetched: Django's prefetching builds every join
        row and its author or tag, a tenth of a feed's time (docs/decisions.md). Authors
        and tags carry their name and slug; another field loads when first read.
        """
        stories = list(stories)
        ids = [story.pk for story in stories]
        if not ids:
            return stories
        bylines = ArticleAuthor.objects.using(stories[0]._state.db).filter(article__in=ids)
        authors = _labels(bylines, "article_id", ("position", "pk"), "author", Author)
        tagged = TaggedArticle.objects.using(bylines.db).filter(content_object__in=ids)
        tags = _labels(tagged, "content_object_id", ("pk",), "tag", Tag)
        noted = [story.pk for story in stories if getattr(story, "has_notes", True)]
        notes_model = Article._meta.get_field("corrections").related_model
        notes, found = defaultdict(list), notes_model.objects.using(bylines.db)
        for note in found.filter(article__in=noted) if noted else ():
            notes[note.article_id].append(note)
        for story in stories:
            story.loaded_authors, story.loaded_tags = authors[story.pk], tags[story.pk]
            story.loaded_corrections = notes[story.pk]
        return stories


# What a byline or tag link shows: ``load_details`` reads these alone.
LABEL_FIELDS = ("id", "name", "slug")


def _labels(rows, story_field: str, order: tuple, relation: str, model) -> defaultdict:
    """Return the ``relation`` of each join row in ``rows``, by story, sorted by ``order``."""
    fields = [story_field, *order, *(f"{relation}__{name}" for name in LABEL_FIELDS)]
    found, cut = defaultdict(list), 1 + len(order)
    for row in sorted(rows.order_by().values_list(*fields), key=lambda row: row[:cut]):
        found[row[0]].append(model.from_db(rows.db, LABEL_FIELDS, row[cut:]))
    return found


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
        photo_library=body_photo_library,
        help_text=_(
            "The story. Paragraphs, h2–h4 headings, links, emphasis, lists, quotes, photos "
            "from the library and YouTube or Vimeo videos are kept; you are told of "
            "anything else before it is removed."
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
    lead_image_caption = CleanTextField(
        _("caption for this story"),
        max_length=1000,
        blank=True,
        help_text=_("Replaces the photo's own caption on this story only."),
    )
    lead_image_alt_text = LineField(
        _("alt text for this story"),
        max_length=300,
        blank=True,
        help_text=_("Replaces the photo's own alt text on this story only."),
    )
    lead_image_crop = models.CharField(
        _("crop on this story"),
        max_length=10,
        blank=True,
        choices=[("16:9", "16:9"), ("4:3", "4:3"), ("1:1", "1:1")],
        help_text=_("Empty: the whole photo. Crops keep the photo's focal point."),
    )
    related_heading = LineField(
        _("“More from” heading"),
        max_length=120,
        blank=True,
        help_text=_(
            "The heading of the related stories on this story. Empty: “More from <section>”."
        ),
    )
    # The one source of truth for sponsorship too: ``sponsored`` is ``kind == SPONSORED``.
    kind = models.CharField(
        _("kind of story"),
        max_length=20,
        choices=StoryKind.choices,
        default=StoryKind.NEWS,
        help_text=_(
            "Tells readers what they are reading, on the story, its cards, search, feeds and "
            "the API. News: reporting. Opinion: the writer's view. Analysis: explains and "
            "interprets the news. Sponsored: paid for by the sponsor named below. Fact check: "
            "tests a claim against the evidence."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=15,
        choices=language_choices,
        default=default_language,
        blank=True,
        help_text=_(
            "The language the story is written in: readers' browsers, search engines and "
            "search's word stemming follow it. Left empty, the newsroom's default."
        ),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_(
            "The original story this one translates. Each public version links to the "
            "others (“Read in …”)."
        ),
    )
    sponsor_name = LineField(
        _("sponsor"),
        max_length=120,
        blank=True,
        help_text=_(
            "Who paid for the story; required for sponsored stories, shown with the label."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = CalendarDateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "When the story goes public. In the future, it is an embargo: the story stays "
            "hidden until then. Left empty on a published story, it is set to now."
        ),
    )
    expire_at = CalendarDateTimeField(
        _("expiry time"),
        null=True,
        blank=True,
        help_text=_("Optional. After this time the story leaves the public site."),
    )
    live_since = CalendarDateTimeField(
        _("live coverage since"),
        null=True,
        blank=True,
        help_text=_(
            "Set to make this a live story: readers get its timestamped updates, newest "
            "first, and a notice when new ones are posted."
        ),
    )
    live_until = CalendarDateTimeField(
        _("live coverage ended"),
        null=True,
        blank=True,
        help_text=_(
            "When the coverage ends, or is planned to: from then on the page says it ended "
            "and stops looking for new updates."
        ),
    )
    retraction_reason = models.TextField(
        _("reason for retraction"),
        blank=True,
        help_text=_("Required to retract or unpublish a story; kept in the audit log."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts saves; an edit based on an older version is a conflict."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, schedule, retract and edit any article")),
        ]
        ordering = ["-published_at", "-pk"]
        # Every public list reads stories newest first: these serve the home and
        # section pages in that order, and hold every column ``published()`` tests,
        # so deep pages read only the index (``pagination.py``).
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id", "expire_at"],
                name="articles_public_order_idx",
            ),
            models.Index(
                fields=["section", "status", "-published_at", "-id", "expire_at"],
                name="articles_section_order_idx",
            ),
            # The API's ``since`` asks for stories published *or changed* since a time:
            # without this, a recent ``since`` walks the whole public index for edits.
            models.Index(fields=["updated_at"], name="articles_updated_idx"),
            # ``next_change()`` looks for the next expiry on every public response.
            models.Index(
                fields=["expire_at"],
                condition=Q(expire_at__isnull=False),
                name="articles_expiry_idx",
            ),
            # ... and for the next end of a live story's coverage.
            models.Index(
                fields=["live_until"],
                condition=Q(live_until__isnull=False),
                name="articles_live_end_idx",
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
                condition=~Q(status=Status.RETRACTED) | ~Q(retraction_reason=""),
                name="articles_article_retraction_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Give a reason for retracting the story."),
            ),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expire_at__gt=F("published_at")),
                name="articles_article_expires_after_publication",
                violation_error_code="expires_before_publication",
                violation_error_message=_("The expiry time must come after the publication time."),
            ),
            models.CheckConstraint(
                condition=Q(live_until__isnull=True)
                | (Q(live_since__isnull=False) & Q(live_until__gte=F("live_since"))),
                name="articles_article_live_ends_after_start",
                violation_error_code="live_ends_before_start",
                violation_error_message=_("Live coverage must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StoryKind.values),
                name="articles_article_kind_known",
                violation_error_code="unknown_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=StoryKind.SPONSORED) | ~Q(sponsor_name=""),
                name="articles_article_sponsor_named",
                violation_error_code="sponsor_required",
                violation_error_message=_("Name the sponsor of sponsored content."),
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        # The version counts saves, so an edit made on an older copy is detected as a
        # conflict (optimistic locking, see articles/admin/articles.py).
        adding = self._state.adding
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
        # The story's tag and byline rows carry copies of its publishing fields
        # (models/copies.py): they change in the same transaction as the story.
        using = kwargs.get("using") or self._state.db
        with transaction.atomic(using=using, savepoint=False):
            if not adding:
                self._keep_old_address(using, kwargs.get("update_fields"))
            result = super().save(*args, **kwargs)
            self._copy_publishing(adding, kwargs.get("update_fields"))
            update_fields = kwargs.get("update_fields")
            if update_fields is None or "body" in update_fields:
                self._record_body_photos(adding)
        return result

    def get_absolute_url(self) -> str:
        return slug_path("articles:article", self.slug)

    @property
    def sponsored(self) -> bool:
        """Tell whether the story is paid content (``kind`` is "sponsored")."""
        return self.kind == StoryKind.SPONSORED

    @property
    def kind_label(self) -> str:
        """Return the label readers see ("Opinion", "Sponsored"...); "" for plain news."""
        return "" if self.kind == StoryKind.NEWS else str(self.get_kind_display())

    def translations_q(self) -> Q:
        """Match the other versions of this story: its original and the original's translations."""
        original = self.translation_of_id or self.pk
        return (Q(pk=original) | Q(translation_of=original)) & ~Q(pk=self.pk)

    @property
    def is_live(self) -> bool:
        """Tell whether the story is covered live (its page lists updates)."""
        return self.live_since is not None

    def live_ended(self, now: datetime | None = None) -> bool:
        """Tell whether the live coverage has ended (``live_until`` has passed)."""
        return self.live_until is not None and self.live_until <= (now or timezone.now())

    def clean(self) -> None:
        if not self.slug:
            self.slug = unique_slug(
                Article, self.headline, fallback="story", max_length=120, exclude_pk=self.pk
            )
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if not self.language:
            self.language = default_language()
        errors = {}
        if self.sponsored and not self.sponsor_name:
            errors["sponsor_name"] = ValidationError(
                _("Name the sponsor of sponsored content."), code="sponsor_required"
            )
        if self.status == Status.RETRACTED and not self.retraction_reason.strip():
            errors["retraction_reason"] = ValidationError(
                _("Give a reason for retracting the story."), code="reason_required"
            )
        if self.expire_at and self.published_at and self.expire_at <= self.published_at:
            errors["expire_at"] = ValidationError(
                _("The expiry time must come after the publication time."),
                code="expires_before_publication",
            )
        if self.translation_of_id is not None:
            original = self.translation_of
            if self.pk is not None and original.pk == self.pk:
                errors["translation_of"] = ValidationError(
                    _("A story cannot be a translation of itself."), code="translation_of_self"
                )
            elif original.translation_of_id is not None:
                errors["translation_of"] = ValidationError(
                    _("“%(story)s” is itself a translation: choose its original, “%(original)s”."),
                    code="translation_of_translation",
                    params={"story": original.headline, "original": original.translation_of},
                )
            elif self.pk is not None and self.translations.exists():
                errors["translation_of"] = ValidationError(
                    _("This story has translations of its own, so it cannot be a translation."),
                    code="original_as_translation",
                )
            elif original.language == self.language:
                errors["language"] = ValidationError(
                    _("A translation must be in another language than its original."),
                    code="translation_same_language",
                )
        if self.live_until and (not self.live_since or self.live_until < self.live_since):
            errors["live_until"] = ValidationError(
                _("Live coverage must start before it ends."), code="live_ends_before_start"
            )
        if self.status == Status.PUBLISHED and self.lead_image:
            problems = self.lead_image.lead_problems(self.lead_image_alt_text)
            if problems:
                errors["lead_image"] = ValidationError(problems, code="lead_image_incomplete")
        if self.status == Status.PUBLISHED:
            problems = self.body_photo_problems()
            if problems:
                errors["body"] = ValidationError(problems, code="body_photo_incomplete")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        if all(name in article.__dict__ for name in COPIED_FIELDS):
            article.stored_publishing = tuple(getattr(article, n) for n in COPIED_FIELDS)
        return article

    def _keep_old_address(self, using, update_fields) -> None:
        # Any write path (admin, restore, importer) may change the slug: a story readers
        # have seen keeps answering at its old address with a 301 (``ArticleRedirect``).
        # The row is asked, not the copy in memory: that may be stale.
        if self.pk is None or (update_fields is not None and "slug" not in update_fields):
            return
        stored = Article.objects.using(using).filter(ArticleQuerySet.has_been_public_q())
        old = stored.filter(pk=self.pk).exclude(slug=self.slug).values_list("slug", flat=True)
        old = old.first()
        if old is None:
            return
        redirects = ArticleRedirect.objects.using(using)
        redirects.update_or_create(old_slug=old, defaults={"article": self})
        # Back at an address it had before: the story itself answers there again.
        redirects.filter(article=self, old_slug=self.slug).delete()

    def _copy_publishing(self, adding: bool, update_fields) -> None:
        using = self._state.db
        deferred = self.get_deferred_fields() & set(COPIED_FIELDS)
        if update_fields is not None:
            if not set(update_fields) & set(COPIED_FIELDS):
                return
            deferred = set(COPIED_FIELDS) - set(update_fields)
        if deferred:
            # Part of the fields was not written from memory: take them from the row.
            self.stored_publishing = None
            if not adding:
                sync_join_rows([self.pk], using=using)
            return
        if not adding:
            copy_publishing(self, using=using)
        self.stored_publishing = tuple(getattr(self, name) for name in COPIED_FIELDS)

    def body_photo_problems(self) -> list[str]:
        """Return why the body's photos cannot be published (empty when they can)."""
        problems = []
        ids = photo_ids(self.body)
        for image in Image.objects.filter(pk__in=ids).order_by("pk") if ids else ():
            name = f"#{image.pk} ({image})"
            if not image.alt_text:
                problems.append(
                    str(_("Give the photo %(photo)s in the body alt text before publishing."))
                    % {"photo": name}
                )
            if not image.credit:
                problems.append(
                    str(_("Give the photo %(photo)s in the body a credit before publishing."))
                    % {"photo": name}
                )
        return problems

    @property
    def word_count(self) -> int:
        """Return how many words the body has, as readers see them."""
        return len(strip_tags(_BLOCK_END.sub(" ", self.body or "")).split())

    @property
    def reading_time(self) -> int:
        """Return the body's reading time in whole minutes (at least 1), for templates."""
        return max(1, math.ceil(self.word_count / app_settings.READING_WORDS_PER_MINUTE))

    def _record_body_photos(self, adding: bool) -> None:
        """Keep ``BodyPhoto`` rows equal to the photos the body shows."""
        wanted = set(photo_ids(self.body))
        if adding and not wanted:
            return
        using = self._state.db
        found = set(Image.objects.using(using).filter(pk__in=wanted).values_list("pk", flat=True))
        rows = BodyPhoto.objects.using(using).filter(article=self)
        rows.exclude(image_id__in=found).delete()
        have = set(rows.values_list("image_id", flat=True))
        BodyPhoto.objects.using(using).bulk_create(
            [BodyPhoto(article=self, image_id=pk) for pk in sorted(found - have)]
        )

    @property
    def notes(self) -> list:
        """The corrections, clarifications and updates, oldest first (``load_details``)."""
        try:
            return self.loaded_corrections
        except AttributeError:
            return list(self.corrections.all())

    def last_update(self):
        """Return the newest correction, clarification or update."""
        return max(self.notes, key=lambda c: c.created_at, default=None)

    # Workflow operations; the rules and the audit live in models/publishing.py.

    def submit(self, *, by=None) -> None:
        """Send a draft to the editors for review."""
        transition(self, Status.REVIEW, by=by)

    def publish(self, *, by=None, at: datetime | None = None) -> None:
        """Publish now, or schedule (embargo) for a future ``at``."""
        transition(self, Status.PUBLISHED, by=by, at=at)

    def retract(self, reason: str, *, by=None) -> None:
        """Take the story off every public surface at once; ``reason`` is required."""
        transition(self, Status.RETRACTED, by=by, reason=reason)

    def return_to_draft(self, *, by=None) -> None:
        """Send the story back to its writers as a draft."""
        transition(self, Status.DRAFT, by=by)

    @property
    def lead_photo(self) -> PlacedPhoto | None:
        """Return the lead photo as placed on this story, or None when readers may not see it."""
        return PlacedPhoto.place(
            self.lead_image,
            caption=self.lead_image_caption,
            alt_text=self.lead_image_alt_text,
            ratio=self.lead_image_crop,
        )

    @property
    def card_photo(self) -> PlacedPhoto | None:
        """Return the lead photo as story cards show it: the 16:9 crop."""
        return PlacedPhoto.place(self.lead_image, alt_text=self.lead_image_alt_text, ratio="16:9")

    def byline_authors(self) -> list[Author]:
        """Return the authors in byline order (read by ``load_details``)."""
        if "loaded_authors" in self.__dict__:
            return self.loaded_authors
        return [byline.author for byline in self.bylines.all()]  # or the admin's prefetch

    def tag_list(self) -> list[Tag]:
        """Return the story's tags (read by ``load_details``)."""
        if "loaded_tags" in self.__dict__:
            return self.loaded_tags
        return [row.tag for row in self.tagged_items.select_related("tag").order_by("pk")]


class ArticleAuthor(PublishingCopy):
    """One author's place in an article's byline, with the story's publishing fields.

    The copies let an author's page read its stories from this table's index
    (``models/copies.py``).
    """

    article_field = "article"

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
        # An author's page, feeds and sitemap entry: public stories, newest first.
        indexes = [
            models.Index(
                fields=["author", "status", "-published_at", "-article", "expire_at"],
                name="articles_byline_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return str(self.author)


class BodyPhoto(models.Model):
    """A library photo shown in a story's body, recorded on every save of the story.

    Lets the photo library say where a photo is used and lets a photo's change
    reach the pages that show it. The body itself (``<figure data-image>``) is
    the truth; these rows follow it (``Article.save``).
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="body_photos", verbose_name=_("article")
    )
    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="body_of", verbose_name=_("photo")
    )

    class Meta:
        verbose_name = _("photo in a story's body")
        verbose_name_plural = _("photos in stories' bodies")
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="articles_bodyphoto_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article} · {self.image}"
