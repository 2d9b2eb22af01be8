"""The photo library's screens."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Image


def thumbnail_html(image: Image | None, size: int = 120):
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
        return thumbnail_html(obj, size=100)

    @admin.display(description=_("preview"))
    def preview(self, obj: Image):
        return thumbnail_html(obj, size=480)

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
