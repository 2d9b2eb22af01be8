"""Sections and authors."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Article, Author, Section
from .changelist import ChangelistInputMixin
from .notices import SavedTextNoticeMixin


@admin.register(Section)
class SectionAdmin(SavedTextNoticeMixin, ChangelistInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "published_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    # The count below groups the rows, and a grouped query drops Meta.ordering: say it
    # again so the list and the story form's autocomplete page in a stable order.
    ordering = ["name"]

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
class AuthorAdmin(SavedTextNoticeMixin, ChangelistInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    list_select_related = ["user"]
