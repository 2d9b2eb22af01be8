"""The article page's workflow screens: revisions, diff, restore, previews, shared links,
and the "who else has this open" lease. Mixed into ``ArticleAdmin``."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import previews, revisions
from ..conf import app_settings
from ..models import Article, EditLease, PreviewLink, Revision
from ..models.publishing import can_edit
from ..times import desk_time, newsroom_zone
from ..workflow import Action, State, allowed_actions, describe_state, state_of, state_q

#: What the keep-the-status button says in each state.
SAVE_LABELS = {
    State.DRAFT: gettext_lazy("Save draft"),
    State.REVIEW: gettext_lazy("Save"),
    State.SCHEDULED: gettext_lazy("Save changes"),
    State.PUBLISHED: gettext_lazy("Update"),
    State.EXPIRED: gettext_lazy("Save changes"),
    State.RETRACTED: gettext_lazy("Save changes"),
}
#: The actions that ask for more (a time, a reason) behind a button of their own.
REVEALED = (Action.SCHEDULE, Action.RETRACT)


def in_newsroom_zone(view):
    """Show and read every time in the newsroom's zone (``ARTICLES_TIME_ZONE``)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with timezone.override(newsroom_zone()):
            return view(*args, **kwargs)

    return wrapper


def others_editing(article: Article, user) -> list[str]:
    """Return the names of other people with ``article`` open now."""
    leases = EditLease.objects.active().filter(article=article).exclude(user=user)
    return [
        lease.user.get_full_name() or lease.user.get_username()
        for lease in leases.select_related("user").order_by("user__username")
    ]


class StateFilter(admin.SimpleListFilter):
    """Filter the article list by computed state (the QuerySet's rules, via ``state_q``)."""

    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.filter(state_q(self.value()))
        return queryset


def state_badge(state: str):
    """Render a state as a small labelled badge."""
    return format_html(
        '<span class="desk-badge desk-badge-{}">{}</span>', state, State(state).label
    )


def loaded_state(article: Article | None) -> State:
    """Return the state ``ArticleAdmin.get_queryset()`` annotated, or read it."""
    if article is None:
        return State.DRAFT
    annotated = getattr(article, "state", None)
    return State(annotated) if annotated in State.values else state_of(article)


def workflow_panel(user, article: Article | None) -> dict:
    """What the change form's publishing panel shows: the state and the buttons ``user`` gets."""
    state = loaded_state(article)
    actions = allowed_actions(user, article, state)
    buttons = [
        {
            "value": action.value,
            "label": SAVE_LABELS[state] if action == Action.SAVE else action.label,
            "default": action == Action.SAVE,
        }
        for action in actions
        if action not in REVEALED
    ]
    return {
        "workflow_state": state,
        "workflow_badge": state_badge(state),
        "workflow_description": describe_state(article, state) if article else _("New story"),
        "workflow_buttons": buttons,
        "can_schedule": Action.SCHEDULE in actions,
        "can_retract": Action.RETRACT in actions,
    }


def action_message(action: Action, article: Article):
    """Say what a workflow action did to ``article`` (read back from the database)."""
    state = state_of(article)
    link = article.get_absolute_url()
    if action == Action.PUBLISH or (action == Action.SAVE and state == State.PUBLISHED):
        text = (
            _('Published {time} — <a href="{url}">view on site</a>.')
            if action == Action.PUBLISH
            else _('Live story updated (published {time}) — <a href="{url}">view on site</a>.')
        )
        return format_html(text, time=desk_time(article.published_at), url=link)
    if action == Action.SCHEDULE or (action == Action.SAVE and state == State.SCHEDULED):
        return _("Scheduled for %s.") % desk_time(article.published_at)
    if action == Action.SUBMIT:
        return _("Submitted for review: an editor can now publish it.")
    if action == Action.RETRACT:
        return _("Retracted: the story has left every public page. The reason is in the audit log.")
    if action == Action.RETURN:
        return _("Returned to draft: the story is not public.")
    return {
        State.DRAFT: _("Draft saved."),
        State.REVIEW: _("Saved; the story is still waiting for review."),
        State.EXPIRED: _("Saved; the story stays expired, off the public site."),
        State.RETRACTED: _("Saved; the story stays retracted."),
    }[state]


def restore_changes(article: Article, revision: Revision) -> list[dict]:
    """Return what restoring ``revision`` would change on ``article``, and nothing it keeps.

    The restore is applied and rolled back, so the list follows ``revisions.restore()``
    exactly (a slug taken since, authors or linked stories deleted since).
    """
    current = revisions.snapshot(article)
    with transaction.atomic():
        restored = Article.objects.get(pk=article.pk)
        revisions.apply_snapshot(restored, revision.snapshot)
        after = revisions.snapshot(restored)
        transaction.set_rollback(True)
    return revisions.diff(current, after)


class WorkflowAdminMixin:
    """Adds the workflow screens to an article ``ModelAdmin``."""

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(in_newsroom_zone(view))

        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.revision_diff_view),
                name=f"{prefix}_revision_diff",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.revision_restore_view),
                name=f"{prefix}_revision_restore",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/preview/",
                wrap(self.preview_view),
                name=f"{prefix}_revision_preview",
            ),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/share/", wrap(self.preview_links_view), name=f"{prefix}_share"),
            path(
                "<path:object_id>/heartbeat/",
                wrap(self.heartbeat_view),
                name=f"{prefix}_heartbeat",
            ),
            *super().get_urls(),
        ]

    # Helpers ------------------------------------------------------------------------------

    def _article(self, request, object_id, *, edit: bool = False) -> Article:
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if edit and not can_edit(request.user, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            **extra,
        }

    def workflow_context(self, request, article: Article) -> dict:
        """What the change page shows about the story's history and who has it open."""
        EditLease.renew(article, request.user, app_settings.EDIT_LEASE_SECONDS)
        recent = list(article.revisions.select_related("created_by")[:51])
        return {
            "others_editing": others_editing(article, request.user),
            "revisions": list(zip(recent[:50], [*recent[1:], None], strict=False)),
            "audit_events": article.audit_events.select_related("user")[:20],
            "heartbeat_url": reverse("admin:articles_article_heartbeat", args=[article.pk]),
            "heartbeat_ms": app_settings.EDIT_LEASE_SECONDS * 1000 // 3,
            "newsroom_zone": app_settings.TIME_ZONE,
            "can_edit_article": can_edit(request.user, article),
        }

    # Views --------------------------------------------------------------------------------

    def revision_diff_view(self, request, object_id):
        """Compare two revisions (``?a=&b=``; by default the two newest)."""
        article = self._article(request, object_id)
        all_revisions = list(article.revisions.select_related("created_by"))
        by_id = {revision.pk: revision for revision in all_revisions}
        current = SimpleNamespace(
            pk="current", version=_("now"), snapshot=revisions.snapshot(article), current=True
        )
        try:
            if request.GET.get("b") == "current":
                new = current
            else:
                new = by_id[int(request.GET["b"])] if "b" in request.GET else all_revisions[0]
            old = (
                by_id[int(request.GET["a"])]
                if "a" in request.GET
                else (all_revisions[1] if len(all_revisions) > 1 else new)
            )
        except (KeyError, ValueError, IndexError):
            raise Http404(_("No such revision of this story.")) from None
        changes = revisions.diff(old.snapshot, new.snapshot)
        return TemplateResponse(
            request,
            "articles/admin/revision_diff.html",
            self._context(
                request,
                article,
                _("Compare revisions of “%s”") % article.headline,
                old=old,
                new=new,
                changes=changes,
                all_revisions=all_revisions,
                current=current,
            ),
        )

    def revision_restore_view(self, request, object_id, revision_id):
        """Confirm (GET) and restore (POST) one revision; restoring records a new one."""
        article = self._article(request, object_id, edit=True)
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        if request.method == "POST":
            revisions.restore(revision, request.user)
            self.message_user(
                request,
                _("Version %s restored. The version it replaced is kept in the revisions.")
                % revision.version,
                messages.SUCCESS,
            )
            for note in revisions.unavailable(revision.snapshot):
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return TemplateResponse(
            request,
            "articles/admin/revision_restore.html",
            self._context(
                request,
                article,
                _("Restore version %s?") % revision.version,
                revision=revision,
                changes=restore_changes(article, revision),
            ),
        )

    def preview_view(self, request, object_id, revision_id=None):
        """Show the story (or one revision of it) in the public template, as a preview."""
        article = self._article(request, object_id)
        if revision_id is None:
            article = Article.objects.get_detail(pk=article.pk)
            return previews.preview_response(request, article, label="draft")
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        # Render the revision exactly as it would be, then roll the database back.
        with transaction.atomic():
            revisions.apply_snapshot(article, revision.snapshot)
            shown = Article.objects.get_detail(pk=article.pk)
            response = previews.preview_response(request, shown, label="revision")
            transaction.set_rollback(True)
        return response

    def preview_links_view(self, request, object_id):
        """List, create (POST ``create``) and revoke (POST ``revoke=<id>``) shared links."""
        article = self._article(request, object_id, edit=True)
        if request.method == "POST":
            if "revoke" in request.POST:
                revoked = PreviewLink.objects.filter(
                    article=article, pk=request.POST["revoke"], revoked_at__isnull=True
                ).update(revoked_at=timezone.now())
                if revoked:
                    self.message_user(request, _("The preview link no longer works."))
            else:
                link = previews.create_link(article, request.user)
                self.message_user(
                    request,
                    _("New preview link: %s") % request.build_absolute_uri(previews.url_for(link)),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        links = [
            (link, request.build_absolute_uri(previews.url_for(link)))
            for link in article.preview_links.select_related("created_by")
        ]
        return TemplateResponse(
            request,
            "articles/admin/preview_links.html",
            self._context(
                request,
                article,
                _("Share a preview of “%s”") % article.headline,
                links=links,
                now=timezone.now(),
                max_age_hours=app_settings.PREVIEW_LINK_MAX_AGE // 3600,
            ),
        )

    def heartbeat_view(self, request, object_id):
        """Keep the caller's lease alive (POST); return who else has the story open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        EditLease.renew(article, request.user, app_settings.EDIT_LEASE_SECONDS)
        return JsonResponse({"others": others_editing(article, request.user)})
