"""A story's statuses, who may move it between them, and what every move records.

Roles are Django groups the app makes and marks (``Role``; named by ``ARTICLES_EDITOR_GROUP``
and ``ARTICLES_REPORTER_GROUP``); the rules below read permissions, not groups, so a site
may grant them any way it likes:

- ``articles.change_article`` without ``articles.publish_article`` (reporters): edit the
  drafts they created or have a byline on, and submit them for review.
- ``articles.publish_article`` (editors): edit any story, publish, schedule, retract.

``Article.publish()`` and its siblings, and the QuerySet's ``publish()`` and ``retract()``,
call ``transition``. The admin's change form sets the status through its workflow buttons
and then calls ``record_transition``: both routes write the same audit rows and send the
same signals, once the change is committed.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..signals import article_published, article_unpublished
from ..times import desk_time
from .audit import AuditAction, AuditEvent


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    REVIEW = "review", gettext_lazy("Ready for review")
    PUBLISHED = "published", gettext_lazy("Published")
    RETRACTED = "retracted", gettext_lazy("Retracted")


def published_q(now: datetime | None = None, prefix: str = "") -> Q:
    """Match articles readers may see: published, past their embargo, not yet expired.

    Retracted stories have their own status, so they never match. ``prefix`` applies the
    rule to a relation (``"tagged_items__"``) or to the join rows' copies.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now})
    )


#: The statuses a reporter may give the stories they can edit.
WRITERS_STATUSES = (Status.DRAFT, Status.REVIEW)


def can_publish(user) -> bool:
    """Tell whether ``user`` may publish, schedule, retract and edit any story."""
    return bool(user and user.has_perm("articles.publish_article"))


def is_owner(user, article) -> bool:
    """Tell whether ``user`` created ``article`` or has a byline on it."""
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.bylines.filter(author__user=user).exists()


def can_edit(user, article) -> bool:
    """Tell whether ``user`` may change ``article`` (``None``: any article at all)."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or can_publish(user):
        return True
    return article.status in WRITERS_STATUSES and is_owner(user, article)


def allowed_statuses(user) -> list[str]:
    """Return the statuses ``user`` may give a story they can edit."""
    if can_publish(user):
        return list(Status.values)
    return list(WRITERS_STATUSES)


def transition(
    article, status: str, *, by=None, at: datetime | None = None, reason: str = ""
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


def record_transition(article, old_status: str, old_published_at, *, by=None) -> None:
    """Write the audit row and send the signals for a status or embargo change, if any.

    ``article_published`` and ``article_unpublished`` go out once the change is committed.
    """
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
        detail = desk_time(article.published_at)
    elif status == Status.RETRACTED:
        action = AuditAction.RETRACT
        detail = article.retraction_reason
    else:
        action = AuditAction.RETURN
    AuditEvent.log(article, action, by=by, detail=detail)

    sender = type(article)
    if status == Status.PUBLISHED:
        transaction.on_commit(
            lambda: article_published.send(
                sender=sender, article=article, user=by, scheduled=article.published_at > now
            )
        )
    elif old_status == Status.PUBLISHED:
        reason = article.retraction_reason if status == Status.RETRACTED else ""
        transaction.on_commit(
            lambda: article_unpublished.send(sender=sender, article=article, user=by, reason=reason)
        )
