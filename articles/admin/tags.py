"""The tag vocabulary's screens."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Tag


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
