"""The article page's workflow screens: revisions, diff, restore, previews, shared links,
and the "who else has this open" lease. Mixed into ``ArticleAdmin``."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import previews, revisions
from ..conf import app_settings
from ..models import Article, EditLease, PreviewLink, Revision
from ..workflow import can_edit, newsroom_zone


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
        try:
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
        current = revisions.snapshot(article)
        return TemplateResponse(
            request,
            "articles/admin/revision_restore.html",
            self._context(
                request,
                article,
                _("Restore version %s?") % revision.version,
                revision=revision,
                changes=revisions.diff(current, revision.snapshot),
            ),
        )

    def preview_view(self, request, object_id, revision_id=None):
        """Show the story (or one revision of it) in the public template, as a preview."""
        article = self._article(request, object_id)
        if revision_id is None:
            article = Article.objects.for_detail().with_corrections().get(pk=article.pk)
            return previews.preview_response(request, article, label="draft")
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        # Render the revision exactly as it would be, then roll the database back.
        with transaction.atomic():
            revisions.apply_snapshot(article, revision.snapshot)
            shown = Article.objects.for_detail().with_corrections().get(pk=article.pk)
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
