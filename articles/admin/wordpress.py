"""A read-only list of what came from WordPress: old addresses and files still missing."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import WordPressOrigin
from .changelist import ChangelistInputMixin
from .times import time_column


class MissingFileFilter(admin.SimpleListFilter):
    title = _("file")
    parameter_name = "file"

    def lookups(self, request, model_admin):
        return [("missing", _("missing")), ("found", _("found"))]

    def queryset(self, request, queryset):
        attachments = queryset.filter(kind=WordPressOrigin.Kind.ATTACHMENT)
        if self.value() == "missing":
            return attachments.filter(image__isnull=True)
        if self.value() == "found":
            return attachments.filter(image__isnull=False)
        return queryset


@admin.register(WordPressOrigin)
class WordPressOriginAdmin(ChangelistInputMixin, admin.ModelAdmin):
    """Editors look here for photos whose files a later import with --media-dir should bring."""

    list_display = ["key", "kind", "title", "site", "old_path", "source_url", "imported"]
    list_filter = ["kind", MissingFileFilter, "site"]
    search_fields = ["key", "title", "old_path", "source_url", "guid"]
    list_select_related = ["article", "image", "author"]
    imported = time_column("imported_at", _("imported at"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
