"""Rank stories to suggest beside an article: the "More from ..." module's automatic part.

A candidate must share at least one tag with the article. Its score is::

    (sum of the shared tags' weights) x (SECTION_BONUS if same section) x age decay

Candidates are the public stories of the last six half-lives (``window_start``),
where the decay below reaches its floor, and of those only the newest
``MAX_CANDIDATES`` sharing a tag are ranked. A tag's weight is IDF-like,
``ln(1 + N / n)`` for ``N`` public stories of that window of which ``n`` carry
the tag: a tag on 3 stories says far more than one on 3,000. The age decay
halves every ``ARTICLES_RELATED_HALF_LIFE_DAYS``, in half-half-life steps so
the whole score is computed, sorted and cut in the database.

Cost: two queries (tag weights, ranked candidates) whatever the archive's size or
the article's number of tags, each bounded by the window and ``MAX_CANDIDATES``
rather than by the archive, plus one more, only when too few stories share a
tag, to fill up with the section's latest. What is public is decided by
``ArticleQuerySet.published()`` alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..conf import app_settings
from .articles import Article
from .tags import Tag, TaggedArticle

SECTION_BONUS = 1.25
MAX_TAGS = 20  # the rarest tags of an over-tagged story; keeps the query's size fixed
DECAY_STEPS = 12  # half-half-life steps: six half-lives, then a floor
# Only the newest stories sharing a tag are ranked: a tag on half the archive must not
# make every article page aggregate half the archive.
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Suggestion:
    """One suggested story with the reasons for its place."""

    article: Article
    score: float
    shared_tags: tuple[Tag, ...] = field(default=())
    same_section: bool = False

    def reasons(self) -> str:
        """Explain the suggestion to an editor: "shares 'North Korea', 'Russia'; same section"."""
        parts = []
        if self.shared_tags:
            names = ", ".join(f"‘{tag.name}’" for tag in self.shared_tags)
            parts.append(_("shares %(names)s") % {"names": names})
        if self.same_section:
            parts.append(_("same section"))
        age = (timezone.now() - self.article.published_at).days
        parts.append(ngettext("%(n)d day old", "%(n)d days old", age) % {"n": age})
        return "; ".join(parts)


def window_start(now: datetime) -> datetime:
    """Return the oldest publication time suggestions consider: where the decay reaches its floor.

    Older stories would all score at the floor; leaving them out keeps both
    queries bounded by the stories of the last six half-lives, however large
    the archive (a million stories cost what a few thousand do).
    """
    return now - timedelta(days=app_settings.RELATED_HALF_LIFE_DAYS / 2) * DECAY_STEPS


def tag_weights(tags, now: datetime) -> dict[int, float]:
    """Return each tag's weight, ``ln(1 + N / n)``, over the window's public stories (one query)."""
    ids = [tag.pk for tag in tags]
    if not ids:
        return {}
    public = Article.objects.published(now).filter(published_at__gte=window_start(now)).order_by()
    total = public.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    rows = (
        public.filter(tagged_items__tag_id__in=ids)
        .values("tagged_items__tag_id")
        .annotate(n=Count("pk"), total=Subquery(total))
        .values_list("tagged_items__tag_id", "n", "total")
    )
    return {tag_id: math.log1p(total / n) for tag_id, n, total in rows}


def decay(now: datetime) -> Case:
    """Return the age factor as a step function of ``published_at``: 1, 0.71, 0.5, ..."""
    step = timedelta(days=app_settings.RELATED_HALF_LIFE_DAYS / 2)
    return Case(
        *[
            When(published_at__gte=now - step * k, then=V(0.5 ** ((k - 1) / 2)))
            for k in range(1, DECAY_STEPS + 1)
        ],
        default=V(0.5 ** (DECAY_STEPS / 2)),
        output_field=FloatField(),
    )


def suggest_related(
    article: Article, limit: int, exclude_ids=(), now: datetime | None = None
) -> list[Suggestion]:
    """Return up to ``limit`` public stories to suggest beside ``article``, best first.

    Never ``article`` itself nor the stories in ``exclude_ids`` (the editor's links).
    ``article``'s tags should be prefetched (``ArticleQuerySet.for_detail``).
    """
    if limit <= 0:
        return []
    now = now or timezone.now()
    excluded = [article.pk, *exclude_ids]
    tags = {tag.pk: tag for tag in article.tags.all()}
    weights = tag_weights(tags.values(), now)
    weights = dict(sorted(weights.items(), key=lambda item: -item[1])[:MAX_TAGS])
    suggestions: list[Suggestion] = []
    if weights:
        shares = {
            f"shares_{pk}": Max(
                Case(When(tagged_items__tag_id=pk, then=V(1)), default=V(0)),
                output_field=IntegerField(),
            )
            for pk in weights
        }
        relevance = Sum(
            Case(
                *[When(tagged_items__tag_id=pk, then=V(w)) for pk, w in weights.items()],
                default=V(0.0),
                output_field=FloatField(),
            )
        )
        in_section = Case(
            When(section_id=article.section_id, then=V(SECTION_BONUS)),
            default=V(1.0),
            output_field=FloatField(),
        )
        candidates = (
            Article.objects.published(now)
            .filter(published_at__gte=window_start(now))
            .filter(
                Exists(
                    TaggedArticle.objects.filter(
                        content_object=OuterRef("pk"), tag_id__in=list(weights)
                    )
                )
            )
            .exclude(pk__in=excluded)
            .values("pk")[:MAX_CANDIDATES]
        )
        ranked = (
            Article.objects.published(now)
            .for_cards()
            .filter(tagged_items__tag_id__in=list(weights), pk__in=candidates)
            .exclude(pk__in=excluded)
            .annotate(relevance=relevance, **shares)
            .annotate(score=F("relevance") * in_section * decay(now))
            .order_by("-score", "-published_at", "-pk")[:limit]
        )
        for story in ranked:
            shared = tuple(tags[pk] for pk in weights if getattr(story, f"shares_{pk}"))
            suggestions.append(
                Suggestion(
                    article=story,
                    score=story.score,
                    shared_tags=shared,
                    same_section=story.section_id == article.section_id,
                )
            )
    wanted = limit - len(suggestions)
    if wanted > 0:
        taken = excluded + [s.article.pk for s in suggestions]
        latest = (
            Article.objects.published(now)
            .for_cards()
            .filter(section_id=article.section_id)
            .exclude(pk__in=taken)[:wanted]
        )
        suggestions += [Suggestion(article=story, score=0.0, same_section=True) for story in latest]
    return suggestions
