"""The photo library's screens: upload, credits, rights, focal point and where photos are used."""

from __future__ import annotations

import json
import os

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..conf import app_settings
from ..forms import PublishableTextField
from ..invalidation import images_changed
from ..models import Article, BodyPhoto, Image, LicenceKind, RenditionsStatus
from ..tasks import schedule_renditions
from .changelist import ChangelistInputMixin
from .chooser import PhotoChooserMixin
from .dates import CalendarHierarchyMixin
from .notices import SavedTextNoticeMixin
from .times import time_column


def thumbnail_html(image: Image | None, size: int = 120):
    if not image or not image.file:
        return "—"
    return format_html(
        '<figure class="articles-thumbnail"><img src="{}" alt="{}" width="{}">'
        "<figcaption><small>{}</small></figcaption></figure>",
        image.desk_url(size * 2),
        image.alt_text,
        size,
        image.credit,
    )


class ImageAdminForm(forms.ModelForm):
    # A plain file field: the model's validator decodes and verifies the upload and
    # gives the precise reason (bomb, polyglot, truncated...), where Django's
    # ImageField would answer every failure with the same generic message.
    file = forms.FileField(
        label=_("file"),
        help_text=Image._meta.get_field("file").help_text,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    licence_url = forms.URLField(
        label=_("licence URL"),
        required=False,
        assume_scheme="https",
        help_text=Image._meta.get_field("licence_url").help_text,
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "caption",
            "alt_text",
            "credit",
            "creator",
            "copyright_notice",
            "source",
            "date_created",
            "licence_kind",
            "licence_url",
            "rights_expire_on",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }


class RightsFilter(admin.SimpleListFilter):
    title = _("rights")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            (
                "expiring",
                _("Expire within %(days)d days") % {"days": app_settings.IMAGE_RIGHTS_WARNING_DAYS},
            ),
            ("expired", _("Expired (hidden from readers)")),
            ("unlimited", _("No expiry date")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "expiring":
            return queryset.expiring().order_by("rights_expire_on", "pk")
        if value == "expired":
            return queryset.expired()
        if value == "unlimited":
            return queryset.filter(rights_expire_on__isnull=True)
        return queryset


class BulkCreditForm(forms.Form):
    # ``update()`` skips the model fields' cleaning: the form refuses what feeds cannot carry.
    credit = PublishableTextField(label=_("credit"), max_length=200, single_line=True)


class BulkCopyrightForm(forms.Form):
    copyright_notice = PublishableTextField(
        label=_("copyright notice"), max_length=200, single_line=True
    )


class BulkLicenceForm(forms.Form):
    licence_kind = forms.ChoiceField(label=_("licence"), choices=LicenceKind.choices)
    licence_url = forms.URLField(label=_("licence URL"), required=False, assume_scheme="https")
    rights_expire_on = forms.DateField(
        label=_("rights expire on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep each photo's own date."),
    )

    def clean(self):
        data = super().clean()
        if data.get("licence_kind") == LicenceKind.CREATIVE_COMMONS and not data.get("licence_url"):
            self.add_error("licence_url", _("Give the Creative Commons licence's URL."))
        return data


@admin.register(Image)
class ImageAdmin(
    SavedTextNoticeMixin,
    ChangelistInputMixin,
    CalendarHierarchyMixin,
    PhotoChooserMixin,
    admin.ModelAdmin,
):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "caption",
        "credit",
        "licence_kind",
        "rights_expire_on",
        "used_in_list",
        "dimensions",
        "renditions_state",
        "uploaded",
    ]
    list_display_links = ["thumbnail", "caption"]
    list_filter = [RightsFilter, "licence_kind", "format", "renditions_status"]
    search_fields = ["caption", "credit", "creator", "alt_text", "source", "copyright_notice"]
    readonly_fields = [
        "focal_point_picker",
        "file_facts",
        "renditions_state",
        "duplicates_of",
        "uploaded",
        "used_in",
        "embedded_metadata",
    ]
    date_hierarchy = "uploaded_at"
    actions = ["set_credit", "set_copyright", "set_licence", "retry_renditions"]
    fieldsets = [
        (None, {"fields": ["file", "file_facts", "renditions_state", "duplicates_of"]}),
        (_("Caption and credit"), {"fields": ["caption", "alt_text", "credit", "creator"]}),
        (
            _("Rights"),
            {
                "fields": [
                    "copyright_notice",
                    "source",
                    "date_created",
                    "licence_kind",
                    "licence_url",
                    "rights_expire_on",
                ]
            },
        ),
        (_("Focal point"), {"fields": ["focal_point_picker", "focal_x", "focal_y"]}),
        (_("Use"), {"fields": ["used_in", "uploaded"]}),
        (_("Embedded metadata"), {"fields": ["embedded_metadata"], "classes": ["collapse"]}),
    ]

    uploaded = time_column("uploaded_at", _("uploaded at"))

    class Media:
        js = ["articles/admin/focal-point.js"]
        css = {"all": ["articles/admin/focal-point.css", "articles/admin/photos.css"]}

    def get_queryset(self, request):
        stories = Article.objects.only("pk", "headline", "lead_image_id").order_by("-pk")
        return (
            super()
            .get_queryset(request)
            .defer("metadata")
            .prefetch_related(
                Prefetch("lead_for", queryset=stories),
                Prefetch(
                    "body_of",
                    queryset=BodyPhoto.objects.select_related("article")
                    .only("image_id", "article__id", "article__headline")
                    .order_by("-article_id"),
                ),
            )
        )

    def get_urls(self):
        # Before the model admin's own: its "<path:object_id>/" would match it.
        view = self.admin_site.admin_view(self.original_view)
        return [
            path("original/<path:name>", view, name="articles_image_original"),
            *super().get_urls(),
        ]

    def original_view(self, request, name: str):
        """Send an uploaded original, embedded data and all, to the desk (never to readers).

        Originals live where no web server serves them (``articles/storage.py``);
        this view is their only address: staff with the photo's view permission.
        """
        image = Image.objects.filter(file=name).only("pk", "file").first()
        if image is None or not self.has_view_permission(request, image):
            raise Http404(_("No such photo."))
        try:
            file = image.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The photo's file is missing from storage.")) from None
        # The type follows the file's extension, which is the format it decoded as.
        # The admin's views are never cached (private, no-store). Opened on its own,
        # the file may run nothing, whatever a browser makes of it.
        response = FileResponse(file, filename=os.path.basename(name))
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule_renditions(obj)
        if "file" in form.changed_data:
            for other in obj.duplicates()[:5]:
                self.message_user(
                    request,
                    format_html(
                        'The same file is already in the library: <a href="{}">{}</a>. '
                        "Check how it was used before.",
                        other.admin_url(),
                        str(other),
                    ),
                    messages.WARNING,
                )

    # --- Read-only panels --------------------------------------------------------

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: Image):
        return thumbnail_html(obj, size=100)

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description=_("file"))
    def file_facts(self, obj: Image) -> str:
        if not obj.width:
            return "—"
        return _("%(format)s, %(w)d × %(h)d pixels, %(size)s") % {
            "format": obj.format or "?",
            "w": obj.width,
            "h": obj.height,
            "size": filesizeformat(obj.file_size),
        }

    @admin.display(description=_("renditions"), ordering="renditions_status")
    def renditions_state(self, obj: Image):
        if not obj.pk:
            return "—"
        if obj.renditions_status == RenditionsStatus.FAILED:
            return format_html(
                '<strong class="renditions-failed">{}</strong>',
                _("Failed: %(reason)s") % {"reason": obj.renditions_error},
            )
        return obj.get_renditions_status_display()

    @admin.display(description=_("same file also in the library as"))
    def duplicates_of(self, obj: Image):
        others = list(obj.duplicates()[:10]) if obj.pk else []
        if not others:
            return "—"
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((other.admin_url(), str(other)) for other in others)
        )

    @admin.display(description=_("focal point"))
    def focal_point_picker(self, obj: Image):
        if not obj.pk or not obj.file:
            return _("Save the photo first; then click on it to set the focal point.")
        return format_html(
            '<div class="focal-point-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-point-marker" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            obj.focal_x,
            obj.focal_y,
            obj.desk_url(640),
            obj.width,
            obj.height,
            _(
                "Click on the photo at the point every crop must keep, or type the "
                "percentages below."
            ),
        )

    def _story_links(self, stories):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[s.pk]), s.headline) for s in stories),
        )

    def _uses(self, obj: Image, limit: int):
        lead = list(obj.lead_for.all())[:limit]
        body = [row.article for row in obj.body_of.all()][:limit]
        return lead, body

    @admin.display(description=_("used in"))
    def used_in(self, obj: Image):
        if not obj.pk:
            return "—"
        lead, body = self._uses(obj, 20)
        parts = []
        if lead:
            parts.append(format_html("{} {}", _("Lead photo of:"), self._story_links(lead)))
        if body:
            parts.append(format_html("{} {}", _("In the body of:"), self._story_links(body)))
        return format_html_join(mark_safe("<br>"), "{}", ((p,) for p in parts)) or "—"

    @admin.display(description=_("used in"))
    def used_in_list(self, obj: Image):
        lead, body = self._uses(obj, 5)
        seen = {story.pk: story for story in [*lead, *body]}
        return self._story_links(list(seen.values())[:5]) or "—"

    @admin.display(description=_("values found in the file"))
    def embedded_metadata(self, obj: Image):
        if not obj.metadata:
            return "—"
        return format_html(
            '<pre class="articles-metadata">{}</pre>',
            json.dumps(obj.metadata, ensure_ascii=False, indent=1),
        )

    # --- Bulk actions -------------------------------------------------------------

    def _bulk_update(self, request, queryset, form_class, title):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                values = {k: v for k, v in form.cleaned_data.items() if v not in (None,)}
                if "rights_expire_on" in form.fields and values.get("rights_expire_on") is None:
                    values.pop("rights_expire_on", None)
                ids = list(queryset.values_list("pk", flat=True))
                count = queryset.update(**values)
                images_changed(ids)  # update() sends no post_save
                self.message_user(
                    request,
                    ngettext("%(n)d photo updated.", "%(n)d photos updated.", count) % {"n": count},
                    messages.SUCCESS,
                )
                return None
        else:
            form = form_class()
        return TemplateResponse(
            request,
            "admin/articles/image/bulk_update.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "photos": queryset,
                "action": request.POST.get("action"),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Set the credit of the selected photos"), permissions=["change"])
    def set_credit(self, request, queryset):
        return self._bulk_update(request, queryset, BulkCreditForm, _("Set the credit"))

    @admin.action(
        description=_("Set the copyright notice of the selected photos"), permissions=["change"]
    )
    def set_copyright(self, request, queryset):
        return self._bulk_update(
            request, queryset, BulkCopyrightForm, _("Set the copyright notice")
        )

    @admin.action(
        description=_("Retry the renditions of the selected photos"), permissions=["change"]
    )
    def retry_renditions(self, request, queryset):
        count = sum(schedule_renditions(photo) for photo in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d photo queued for processing.", "%(n)d photos queued for processing.", count
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Set the licence of the selected photos"), permissions=["change"])
    def set_licence(self, request, queryset):
        return self._bulk_update(request, queryset, BulkLicenceForm, _("Set the licence"))
