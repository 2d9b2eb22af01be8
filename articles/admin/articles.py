"""The article screens: the editors' main product."""

from __future__ import annotations

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import revisions
from ..conf import app_settings
from ..models import Article, ArticleAuthor, Correction, Revision, Status
from ..workflow import can_edit, can_publish, editable_by, newsroom_zone, record_transition
from .body import BodyAdminMixin
from .forms import ArticleAdminForm
from .images import thumbnail_html
from .related import RelatedLinkInline
from .tagging import ArticleTagDeskMixin
from .workflow import WorkflowAdminMixin, in_newsroom_zone


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("byline (in order)")


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["created_at", "kind", "text"]
    extra = 0
    verbose_name_plural = _("corrections, clarifications and updates (shown at the end)")


def only_editable(action):
    """Wrap an admin action so it never touches a story the user may not edit."""

    @functools.wraps(action)
    def wrapped(modeladmin, request, queryset):
        return action(modeladmin, request, editable_by(request.user, queryset))

    return wrapped


@admin.register(Article)
class ArticleAdmin(BodyAdminMixin, ArticleTagDeskMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "articles/admin/article_change_form.html"
    list_display = ["headline", "section", "status", "publication", "tag_list", "lead_thumbnail"]
    list_filter = ["status", "section", "sponsored", "tags"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    # The photo widget (ArticleAdminForm) has its own buttons: no add/change links around it.
    raw_id_fields = ["lead_image"]
    readonly_fields = ["lead_image_preview", "created_at", "updated_at"]
    inlines = [BylineInline, RelatedLinkInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (
            _("Placement"),
            {"fields": ["section", "tags", "lead_image", "lead_image_preview", "related_heading"]},
        ),
        (
            _("Lead photo on this story"),
            {
                "fields": ["lead_image_caption", "lead_image_alt_text", "lead_image_crop"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "expire_at",
                    "retraction_reason",
                    "base_version",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("Sponsorship"), {"fields": ["sponsored", "sponsor_name"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["articles/admin/photos.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Article) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description=_("photo"))
    def lead_thumbnail(self, obj: Article):
        return thumbnail_html(obj.lead_image, size=80)

    @admin.display(description=_("current lead photo"))
    def lead_image_preview(self, obj: Article):
        return thumbnail_html(obj.lead_image, size=320)

    # Roles ---------------------------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields += ["published_at", "expire_at", "retraction_reason"]
        return fields

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and can_publish(request.user):
            inlines.append(CorrectionInline)
        return inlines

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def get_actions(self, request):
        # Every bulk action (ours, and those other modules mix in, such as bulk tagging)
        # acts only on the selected stories this person may edit.
        actions = super().get_actions(request)
        if can_publish(request.user):
            return actions
        return {
            name: (only_editable(func), name, description)
            for name, (func, name, description) in actions.items()
        }

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user)

    # Times in the newsroom's zone ----------------------------------------------------------

    @admin.display(description=_("publication time"), ordering="published_at")
    def publication(self, obj: Article) -> str:
        if not obj.published_at:
            return "—"
        return timezone.localtime(obj.published_at, newsroom_zone()).strftime("%Y-%m-%d %H:%M %Z")

    def changelist_view(self, request, extra_context=None):
        return in_newsroom_zone(super().changelist_view)(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {}, newsroom_zone=app_settings.TIME_ZONE)
        if object_id is not None:
            article = self.get_object(request, object_id)
            if article is not None and self.has_view_or_change_permission(request, article):
                extra_context.update(self.workflow_context(request, article))
        return in_newsroom_zone(super().changeform_view)(
            request, object_id, form_url, extra_context
        )

    # Saving: revisions and the audit log ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            before = Article.objects.get(pk=obj.pk)
            obj._workflow_before = (before.status, before.published_at)
            if not Revision.objects.filter(article=obj, version=before.version).exists():
                revisions.record(before, comment=str(_("Before the first edit in the admin")))
        else:
            obj.created_by = request.user
            obj._workflow_before = (Status.DRAFT, None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        revisions.record(article, request.user, comment="" if change else str(_("Created")))
        record_transition(article, *article._workflow_before, by=request.user)

    # Actions -------------------------------------------------------------------------------

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Status.DRAFT):
            if can_edit(request.user, article):
                article.submit(by=request.user)
                revisions.record(article, request.user, comment=str(_("Submitted for review")))
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d story submitted for review.", "%(n)d stories submitted for review.", count
            )
            % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=_("Publish the selected stories now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        count = 0
        for article in queryset.exclude(Article.objects.published_q()):
            article.publish(by=request.user)
            revisions.record(article, request.user, comment=str(_("Published")))
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d story published.", "%(n)d stories published.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Retract / unpublish the selected stories (asks for a reason)"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        reason = request.POST.get("reason", "").strip()
        if "confirm" not in request.POST or not reason:
            return TemplateResponse(
                request,
                "articles/admin/retract_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": _("Retract stories"),
                    "articles": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "missing_reason": "confirm" in request.POST,
                },
            )
        count = 0
        for article in queryset.exclude(status=Status.RETRACTED):
            article.retract(reason, by=request.user)
            revisions.record(article, request.user, comment=str(_("Retracted")))
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d story retracted.", "%(n)d stories retracted.", count) % {"n": count},
            messages.SUCCESS,
        )
