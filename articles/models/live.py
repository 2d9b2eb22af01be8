"""Live coverage: the timestamped updates of a live story, and which of them are public."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..embeds import video_embed
from ..fields import CalendarDateTimeField, CleanTextField, LineField, SanitizedHTMLField
from .articles import Article, ArticleQuerySet
from .images import Image, PlacedPhoto, body_photo_library
from .publishing import Status
from .taxonomy import Author


def validate_embed(value: str) -> None:
    """Accept only the video addresses the story body accepts (YouTube, Vimeo)."""
    if value and video_embed(value) is None:
        raise ValidationError(
            _("Give a YouTube or Vimeo video address."), code="embed_not_supported"
        )


class LiveUpdateQuerySet(models.QuerySet):
    """Which updates readers may see: the story's rule (``ArticleQuerySet``) and their time."""

    @staticmethod
    def published_q(now: datetime | None = None, prefix: str = "") -> Q:
        """Match updates readers may see: their time has come and their story is public."""
        now = now or timezone.now()
        return Q(**{f"{prefix}published_at__lte": now}) & ArticleQuerySet.published_q(
            now, prefix=f"{prefix}article__"
        )

    def published(self, now: datetime | None = None) -> LiveUpdateQuerySet:
        """Return the updates readers may see now, newest first."""
        return self.filter(self.published_q(now)).order_by("-published_at", "-pk")

    def scheduled(self, now: datetime | None = None) -> LiveUpdateQuerySet:
        """Return the updates waiting for their time."""
        return self.filter(published_at__gt=now or timezone.now())

    def next_change(self, now: datetime | None = None) -> datetime | None:
        """Return when the next scheduled update of a published story goes public."""
        now = now or timezone.now()
        found = self.filter(published_at__gt=now, article__status=Status.PUBLISHED)
        return found.aggregate(first=Min("published_at"))["first"]

    def for_page(self) -> LiveUpdateQuerySet:
        """Load what an update shows (photo, authors) in a fixed number of queries."""
        return self.select_related("image").prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("name", "pk"))
        )


class LiveUpdate(models.Model):
    """One timestamped update of a live story: its own body, photo, video and authors."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name=_("story")
    )
    title = LineField(
        _("short title"),
        max_length=120,
        blank=True,
        help_text=_("Required for a key event: it names the update in the key events list."),
    )
    body = SanitizedHTMLField(
        _("update"),
        photo_library=body_photo_library,
        help_text=_("The update itself, with the same formatting as a story's body."),
    )
    image = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_updates",
        help_text=_("Optional. A photo from the library, shown with its caption and credit."),
    )
    embed_url = models.URLField(
        _("video"),
        blank=True,
        validators=[validate_embed],
        help_text=_("Optional. A YouTube or Vimeo address, shown as a player."),
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), related_name="live_updates", blank=True
    )
    published_at = CalendarDateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_("In the future, the update stays hidden until then."),
    )
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        # Not a unique constraint: pinning an update unpins the story's other one in the
        # same transaction (admin/live.py ``store``), the newest pin winning, where a
        # constraint would refuse the editor's pin. Pages show the newest pinned.
        help_text=_("Shown above every other update. Pinning one unpins the story's others."),
    )
    key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the key events at the top.")
    )
    correction = CleanTextField(
        _("correction note"),
        max_length=1000,
        blank=True,
        help_text=_("What was corrected in this update, shown under it."),
    )
    edited_at = models.DateTimeField(
        _("last corrected"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a published update is changed; readers see “Updated”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["article", "-published_at", "-id"], name="articles_live_order_idx"
            ),
            # ``next_change()`` looks for the next scheduled update on every public response.
            models.Index(fields=["published_at"], name="articles_live_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_event=False) | ~Q(title=""),
                name="articles_live_key_event_titled",
                violation_error_code="key_event_title",
                violation_error_message=_("Give a key event a short title."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or _("Update of %(time)s") % {"time": self.published_at}

    def get_absolute_url(self) -> str:
        return reverse("articles:article_update", kwargs={"slug": self.article.slug, "pk": self.pk})

    def clean(self) -> None:
        if self.key_event and not self.title.strip():
            raise ValidationError(
                {
                    "title": ValidationError(
                        _("Give a key event a short title."), code="key_event_title"
                    )
                }
            )

    @property
    def anchor(self) -> str:
        """The update's id on the story page."""
        return f"update-{self.pk}"

    @property
    def photo(self) -> PlacedPhoto | None:
        """Return the update's photo, or None when readers may not see it."""
        return PlacedPhoto.place(self.image)

    @property
    def video(self):
        """Return the update's video (``embeds.VideoEmbed``), or None."""
        return video_embed(self.embed_url) if self.embed_url else None

    def author_list(self) -> list[Author]:
        """Return the update's authors (prefetched by ``for_page``)."""
        return list(self.authors.all())
