"""The article screens: the editors' main product."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Article, ArticleAuthor, RelatedLink, Status
from .images import thumbnail_html


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("byline (in order)")


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target"]
    fields = ["position", "target", "url", "title"]
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "published_at", "tag_list", "lead_thumbnail"]
    list_filter = ["status", "section", "sponsored", "tags"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image"]
    readonly_fields = ["lead_image_preview", "created_at", "updated_at"]
    inlines = [BylineInline, RelatedLinkInline]
    actions = ["publish_now", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (_("Placement"), {"fields": ["section", "tags", "lead_image", "lead_image_preview"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
        (_("Sponsorship"), {"fields": ["sponsored", "sponsor_name"], "classes": ["collapse"]}),
    ]

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

    @admin.action(description=_("Publish the selected stories now"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = queryset.exclude(Article.objects.published_q(now)).update(
            status=Status.PUBLISHED, published_at=now, updated_at=now
        )
        self.message_user(
            request,
            ngettext("%(n)d story published.", "%(n)d stories published.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish the selected stories (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = queryset.exclude(status=Status.DRAFT).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(n)d story unpublished.", "%(n)d stories unpublished.", count)
            % {"n": count},
            messages.SUCCESS,
        )
