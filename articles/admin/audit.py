"""The audit log: read-only, for everyone who may see articles."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import AuditEvent
from .changelist import ChangelistInputMixin
from .dates import CalendarHierarchyMixin
from .times import time_column
from .workflow import in_newsroom_zone


@admin.register(AuditEvent)
class AuditEventAdmin(ChangelistInputMixin, CalendarHierarchyMixin, admin.ModelAdmin):
    list_display = ["when", "user", "action", "story", "detail"]
    list_filter = ["action", "at"]
    list_select_related = ["user", "article"]
    search_fields = ["headline", "detail", "user__username"]
    date_hierarchy = "at"
    when = time_column("at", _("when"))

    @admin.display(description=_("story"), ordering="headline")
    def story(self, obj: AuditEvent):
        if obj.article_id is None:
            return obj.headline
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.headline)

    def changelist_view(self, request, extra_context=None):
        return in_newsroom_zone(super().changelist_view)(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
