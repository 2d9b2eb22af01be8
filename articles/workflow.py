"""Where a story stands on the editors' desk, and the buttons each state offers.

``State`` is where a story stands, computed from the QuerySet's ``*_q()`` rules
(``state_q``, ``with_state``); ``Action`` is a button of the change form, offered by
``allowed_actions`` to whoever the publishing rules (``models/publishing.py``) let move
the story. The moves themselves, their audit rows and signals, are the models' own
(``Article.publish()``, ``ArticleQuerySet.publish()``, ...).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Article, Status
from .models.publishing import WRITERS_STATUSES, allowed_statuses, can_edit, can_publish
from .times import desk_time


class State(models.TextChoices):
    """Where a story stands for readers and editors, computed from its status and times."""

    DRAFT = "draft", gettext_lazy("Draft")
    REVIEW = "review", gettext_lazy("In review")
    SCHEDULED = "scheduled", gettext_lazy("Scheduled")
    PUBLISHED = "published", gettext_lazy("Published")
    EXPIRED = "expired", gettext_lazy("Expired")
    RETRACTED = "retracted", gettext_lazy("Retracted")


def state_q(state: str, now: datetime | None = None) -> Q:
    """Return the QuerySet's rule matching the stories in ``state``."""
    now = now or timezone.now()
    rules = {
        State.DRAFT: lambda: Article.objects.drafts_q(),
        State.REVIEW: lambda: Article.objects.in_review_q(),
        State.SCHEDULED: lambda: Article.objects.scheduled_q(now),
        State.PUBLISHED: lambda: Article.objects.published_q(now),
        State.EXPIRED: lambda: Article.objects.expired_q(now),
        State.RETRACTED: lambda: Article.objects.retracted_q(),
    }
    return rules[State(state)]()


def with_state(queryset, now: datetime | None = None):
    """Annotate each story of ``queryset`` with its ``state`` (a ``State`` value)."""
    now = now or timezone.now()
    return queryset.annotate(
        state=Case(
            *(When(state_q(state, now), then=Value(state.value)) for state in State),
            default=Value(State.DRAFT.value),
            output_field=models.CharField(),
        )
    )


def state_of(article: Article, now: datetime | None = None) -> State:
    """Return the ``State`` of a saved ``article`` as stored (new stories are drafts)."""
    if article.pk is None:
        return State.DRAFT
    found = with_state(Article.objects.filter(pk=article.pk), now).values_list("state", flat=True)
    return State(found.first() or State.DRAFT)


def describe_state(article: Article, state: str) -> str:
    """Say in a phrase where ``article`` stands: "Scheduled for 1 Dec 2026, 21:21 GMT"."""
    if state == State.SCHEDULED:
        return _("Scheduled for %s") % desk_time(article.published_at)
    if state == State.PUBLISHED:
        return _("Published %s") % desk_time(article.published_at)
    if state == State.EXPIRED:
        return _("Expired %s") % desk_time(article.expire_at)
    if state == State.RETRACTED:
        return _("Retracted: %s") % article.retraction_reason
    if state == State.REVIEW:
        return _("In review: waiting for an editor")
    return _("Draft: not public")


class Action(models.TextChoices):
    """The change form's workflow buttons (the ``_action`` a button posts)."""

    SAVE = "save", gettext_lazy("Save")
    SUBMIT = "submit", gettext_lazy("Submit for review")
    PUBLISH = "publish", gettext_lazy("Publish now")
    SCHEDULE = "schedule", gettext_lazy("Schedule")
    RETRACT = "retract", gettext_lazy("Retract")
    RETURN = "return", gettext_lazy("Return to draft")


#: The status each action gives the story; saving keeps it.
ACTION_STATUS = {
    Action.SUBMIT: Status.REVIEW,
    Action.PUBLISH: Status.PUBLISHED,
    Action.SCHEDULE: Status.PUBLISHED,
    Action.RETRACT: Status.RETRACTED,
    Action.RETURN: Status.DRAFT,
}

#: What each state offers, in the order the buttons show; ``allowed_actions`` applies roles.
STATE_ACTIONS = {
    State.DRAFT: [Action.SAVE, Action.SUBMIT, Action.PUBLISH, Action.SCHEDULE],
    State.REVIEW: [Action.SAVE, Action.PUBLISH, Action.SCHEDULE, Action.RETURN],
    State.SCHEDULED: [Action.SAVE, Action.PUBLISH, Action.SCHEDULE, Action.RETURN],
    # Taking a story readers have seen off the site asks for a reason: retract, never
    # a silent return to draft.
    State.PUBLISHED: [Action.SAVE, Action.RETRACT],
    State.EXPIRED: [Action.SAVE, Action.RETRACT, Action.RETURN],
    State.RETRACTED: [Action.SAVE, Action.RETURN],
}


def allowed_actions(user, article: Article | None, state: str = State.DRAFT) -> list[Action]:
    """Return the workflow actions ``user`` may take on ``article`` (``None``: a new story)."""
    if not can_edit(user, article):
        return []
    statuses = allowed_statuses(user)
    return [
        action
        for action in STATE_ACTIONS[State(state)]
        if action not in ACTION_STATUS or ACTION_STATUS[action] in statuses
    ]


def editable_by(user, queryset):
    """Narrow ``queryset`` to the articles ``user`` may change (``can_edit`` as a filter)."""
    if not user.has_perm("articles.change_article"):
        return queryset.none()
    if can_publish(user):
        return queryset
    mine = queryset.model.objects.owned_by(user).values("pk")
    return queryset.filter(status__in=WRITERS_STATUSES, pk__in=mine)
