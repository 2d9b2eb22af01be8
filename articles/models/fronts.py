"""Curated fronts: the editors' line-up of the home page and of each section page.

A front (the home page, or one section's page) holds placements of stories. Those
outside any package are its line-up: the first one shown leads the page, the next
``ARTICLES_FRONT_TOP_STORIES`` are its top stories, and empty slots are topped up
with the front's latest public stories. Named packages ("Ukraine war") show their
placements under their name, and only while one of them shows. A placement shows
only while its story is public (``Article.objects.published``) and inside its
window (``starts_at`` to ``ends_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..conf import app_settings
from ..fields import CalendarDateTimeField, LineField
from .articles import CARD_PHOTO_FIELDS, Article, ArticleQuerySet
from .images import Image, PlacedPhoto
from .taxonomy import Section

CROPS = [("16:9", "16:9"), ("4:3", "4:3"), ("1:1", "1:1")]
#: The highest position an editor may give; the ordering screen parks rows above it.
MAX_POSITION = 999_999


class Front(models.Model):
    """The curated page of the home page (no section) or of one section."""

    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fronts",
        help_text=_("The section whose page this front leads. Empty: the home page."),
    )

    class Meta:
        verbose_name = _("front")
        verbose_name_plural = _("fronts")
        ordering = [F("section__name").asc(nulls_first=True)]
        constraints = [
            # One front per page: the home page's (no section) and one per section.
            models.UniqueConstraint(
                Coalesce("section", Value(0)),
                name="articles_front_one_per_page",
                violation_error_code="front_exists",
                violation_error_message=_("This page already has a front."),
            ),
        ]

    def __str__(self) -> str:
        return self.section.name if self.section_id else str(_("Home page"))

    def get_absolute_url(self) -> str:
        if self.section_id:
            return self.section.get_absolute_url()
        return reverse("articles:home")


class Package(models.Model):
    """A named group of stories on a front, such as "Ukraine war" or "Election 2026"."""

    front = models.ForeignKey(
        Front, verbose_name=_("front"), on_delete=models.CASCADE, related_name="packages"
    )
    name = LineField(
        _("name"), max_length=120, help_text=_("The heading readers see above its stories.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Packages show in this order, lowest first.")
    )

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["front", "name"],
                name="articles_package_unique_name",
                violation_error_code="package_exists",
                violation_error_message=_("This front already has a package of that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.front})"


class Placement(models.Model):
    """One story in a slot of a front, with the words and photo it shows there."""

    front = models.ForeignKey(
        Front, verbose_name=_("front"), on_delete=models.CASCADE, related_name="placements"
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("package"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="placements",
        help_text=_("Empty: the front's lead and top stories, the first shown leading the page."),
    )
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        validators=[MaxValueValidator(MAX_POSITION)],
        help_text=_("Lowest first, within the package or line-up."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="placements",
        help_text=_("Shows only while the story is public, whatever the times below say."),
    )
    headline = LineField(
        _("headline here"),
        max_length=300,
        blank=True,
        help_text=_("Replaces the story's headline on this front only."),
    )
    dek = LineField(
        _("summary here"),
        max_length=500,
        blank=True,
        help_text=_("Replaces the story's summary on this front only."),
    )
    image = models.ForeignKey(
        Image,
        verbose_name=_("photo here"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        help_text=_("Replaces the story's lead photo on this front only."),
    )
    image_crop = models.CharField(
        _("crop here"),
        max_length=10,
        blank=True,
        choices=CROPS,
        help_text=_("Empty: 16:9, as on every card. Crops keep the photo's focal point."),
    )
    starts_at = CalendarDateTimeField(
        _("shown from"),
        null=True,
        blank=True,
        help_text=_("Empty: as soon as the story is public."),
    )
    ends_at = CalendarDateTimeField(
        _("shown until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the placement is removed. Then the slot is topped up."),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                F("front"),
                Coalesce("package", Value(0)),
                F("position"),
                name="articles_placement_unique_position",
                violation_error_code="position_taken",
                violation_error_message=_("Another placement already has this position here."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(starts_at__lt=F("ends_at")),
                name="articles_placement_starts_before_end",
                violation_error_code="window_backwards",
                violation_error_message=_("A placement must start before it ends."),
            ),
        ]
        indexes = [models.Index(fields=["front", "ends_at"], name="articles_placement_front_end")]

    def __str__(self) -> str:
        return f"{self.headline or self.article.headline} ({self.front})"

    def clean(self) -> None:
        if self.package_id and self.front_id and self.package.front_id != self.front_id:
            raise ValidationError(
                {"package": ValidationError(_("Choose a package of this front."), code="elsewhere")}
            )

    def shows_at(self, now: datetime) -> bool:
        """Tell whether the placement's window holds ``now`` (the story's publicness aside)."""
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )


class Teaser:
    """A story as a front shows it: the placement's headline, summary and photo first.

    Cards and the lead template read it like a story (``story.headline``...).
    """

    def __init__(self, story: Article, placement: Placement | None = None):
        self.story, self.placement = story, placement

    def __getattr__(self, name):
        return getattr(self.story, name)

    @property
    def headline(self) -> str:
        return (self.placement and self.placement.headline) or self.story.headline

    @property
    def dek(self) -> str:
        return (self.placement and self.placement.dek) or self.story.dek

    @property
    def card_photo(self) -> PlacedPhoto | None:
        if self.placement and self.placement.image_id:
            photo = PlacedPhoto.place(
                self.placement.image, ratio=self.placement.image_crop or "16:9"
            )
            if photo is not None:
                return photo
        return self.story.card_photo


@dataclass
class Lineup:
    """What one front shows at one time, before topping up from the latest stories."""

    main: list[Teaser] = field(default_factory=list)  # lead first, then top stories
    packages: list[tuple[Package, list[Teaser]]] = field(default_factory=list)
    next_change: datetime | None = None  # a placement's window opens or closes

    @property
    def story_ids(self) -> set[int]:
        """Return the stories the curated slots show (to keep them out of the rest)."""
        shown = [*self.main, *(t for _, teasers in self.packages for t in teasers)]
        return {teaser.story.pk for teaser in shown}

    def filled(self, latest) -> tuple[Teaser | None, list[Teaser], list]:
        """Return the lead, the top stories and what is left of ``latest`` after topping up.

        ``latest`` are the front's newest public stories without the curated ones.
        """
        slots = 1 + app_settings.FRONT_TOP_STORIES
        latest = list(latest)
        needed = max(0, slots - len(self.main))
        main = self.main + [Teaser(story) for story in latest[:needed]]
        return (main[0] if main else None), main[1:], latest[needed:]


PLACEMENT_FIELDS = (
    *("front", "package", "position", "article", "headline", "dek"),
    *("image", "image_crop", "starts_at", "ends_at", "package__name", "package__position"),
)


def _front_order(placement: Placement) -> tuple:
    # The line-up first, then the packages in their order; by position within each.
    package = placement.package
    at = (0, 0, 0) if package is None else (1, package.position, package.pk)
    return (*at, placement.position, placement.pk)


def lineup(section: Section | None, now: datetime | None = None) -> Lineup:
    """Return the curated slots of the home page (``section`` None) or a section, at ``now``.

    One query whatever the number of placements and packages: the placements of public
    stories that have not ended, with their package, story and photos.
    """
    now = now or timezone.now()
    page = Q(front__section=section) if section is not None else Q(front__section__isnull=True)
    rows = Placement.objects.filter(
        page,
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        article__in=Article.objects.published(now).values("pk"),
    )
    # What cards show, as ``for_cards()`` loads it; sorted here, not by the database:
    # a front holds a few dozen rows, and ordering costs Django more than the query.
    rows = rows.select_related("package", "article__section", "article__lead_image", "image").only(
        *PLACEMENT_FIELDS,
        *ArticleQuerySet.card_fields("article__"),
        *(f"image__{name}" for name in CARD_PHOTO_FIELDS),
    )
    rows = sorted(rows.order_by(), key=_front_order)
    result, seen, groups = Lineup(), set(), {}
    slots = 1 + app_settings.FRONT_TOP_STORIES
    for placement in rows:
        for moment in (placement.starts_at, placement.ends_at):
            if moment is not None and moment > now:
                result.next_change = min(result.next_change or moment, moment)
        if not placement.shows_at(now):
            continue
        if placement.package_id is None:
            if len(result.main) < slots and placement.article_id not in seen:
                result.main.append(Teaser(placement.article, placement))
                seen.add(placement.article_id)
            continue
        groups.setdefault(placement.package_id, (placement.package, []))[1].append(placement)
    for package, placements in groups.values():
        teasers = []
        for placement in placements:
            if placement.article_id not in seen:
                teasers.append(Teaser(placement.article, placement))
                seen.add(placement.article_id)
        if teasers:
            result.packages.append((package, teasers))
    return result
