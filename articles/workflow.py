"""The editorial workflow: who may move a story where, and what every move records.

Roles are Django groups made by a data migration (``Reporter`` and ``Editor``); the rules
below read permissions, not group names, so a site may grant them any way it likes:

- ``articles.change_article`` without ``articles.publish_article`` (reporters): edit the
  drafts they created or have a byline on, and submit them for review.
- ``articles.publish_article`` (editors): edit any story, publish, schedule, retract.

The model methods (``Article.publish()`` and friends) call ``transition``; the admin's change
form changes the status through its form and then calls ``record_transition``, so both
routes write the same audit rows and send the same signals.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .conf import app_settings
from .models import Article, AuditAction, AuditEvent, Status
from .signals import article_published, article_unpublished

REPORTER_GROUP = "Reporter"
EDITOR_GROUP = "Editor"
WRITERS_STATUSES = (Status.DRAFT, Status.REVIEW)


def newsroom_zone() -> ZoneInfo:
    """Return the zone editors work in (``ARTICLES_TIME_ZONE``)."""
    return ZoneInfo(app_settings.TIME_ZONE)


def desk_time(value: datetime | None) -> str:
    """Format ``value`` the one way the admin shows times: "1 Dec 2026, 21:21 GMT"."""
    if value is None:
        return ""
    # Translators may reorder the parts; the letters are Django's date format codes.
    return format_date(
        timezone.localtime(value, newsroom_zone()), pgettext("desk time", "j M Y, H:i T")
    )


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
        detail = desk_time(article.published_at)
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
