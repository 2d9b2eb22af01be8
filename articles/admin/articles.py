"""The article screens: the editors' main product."""

from __future__ import annotations

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import revisions
from ..conf import app_settings
from ..models import Article, ArticleAuthor, Correction, Revision, Status
from ..models.publishing import can_edit, can_publish, record_transition
from ..times import desk_time
from ..workflow import State, editable_by, with_state
from .body import BodyAdminMixin
from .changelist import ChangelistInputMixin
from .dates import CalendarHierarchyMixin
from .forms import ArticleAdminForm
from .images import thumbnail_html
from .live import LiveCoverageAdminMixin
from .notices import SavedTextNoticeMixin
from .related import RelatedLinkInline
from .tagging import ArticleTagDeskMixin
from .workflow import (
    StateFilter,
    WorkflowAdminMixin,
    action_message,
    in_newsroom_zone,
    state_badge,
    workflow_panel,
)


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
class ArticleAdmin(
    LiveCoverageAdminMixin,
    SavedTextNoticeMixin,
    ChangelistInputMixin,
    CalendarHierarchyMixin,
    BodyAdminMixin,
    ArticleTagDeskMixin,
    WorkflowAdminMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    change_form_template = "articles/admin/article_change_form.html"
    list_display = [
        "lead_thumbnail",
        "headline_links",
        "state_badge",
        "section",
        "byline_list",
        "publication",
    ]
    # The headline cell carries its own links: edit, preview and view on site.
    list_display_links = None
    list_filter = [StateFilter, "kind", "section", "language", "tags"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "translation_of"]
    # The photo widget (ArticleAdminForm) has its own buttons: no add/change links around it.
    raw_id_fields = ["lead_image"]
    readonly_fields = ["lead_image_preview", "created_at", "updated_at"]
    inlines = [BylineInline, RelatedLinkInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    save_on_top = True
    # The change form's layout (articles/admin/article_change_form.html) places each
    # fieldset by its class: desk-top (full width), desk-main (the body's column, as is
    # any fieldset without a desk class), desk-side (the side column); desk-schedule and
    # desk-retract sit behind the "Schedule…" and "Retract…" buttons (see get_fieldsets).
    fieldsets = [
        (None, {"fields": ["headline", "dek"], "classes": ["desk-top"]}),
        (None, {"fields": ["body"], "classes": ["desk-main"]}),
        (None, {"fields": ["published_at"], "classes": ["desk-schedule"]}),
        (None, {"fields": ["retraction_reason"], "classes": ["desk-retract"]}),
        (
            _("Placement"),
            {"fields": ["section", "kind", "tags", "related_heading"], "classes": ["desk-side"]},
        ),
        (
            _("Lead photo"),
            {"fields": ["lead_image", "lead_image_preview"], "classes": ["desk-side"]},
        ),
        (
            _("Lead photo on this story"),
            {
                "fields": ["lead_image_caption", "lead_image_alt_text", "lead_image_crop"],
                "classes": ["collapse", "desk-side"],
            },
        ),
        (
            _("More publishing options"),
            {
                "fields": ["expire_at", "base_version", "created_at", "updated_at"],
                "classes": ["collapse", "desk-side", "desk-more"],
            },
        ),
        (
            _("Language and translations"),
            {"fields": ["language", "translation_of"], "classes": ["collapse", "desk-side"]},
        ),
        (
            _("Live coverage"),
            {"fields": ["live_since", "live_until"], "classes": ["collapse", "desk-side"]},
        ),
        (_("Address (slug)"), {"fields": ["slug"], "classes": ["collapse", "desk-side"]}),
        (
            _("Sponsorship"),
            {"fields": ["sponsor_name"], "classes": ["collapse", "desk-side"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/desk.css", "articles/admin/photos.css"]}
        js = ["articles/admin/desk.js"]

    def get_queryset(self, request):
        bylines = ArticleAuthor.objects.select_related("author").order_by("position", "pk")
        return with_state(
            super().get_queryset(request).prefetch_related("tags", Prefetch("bylines", bylines))
        )

    def get_fieldsets(self, request, obj=None):
        # "Schedule…" and "Retract…" show only where they are offered; elsewhere the
        # publication time and the reason are less-used fields, kept with the others.
        fieldsets = super().get_fieldsets(request, obj)
        panel = workflow_panel(request.user, obj)
        hidden = {"desk-schedule": panel["can_schedule"], "desk-retract": panel["can_retract"]}
        moved, kept = [], []
        for name, options in fieldsets:
            classes = options.get("classes", [])
            behind_button = next((c for c in classes if c in hidden), None)
            if behind_button and not hidden[behind_button]:
                moved += options["fields"]
            else:
                kept.append((name, options))
        return [
            (name, {**options, "fields": [*moved, *options["fields"]]})
            if "desk-more" in options.get("classes", [])
            else (name, options)
            for name, options in kept
        ]

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, obj: Article):
        return state_badge(obj.state)

    @admin.display(description=_("byline"))
    def byline_list(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.byline_authors()) or "—"

    @admin.display(description=_("photo"))
    def lead_thumbnail(self, obj: Article):
        return thumbnail_html(obj.lead_image, size=64)

    @admin.display(description=_("headline"), ordering="headline")
    def headline_links(self, obj: Article):
        edit = reverse("admin:articles_article_change", args=[obj.pk])
        preview = reverse("admin:articles_article_preview", args=[obj.pk])
        links = format_html(
            '<a href="{}">{}<span class="visually-hidden">: {}</span></a>',
            preview,
            _("Preview"),
            obj.headline,
        )
        if obj.state == State.PUBLISHED:
            links = format_html(
                '{} · <a href="{}">{}<span class="visually-hidden">: {}</span></a>',
                links,
                obj.get_absolute_url(),
                _("View on site"),
                obj.headline,
            )
        return format_html(
            '<a href="{}" class="desk-headline">{}</a><div class="desk-row-links">{}</div>',
            edit,
            obj.headline,
            links,
        )

    @admin.display(description=_("current lead photo"))
    def lead_image_preview(self, obj: Article):
        if not obj.lead_image:
            return "—"
        caption = obj.lead_image_caption or obj.lead_image.caption
        return format_html("{}<p>{}</p>", thumbnail_html(obj.lead_image, size=320), caption)

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

    @admin.display(description=_("time"), ordering="published_at")
    def publication(self, obj: Article) -> str:
        return desk_time(obj.published_at) or "—"

    def changelist_view(self, request, extra_context=None):
        return in_newsroom_zone(super().changelist_view)(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {}, newsroom_zone=app_settings.TIME_ZONE)
        if object_id is None:
            extra_context.update(workflow_panel(request.user, None))
        else:
            article = self.get_object(request, object_id)
            if article is not None and self.has_view_or_change_permission(request, article):
                extra_context.update(self.workflow_context(request, article))
                # Offers nothing to whoever may not edit the story (allowed_actions).
                extra_context.update(workflow_panel(request.user, article))
                extra_context.update(self.live_context(request, article))
        return in_newsroom_zone(super().changeform_view)(
            request, object_id, form_url, extra_context
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if "live_form" in context:  # the quick form's editor and photo lookup
            context["media"] = context["media"] + context["live_form"].media
        return super().render_change_form(request, context, add, change, form_url, obj)

    # After a workflow button: say what happened, stay on the story -------------------------

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_action(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_action(request, obj) or super().response_change(request, obj)

    def _after_action(self, request, obj):
        # A POST without a workflow button (Django's own Save) gets Django's answer.
        if "_action" not in request.POST or "_popup" in request.POST:
            return None
        self.message_user(request, action_message(obj._workflow_action, obj), messages.SUCCESS)
        url = reverse("admin:articles_article_change", args=[obj.pk])
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

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
        obj._workflow_action = form.action
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        revisions.record(article, request.user, comment="" if change else str(_("Created")))
        record_transition(article, *article._workflow_before, by=request.user)

    # Actions -------------------------------------------------------------------------------

    def _move(self, request, move, comment) -> int | None:
        """Move the selected stories with the QuerySet's ``move`` and record a revision of each.

        Returns how many moved, or None when one may not move (nothing moved; the editor
        is told why).
        """
        try:
            with transaction.atomic():
                moved = move(by=request.user)
                for article in moved:
                    revisions.record(article, request.user, comment=str(comment))
        except ValidationError as error:
            self.message_user(
                request,
                _("Nothing changed: %(problems)s") % {"problems": " ".join(error.messages)},
                messages.ERROR,
            )
            return None
        return len(moved)

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        # ``get_actions`` narrowed the selection to the stories this person may edit.
        count = self._move(request, queryset.submit, _("Submitted for review"))
        if count is None:
            return
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
        count = self._move(request, queryset.publish, _("Published"))
        if count is None:
            return
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
        count = self._move(request, functools.partial(queryset.retract, reason), _("Retracted"))
        if count is None:
            return
        self.message_user(
            request,
            ngettext("%(n)d story retracted.", "%(n)d stories retracted.", count) % {"n": count},
            messages.SUCCESS,
        )
