"""The editors' screens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, ArticleAuthor, Author, Image, RelatedLink, Section, Status, Tag


def _thumbnail(image: Image | None, size: int = 120):
    if not image or not image.file:
        return "—"
    return format_html(
        '<figure style="margin:0"><img src="{}" alt="{}" style="max-width:{}px;height:auto">'
        "<figcaption><small>{}</small></figcaption></figure>",
        image.file.url,
        image.alt_text,
        size,
        image.credit,
    )


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
        return _thumbnail(obj.lead_image, size=80)

    @admin.display(description=_("current lead photo"))
    def lead_image_preview(self, obj: Article):
        return _thumbnail(obj.lead_image, size=320)

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


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "credit", "alt_text", "source", "copyright_notice"]
    readonly_fields = ["preview", "dimensions", "uploaded_at", "used_in"]
    date_hierarchy = "uploaded_at"
    fieldsets = [
        (None, {"fields": ["file", "preview", "dimensions"]}),
        (_("Caption and credit"), {"fields": ["caption", "alt_text", "credit"]}),
        (_("Rights"), {"fields": ["copyright_notice", "source"]}),
        (_("Use"), {"fields": ["used_in", "uploaded_at"]}),
    ]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: Image):
        return _thumbnail(obj, size=100)

    @admin.display(description=_("preview"))
    def preview(self, obj: Image):
        return _thumbnail(obj, size=480)

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description=_("lead photo of"))
    def used_in(self, obj: Image):
        if not obj.pk:
            return "—"
        stories = obj.lead_for.only("pk", "headline").order_by("-pk")[:20]
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:articles_article_change", args=[story.pk]), story.headline)
                    for story in stories
                ),
            )
            or "—"
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("tagged_articles"))

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj: Tag) -> int:
        return obj._article_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "published_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _published=Count(
                    "articles", filter=Article.objects.published_q(prefix="articles__")
                )
            )
        )

    @admin.display(description=_("published stories"), ordering="_published")
    def published_count(self, obj: Section) -> int:
        return obj._published


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    list_select_related = ["user"]
