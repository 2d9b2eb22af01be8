"""The editor's related links inline: ordered by dragging or by keyboard."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import RelatedLink


class RelatedLinkInline(admin.TabularInline):
    """Links in the order readers see them; rows move by drag and drop or Move up/down buttons.

    The script only rewrites the position fields, so the form still works without it.
    """

    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target", "image"]
    fields = ["position", "target", "url", "title", "image"]
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    verbose_name_plural = _("related links (in order; drag rows or use Move up/down)")

    class Media:
        js = ["articles/admin/related-order.js"]
        css = {"all": ["articles/admin/related-order.css"]}
