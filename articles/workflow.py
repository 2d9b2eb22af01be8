"""The editorial workflow: who may move a story where, and what every move records.

Roles are Django groups made by a data migration (``Reporter`` and ``Editor``); the rules
below read permissions, not group names, so a site may grant them any way it likes:

- ``articles.change_article`` without ``articles.publish_article`` (reporters): edit the
  drafts they created or have a byline on, and submit them for review.
- ``articles.publish_article`` (editors): edit any story, publish, schedule, retract.

The model methods (``Article.publish()`` and friends) call ``transition``; the admin's change
form changes the status through its workflow buttons (``Action``, checked with
``allowed_actions``) and then calls ``record_transition``, so both routes write the same
audit rows and send the same signals. ``State`` is where a story stands, computed from the
QuerySet's ``*_q()`` rules (``state_q``, ``with_state``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .conf import app_settings
from .models import Article, AuditAction, AuditEvent, Status
from .signals import article_published, article_unpublished

REPORTER_GROUP = "Reporter"
EDITOR_GROUP = "Editor"
WRITERS_STATUSES = (Status.DRAFT, Status.REVIEW)


def newsroom_zone() -> ZoneInfo:
    """Return the zone editors work in (``ARTICLES_TIME_ZONE``)."""
    return ZoneInfo(app_settings.TIME_ZONE)


def newsroom_time(moment: datetime) -> str:
    """Format ``moment`` for editors, in the newsroom's zone: "1 Dec 2026, 21:21 GMT"."""
    return format_date(timezone.localtime(moment, newsroom_zone()), "j M Y, H:i T")


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
        return _("Scheduled for %s") % newsroom_time(article.published_at)
    if state == State.PUBLISHED:
        return _("Published %s") % newsroom_time(article.published_at)
    if state == State.EXPIRED:
        return _("Expired %s") % newsroom_time(article.expire_at)
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


def can_publish(user) -> bool:
    """Tell whether ``user`` may publish, schedule, retract and edit any story."""
    return bool(user and user.has_perm("articles.publish_article"))


def is_owner(user, article: Article) -> bool:
    """Tell whether ``user`` created ``article`` or has a byline on it."""
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.bylines.filter(author__user=user).exists()


def can_edit(user, article: Article | None) -> bool:
    """Tell whether ``user`` may change ``article`` (``None``: any article at all)."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or can_publish(user):
        return True
    return article.status in WRITERS_STATUSES and is_owner(user, article)


def editable_by(user, queryset):
    """Narrow ``queryset`` to the articles ``user`` may change (``can_edit`` as a filter)."""
    if not user.has_perm("articles.change_article"):
        return queryset.none()
    if can_publish(user):
        return queryset
    mine = queryset.model.objects.owned_by(user).values("pk")
    return queryset.filter(status__in=WRITERS_STATUSES, pk__in=mine)


def allowed_statuses(user) -> list[str]:
    """Return the statuses ``user`` may give a story they can edit."""
    if can_publish(user):
        return list(Status.values)
    return list(WRITERS_STATUSES)


def transition(
    article: Article, status: str, *, by=None, at: datetime | None = None, reason: str = ""
) -> None:
    """Move ``article`` to ``status`` as ``by`` (checked when given), then record it."""
    if by is not None and (not can_edit(by, article) or status not in allowed_statuses(by)):
        raise PermissionDenied(_("You may not move this story to “%s”.") % Status(status).label)
    before = (article.status, article.published_at)
    article.status = status
    if status == Status.PUBLISHED:
        article.published_at = at or timezone.now()
    if status == Status.RETRACTED:
        article.retraction_reason = reason
    article.full_clean()
    with transaction.atomic():
        article.save()
        record_transition(article, *before, by=by)


def record_transition(article: Article, old_status: str, old_published_at, *, by=None) -> None:
    """Write the audit row and send the signals for a status or embargo change, if any."""
    status = article.status
    if status == old_status and (
        status != Status.PUBLISHED or article.published_at == old_published_at
    ):
        return
    now = timezone.now()
    detail = ""
    if status == Status.REVIEW:
        action = AuditAction.SUBMIT
    elif status == Status.PUBLISHED:
        scheduled = article.published_at > now
        action = AuditAction.SCHEDULE if scheduled else AuditAction.PUBLISH
        detail = timezone.localtime(article.published_at, newsroom_zone()).strftime(
            "%Y-%m-%d %H:%M %Z"
        )
    elif status == Status.RETRACTED:
        action = AuditAction.RETRACT
        detail = article.retraction_reason
    else:
        action = AuditAction.RETURN
    log(article, action, by=by, detail=detail)

    if status == Status.PUBLISHED:
        transaction.on_commit(
            lambda: article_published.send(
                sender=Article, article=article, user=by, scheduled=article.published_at > now
            )
        )
    elif old_status == Status.PUBLISHED:
        reason = article.retraction_reason if status == Status.RETRACTED else ""
        transaction.on_commit(
            lambda: article_unpublished.send(
                sender=Article, article=article, user=by, reason=reason
            )
        )


def log(article: Article, action: str, *, by=None, detail: str = "") -> AuditEvent:
    """Add one row to the audit log."""
    return AuditEvent.objects.create(
        article=article,
        headline=article.headline,
        action=action,
        user=by if by is not None and by.is_authenticated else None,
        detail=detail,
    )
