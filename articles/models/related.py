"""Editor-curated related links, and the "More from ..." module built from them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import LineField
from .articles import CARD_PHOTO_FIELDS, Article, ArticleQuerySet
from .images import Image, PlacedPhoto
from .suggestions import section_latest, stored_suggestions


class RelatedLink(models.Model):
    """One entry in an article's related module: another story, or an outside page."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links", verbose_name=_("article")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    target = models.ForeignKey(
        Article,
        verbose_name=_("related story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text=_("A story on this site. Leave empty to link to an outside page instead."),
    )
    url = models.URLField(
        _("outside link"),
        max_length=500,
        blank=True,
        help_text=_("The address of a page elsewhere; give it a title too."),
    )
    title = LineField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Shown as the link text for an outside page."),
    )
    image = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="related_links",
        help_text=_("Optional, for an outside page: a library photo shown on its card, credited."),
    )

    class Meta:
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(url=""))
                | (Q(target__isnull=True) & ~Q(url="")),
                name="articles_relatedlink_one_target",
                violation_error_code="one_target",
                violation_error_message=_(
                    "Link either to a story on this site or to an outside page, not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(target=F("article")),
                name="articles_relatedlink_not_self",
                violation_error_code="self_link",
                violation_error_message=_("A story cannot be related to itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.target or self.url)

    def clean(self) -> None:
        if self.target_id and self.url:
            raise ValidationError(
                _("Link either to a story on this site or to an outside page, not both."),
                code="one_target",
            )
        if not self.target_id and not self.url:
            raise ValidationError(
                _("Choose a related story or enter an outside link."), code="one_target"
            )
        if self.url and not self.title:
            raise ValidationError(
                {"title": _("Give the outside link a title for readers.")}, code="title_required"
            )
        if self.target_id and self.image_id:
            raise ValidationError(
                {"image": _("A story on this site shows its own lead photo; leave this empty.")},
                code="photo_for_story",
            )
        if self.target_id and self.article_id and self.target_id == self.article_id:
            raise ValidationError(
                {"target": _("A story cannot be related to itself.")}, code="self_link"
            )


@dataclass(frozen=True)
class RelatedItem:
    """One entry of the related module as templates show it."""

    url: str
    title: str
    article: Article | None = None
    photo: PlacedPhoto | None = None


def related_items(article: Article, limit: int) -> list[RelatedItem]:
    """Return the editor's public links first, then the stored suggestions (``suggestions.py``).

    Nothing is ranked here: the suggestions were ranked when the story or its tags
    changed. Costs two queries (links, suggestions), and a third, the section's latest,
    only when those leave the module short.
    """
    if limit <= 0:
        return []
    now = timezone.now()
    links = (
        RelatedLink.objects.filter(article=article)
        .filter(Q(target__isnull=True) | ArticleQuerySet.published_q(now, prefix="target__"))
        .select_related("target__section", "target__lead_image", "image")
        .only(
            "position",
            "url",
            "title",
            "target",
            *ArticleQuerySet.card_fields("target__"),
            "image",
            *(f"image__{name}" for name in CARD_PHOTO_FIELDS),
        )
        .order_by()  # a story's few links are sorted here: cheaper than Django's ORDER BY
    )
    links = sorted(links, key=lambda link: (link.position, link.pk))[:limit]
    items = [
        RelatedItem(
            url=link.target.get_absolute_url(), title=link.target.headline, article=link.target
        )
        if link.target
        else RelatedItem(url=link.url, title=link.title, photo=_card_photo(link.image))
        for link in links
    ]
    wanted = limit - len(items)
    if wanted <= 0:
        return items
    seen = [article.pk, *(item.article.pk for item in items if item.article)]
    stories = stored_suggestions(article, wanted, seen, now)
    if len(stories) < wanted:
        seen += [story.pk for story in stories]
        stories += section_latest(article, wanted - len(stories), seen, now)
    items += [
        RelatedItem(url=story.get_absolute_url(), title=story.headline, article=story)
        for story in stories
    ]
    return items


def _card_photo(image: Image | None) -> PlacedPhoto | None:
    # Like a story card: the 16:9 crop, and nothing until the renditions exist.
    if image is None or not image.renditions_ready:
        return None
    return PlacedPhoto.place(image, ratio="16:9")
