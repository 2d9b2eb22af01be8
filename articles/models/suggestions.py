"""Rank stories to suggest beside an article: the "More from ..." module's automatic part.

A candidate must share at least one tag with the article. Its score is::

    (sum of the shared tags' weights) x (SECTION_BONUS if same section) x age decay

A tag's weight is IDF-like, ``ln(1 + N / n)`` for ``N`` stories of which ``n``
carry the tag: a tag on 3 stories says far more than one on 3,000. The age
decay halves every ``ARTICLES_RELATED_HALF_LIFE_DAYS``, in half-half-life steps so
the whole score is computed, sorted and cut in the database.

Cost: three queries (tag weights, candidates, ranking) whatever the archive's size
or the article's number of tags, plus one more, only when too few stories share a
tag, to fill up with the section's latest. The candidates scored are bounded too
(``candidates()``). What is public is decided by ``ArticleQuerySet.published()``
alone.

Public pages never rank: ``refresh_suggestions()`` ranks when a story, its tags or its
editor's links change (``articles.tasks.schedule_suggestions``, in the task worker) and
stores the result as ``StoredSuggestion`` rows; ``stored_suggestions()`` reads them back
in one indexed query, through ``published()`` again, so a story retracted or expired
since never shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..conf import app_settings
from ..signals import suggestions_changed
from .articles import Article
from .tags import Tag, TaggedArticle

SECTION_BONUS = 1.25
MAX_TAGS = 20  # the rarest tags of an over-tagged story; keeps the query's size fixed
DECAY_STEPS = 12  # half-half-life steps: six half-lives, then a floor
SELECTIVE = 300  # a tag on at most this many stories brings all of them as candidates
RECENT = 1000  # the newest public stories, searched for the common tags' stories
# Stored per story: the module's size plus a margin for stories that stop being public
# or that an editor links by hand before the next refresh.
STORED_MARGIN = 4
NEIGHBOURS = 20  # at most this many stories naming a changed one are ranked again with it


class StoredSuggestion(models.Model):
    """One ranked suggestion for a story's "More from" module (``refresh_suggestions``)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="stored_suggestions", editable=False
    )
    position = models.PositiveSmallIntegerField(editable=False)
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="suggested_for", editable=False
    )
    score = models.FloatField(default=0.0, editable=False)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # The page's one query reads a story's rows in order from this index.
            models.UniqueConstraint(
                fields=["article", "position"], name="articles_storedsuggestion_order"
            ),
            models.UniqueConstraint(
                fields=["article", "target"], name="articles_storedsuggestion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.target_id} ({self.position})"


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


def tag_weights(tags) -> dict[int, tuple[float, int]]:
    """Return each tag's ``(weight, stories)``; the weight is ``ln(1 + N / stories)`` (one query).

    Counted over every story, drafts included, from the tag index alone; ``N`` is
    read as the highest story id, an O(1) stand-in for the archive's size (only
    the weights' ratios matter, and a log damps the difference).
    """
    ids = [tag.pk for tag in tags]
    if not ids:
        return {}
    newest = Article.objects.order_by("-pk").values("pk")[:1]
    rows = (
        TaggedArticle.objects.filter(tag_id__in=ids)
        .values("tag_id")
        .annotate(n=Count("pk"), total=Subquery(newest))
        .values_list("tag_id", "n", "total")
    )
    return {tag_id: (math.log1p(total / n), n) for tag_id, n, total in rows}


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


def candidates(counts: dict[int, int], now: datetime) -> list[int]:
    """Return the ids of the stories worth scoring: a bounded set whatever the archive's size.

    Every story of a *selective* tag (at most ``SELECTIVE`` stories) is a candidate; so
    are the archive's ``RECENT`` newest public stories, which is where the common tags'
    stories are looked for. An old story sharing nothing but common tags would score
    near zero after decay anyway. One query; the ids come back as a list so the ranking
    query starts from them rather than from the common tags' long index runs.
    """
    selective = [pk for pk, n in counts.items() if n <= SELECTIVE]
    ids = TaggedArticle.objects.filter(tag_id__in=selective).values_list(
        "content_object_id", flat=True
    )
    if len(selective) < len(counts):
        newest = Article.objects.published(now).values("published_at")[RECENT - 1 : RECENT]
        recent = (
            Article.objects.published(now)
            .order_by()
            .filter(published_at__gte=Subquery(newest))
            .values_list("pk", flat=True)
        )
        ids = ids.union(recent) if selective else recent
    return list(ids)


def _relevance(weights: dict[int, float]) -> Sum:
    return Sum(
        Case(
            *[When(tagged_items__tag_id=pk, then=V(w)) for pk, w in weights.items()],
            default=V(0.0),
            output_field=FloatField(),
        )
    )


def _shares(weights: dict[int, float]) -> dict[str, Max]:
    return {
        f"shares_{pk}": Max(
            Case(When(tagged_items__tag_id=pk, then=V(1)), default=V(0)),
            output_field=IntegerField(),
        )
        for pk in weights
    }


def _section_bonus(article: Article) -> Case:
    return Case(
        When(section_id=article.section_id, then=V(SECTION_BONUS)),
        default=V(1.0),
        output_field=FloatField(),
    )


def suggest_related(
    article: Article,
    limit: int,
    exclude_ids=(),
    now: datetime | None = None,
    fill: bool = True,
) -> list[Suggestion]:
    """Return up to ``limit`` public stories to suggest beside ``article``, best first.

    Never ``article`` itself nor the stories in ``exclude_ids`` (the editor's links).
    ``article``'s tags should be prefetched (``ArticleQuerySet.for_detail``).
    ``fill=False``: only stories sharing a tag, not the section's latest after them.
    """
    if limit <= 0:
        return []
    now = now or timezone.now()
    excluded = [article.pk, *exclude_ids]
    tags = {tag.pk: tag for tag in article.tags.all()}
    counted = sorted(tag_weights(tags.values()).items(), key=lambda item: -item[1][0])[:MAX_TAGS]
    weights = {pk: weight for pk, (weight, _n) in counted}
    suggestions: list[Suggestion] = []
    if weights:
        ranked = (
            Article.objects.published(now)
            .for_cards()
            .filter(pk__in=candidates({pk: n for pk, (_w, n) in counted}, now))
            .filter(tagged_items__tag_id__in=list(weights))
            .exclude(pk__in=excluded)
            .annotate(relevance=_relevance(weights), **_shares(weights))
            .annotate(score=F("relevance") * _section_bonus(article) * decay(now))
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
    if wanted > 0 and fill:
        taken = excluded + [s.article.pk for s in suggestions]
        suggestions += [
            Suggestion(article=story, score=0.0, same_section=True)
            for story in section_latest(article, wanted, taken, now)
        ]
    return suggestions


def section_latest(article: Article, limit: int, exclude_ids=(), now: datetime | None = None):
    """Return the newest public stories of ``article``'s section but ``exclude_ids`` (one query)."""
    return (
        Article.objects.published(now)
        .for_cards()
        .filter(section_id=article.section_id)
        .exclude(pk__in=list(exclude_ids))[:limit]
    )


def stored_suggestions(article: Article, limit: int, exclude_ids=(), now: datetime | None = None):
    """Return up to ``limit`` of ``article``'s stored suggestions that are public now, in order.

    One query on ``StoredSuggestion``'s ``(article, position)`` index; the publishing
    rule is applied to the suggested stories as on every public list.
    """
    if limit <= 0:
        return []
    return list(
        Article.objects.published(now)
        .for_cards()
        .filter(suggested_for__article=article)
        .exclude(pk__in=list(exclude_ids))
        .order_by("suggested_for__position")[:limit]
    )


def store_suggestions(article: Article, now: datetime | None = None) -> list[int]:
    """Rank ``article``'s suggestions and store them in place of the old; return their ids.

    ``article`` needs its tags prefetched (``for_detail``). The editor's own links are
    left out, as on the page; when too few stories share a tag, the section's latest
    fill the list, so the module's every entry is stored and a change to it is known
    (``signals.suggestions_changed``).
    """
    linked = article.related_links.filter(target__isnull=False).values_list("target_id", flat=True)
    limit = app_settings.RELATED_COUNT + STORED_MARGIN
    ranked = suggest_related(article, limit, list(linked), now)
    rows = [
        StoredSuggestion(article=article, position=position, target=s.article, score=s.score)
        for position, s in enumerate(ranked)
    ]
    stored = StoredSuggestion.objects.filter(article=article)
    with transaction.atomic():
        before = list(stored.order_by("position").values_list("target_id", flat=True))
        stored.delete()
        StoredSuggestion.objects.bulk_create(rows)
    if before != [row.target_id for row in rows]:
        suggestions_changed.send(sender=Article, ids=[article.pk])
    return [s.article.pk for s in ranked]


def refresh_suggestions(article_ids, neighbours: bool = True, now: datetime | None = None) -> int:
    """Rank and store the suggestions of the stories ``article_ids``; return how many were ranked.

    With ``neighbours``, also those of the stories they now suggest (a new story is most
    likely relevant to them in turn) and of up to ``NEIGHBOURS`` stories whose stored
    suggestions name one of them (it may have been retracted, re-tagged or published
    again). Stories deleted meanwhile are skipped. The task worker runs this
    (``articles.tasks``); so do ``manage.py refresh_suggestions`` and importers.
    """
    now = now or timezone.now()
    ids = list(dict.fromkeys(article_ids))
    done: set[int] = set()
    suggested: list[int] = []

    def rank(pks):
        todo = [pk for pk in pks if pk not in done]
        for story in Article.objects.prefetch_related("tags").filter(pk__in=todo):
            done.add(story.pk)
            suggested.extend(store_suggestions(story, now))

    rank(ids)
    if neighbours and ids:
        naming = (
            StoredSuggestion.objects.filter(target_id__in=ids)
            .exclude(article_id__in=ids)
            .order_by("-article_id")
            .values_list("article_id", flat=True)[:NEIGHBOURS]
        )
        rank(list(dict.fromkeys([*suggested, *naming])))
    return len(done)
