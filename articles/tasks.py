"""Background work for the task worker: photo renditions and "More from" suggestions.

Through Django's Tasks framework: the ``django-tasks`` backport on Django 5.2
(``django.tasks`` from Django 6.0). Which backend runs the tasks is the host's
``TASKS`` setting; the app only picks the queue (``ARTICLES_RENDITIONS_QUEUE``).
django-tasks has no retries of its own, so a failed attempt queues the next one
itself, with its number, until ``ARTICLES_RENDITION_ATTEMPTS`` are used up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import imaging
from .conf import app_settings
from .models import Image, suggestions


def failure_reason(exc: BaseException) -> str:
    """Return, for the editors, why a photo's renditions could not be made."""
    if isinstance(exc, FileNotFoundError):
        return _("The photo's file is missing from storage.")
    return _("The photo's stored file cannot be read as a picture (%(error)s).") % {"error": exc}


@task()
def make_photo_renditions(
    image_id: int, attempt: int = 1, replaces: str = "", force: bool = False
) -> int:
    """Make one photo's renditions; return how many files were written.

    Safe to run twice: the rendition names follow from the file and focal point,
    so a second run, after a worker died mid-task, writes the same files again.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted meanwhile
    try:
        return image.generate_renditions(force=force, replaces=replaces)
    except imaging.RENDITION_ERRORS as exc:
        final = attempt >= app_settings.RENDITION_ATTEMPTS
        image.record_renditions_failure(failure_reason(exc), attempts=attempt, final=final)
        if not final:
            enqueue_renditions(image_id, attempt=attempt + 1, replaces=replaces, force=force)
        raise  # the task backend records the attempt as failed, with its traceback


def enqueue_renditions(image_id: int, attempt: int = 1, replaces: str = "", force: bool = False):
    """Queue ``make_photo_renditions`` now; a retry waits ``ARTICLES_RENDITION_RETRY_DELAY``."""
    queued = make_photo_renditions.using(queue_name=app_settings.RENDITIONS_QUEUE)
    delay = app_settings.RENDITION_RETRY_DELAY * 2 ** (attempt - 2) if attempt > 1 else 0
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + timedelta(seconds=delay))
    return queued.enqueue(image_id, attempt=attempt, replaces=replaces, force=force)


def schedule_renditions(image: Image, force: bool = False) -> bool:
    """Queue ``image``'s renditions for the task worker once the transaction commits.

    Returns False, queueing nothing, when they are up to date. The admin, the importer,
    the demo and ``make_renditions --enqueue`` all come through here.
    """
    if not image.request_renditions(force=force):
        return False
    enqueue_renditions_on_commit(
        image.pk, replaces=getattr(image, "_stale_renditions_key", ""), force=force
    )
    return True


def enqueue_renditions_on_commit(image_id: int, replaces: str = "", force: bool = False) -> None:
    """Queue a photo's renditions once the current transaction commits, so the worker sees it."""
    transaction.on_commit(
        lambda: enqueue_renditions(image_id, replaces=replaces, force=force), robust=False
    )


@task()
def refresh_story_suggestions(article_ids: list[int]) -> int:
    """Rank and store the "More from" suggestions of these stories and their neighbours."""
    return suggestions.refresh_suggestions(article_ids)


# The stories collected by ``suggestions_deferred()``, when inside it.
_deferred: ContextVar[set[int] | None] = ContextVar("articles_deferred_suggestions", default=None)


@contextmanager
def suggestions_deferred() -> Iterator[None]:
    """Queue one task for the stories whose suggestions change inside, at the end, not one each.

    For bulk writes (the WordPress import): each story saved would queue a task of its own.
    """
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield
    finally:
        _deferred.reset(token)
        schedule_suggestions(ids)


def schedule_suggestions(article_ids) -> None:
    """Queue the stories' suggestions for the task worker once the transaction commits."""
    ids = sorted({int(pk) for pk in article_ids if pk})
    if (deferred := _deferred.get()) is not None:
        deferred.update(ids)
    elif ids:
        transaction.on_commit(lambda: refresh_story_suggestions.enqueue(ids), robust=True)


def story_saved(sender, instance, raw=False, **kwargs) -> None:
    """A story was saved: its suggestions and its neighbours' may change (``post_save``)."""
    if not raw:
        schedule_suggestions([instance.pk])


def story_tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A story's tags changed (``m2m_changed`` of ``TaggedArticle``)."""
    if action in {"post_add", "post_remove", "post_clear"}:
        schedule_suggestions((pk_set or ()) if reverse else [instance.pk])


def related_link_changed(sender, instance, raw=False, **kwargs) -> None:
    """An editor's link was added or removed: the stored suggestions leave linked stories out."""
    if not raw:
        schedule_suggestions([instance.article_id])


def story_moved(sender, article, **kwargs) -> None:
    """A story was published, scheduled or retracted, maybe in bulk (the workflow signals)."""
    schedule_suggestions([article.pk])


def connect_signals() -> None:
    """Refresh stored suggestions when stories, their tags or their editor's links change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import Article, RelatedLink, TaggedArticle
    from .signals import article_published, article_unpublished

    uid = "articles-suggestions"
    post_save.connect(story_saved, sender=Article, dispatch_uid=uid)
    # The QuerySet's publish() and retract() write with update(): no post_save.
    article_published.connect(story_moved, sender=Article, dispatch_uid=uid)
    article_unpublished.connect(story_moved, sender=Article, dispatch_uid=uid)
    m2m_changed.connect(story_tags_changed, sender=TaggedArticle, dispatch_uid=uid)
    post_save.connect(related_link_changed, sender=RelatedLink, dispatch_uid=uid)
    post_delete.connect(related_link_changed, sender=RelatedLink, dispatch_uid=uid)
