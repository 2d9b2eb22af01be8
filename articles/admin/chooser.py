"""The photo desk: a chooser to find, upload and pick photos, and the lead-photo widget.

The chooser is an admin page built to be shown in a dialog (``?_popup=1``); picking a
photo posts it to the opener (see ``static/articles/admin/photo-chooser.js`` and
Contract B in the project's notes). Uploads are checked and staged first
(``articles.staging``), so the editor reviews the caption and credit the file carries
before the photo exists.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django import forms
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import imaging, staging
from ..conf import app_settings
from ..models import Image

THUMBNAIL_WIDTH = 320
RECENT_DAYS = 7
FILTERS = {
    "mine": _("Uploaded by me"),
    "recent": _("Last 7 days"),
    "expiring": _("Rights expiring"),
}
FROM_FILE = staging.TEXT_FIELDS


def photo_data(image: Image) -> dict:
    """Return the chooser's description of a photo (``PHOTO`` in Contract B)."""
    return {
        "id": image.pk,
        "thumbnail_url": image.desk_url(THUMBNAIL_WIDTH),
        "caption": image.caption,
        "credit": image.credit,
        "alt_text": image.alt_text,
        "width": image.width,
        "height": image.height,
        "admin_url": image.admin_url(),
        "renditions_ready": image.renditions_ready,
    }


def uploaded_by(user) -> models.QuerySet:
    """Return the ids of the photos ``user`` added through the admin (its change history).

    The photo has no uploader field (adding one needs a migration); the admin's own log
    records every addition made through the admin, including the chooser's uploads.
    """
    return (
        LogEntry.objects.filter(
            user_id=user.pk,
            action_flag=ADDITION,
            content_type=ContentType.objects.get_for_model(Image),
        )
        .annotate(photo_id=Cast("object_id", models.BigIntegerField()))
        .values("photo_id")
    )


def search_photos(queryset, query: str):
    """Return the photos whose caption, alt text, credit or creator contain every word."""
    for word in query.split():
        queryset = queryset.filter(
            Q(caption__icontains=word)
            | Q(alt_text__icontains=word)
            | Q(credit__icontains=word)
            | Q(creator__icontains=word)
        )
    return queryset


def filter_photos(queryset, name: str, user):
    """Apply one of the chooser's ``FILTERS`` (unknown names change nothing)."""
    if name == "mine":
        return queryset.filter(pk__in=uploaded_by(user))
    if name == "recent":
        return queryset.filter(uploaded_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
    if name == "expiring":
        return queryset.expiring().order_by("rights_expire_on", "-pk")
    return queryset


class PhotoReviewForm(forms.ModelForm):
    """One staged upload's caption, credit and rights, pre-filled from the file."""

    token = forms.CharField(widget=forms.HiddenInput)
    licence_url = forms.URLField(
        label=capfirst(_("licence URL")),
        required=False,
        assume_scheme="https",
        help_text=Image._meta.get_field("licence_url").help_text,
    )

    class Meta:
        model = Image
        fields = [
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
        ]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "date_created": forms.DateInput(attrs={"type": "date"}),
            "rights_expire_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, owner: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.staged_file = None

    def clean(self):
        data = super().clean()
        token = data.get("token")
        if token:
            self.staged_file = staging.open_staged(token, self.owner)
            # Checked when staged; checked again, as the file comes back from storage.
            imaging.inspect_photo(self.staged_file)
            self.instance.file = self.staged_file
        return data

    def close(self) -> None:
        if self.staged_file is not None:
            self.staged_file.close()


ReviewFormSet = forms.formset_factory(PhotoReviewForm, extra=0)


class PhotoChooserMixin:
    """The chooser's views, for the photo admin (``ImageAdmin``)."""

    chooser_template = "admin/articles/image/chooser.html"
    upload_template = "admin/articles/image/upload.html"
    review_template = "admin/articles/image/review.html"
    chosen_template = "admin/articles/image/chosen.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        # Before the model admin's own: its "<path:object_id>/" would match these.
        return [
            path("chooser/", wrap(self.chooser_view), name="{}_{}_chooser".format(*info)),
            path(
                "chooser/<int:pk>/",
                wrap(self.chooser_photo_view),
                name="{}_{}_chooser_photo".format(*info),
            ),
            path(
                "chooser/upload/",
                wrap(self.chooser_upload_view),
                name="{}_{}_chooser_upload".format(*info),
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # "Add photo" starts with the upload step, so the file's metadata is reviewed
        # before saving. A complete form posted with its file is still accepted.
        if request.method == "GET" and IS_POPUP_VAR not in request.GET:
            return self.chooser_upload_view(request)
        return super().add_view(request, form_url, extra_context)

    def _context(self, request, **extra) -> dict:
        popup = IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "is_popup": popup,
            "is_popup_var": IS_POPUP_VAR,
            "can_upload": self.has_add_permission(request),
            "chooser_url": reverse("admin:articles_image_chooser"),
            "upload_url": reverse("admin:articles_image_chooser_upload"),
            "max_upload_bytes": app_settings.IMAGE_MAX_UPLOAD_BYTES,
            **extra,
        }

    def chooser_view(self, request):
        """List photos as a thumbnail grid to search, filter, page through and pick."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        active = request.GET.get("filter", "")
        active = active if active in FILTERS else ""
        photos = search_photos(Image.objects.defer("metadata"), query)
        photos = filter_photos(photos, active, request.user)
        page = Paginator(photos, app_settings.IMAGE_CHOOSER_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = self._context(
            request,
            title=_("Choose a photo"),
            query=query,
            active_filter=active,
            filters=list(FILTERS.items()),
            page_obj=page,
            photos=[
                {
                    "photo": (data := photo_data(image)),
                    "json": json.dumps(data),
                    "expires": image.rights_expire_on,
                }
                for image in page
            ],
            focus_upload="upload" in request.GET,
        )
        return TemplateResponse(request, self.chooser_template, context)

    def chooser_photo_view(self, request, pk: int):
        """Return one photo as the chooser describes it (JSON), for preview cards."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image = Image.objects.defer("metadata").filter(pk=pk).first()
        if image is None:
            raise Http404(_("No photo with this number."))
        return JsonResponse(photo_data(image))

    def chooser_upload_view(self, request):
        """Upload step (check and stage files), then review step (pre-filled forms), then save."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        owner = f"user:{request.user.pk}"
        if request.method != "POST":
            return self._upload_response(request, [])
        if request.POST.get("step") == "review":
            formset = ReviewFormSet(request.POST, form_kwargs={"owner": owner})
            try:
                if formset.is_valid():
                    return self._save_reviewed(request, formset, owner)
            finally:
                for form in formset:
                    form.close()
            return self._review_response(request, formset, owner, [])
        staged, refused = [], []
        for upload in request.FILES.getlist("files"):
            try:
                staged.append(staging.stage_photo(upload, owner))
            except ValidationError as error:
                refused.append((upload.name, error.messages))
        if not staged:
            if not refused:
                refused.append(("", [_("Choose one or more photo files to upload.")]))
            return self._upload_response(request, refused)
        initial = []
        for photo in staged:
            values = {"token": photo.token, "date_created": photo.metadata["date_created"]}
            for field in FROM_FILE:
                values[field] = photo.metadata[field][: Image._meta.get_field(field).max_length]
            initial.append(values)
        formset = ReviewFormSet(initial=initial, form_kwargs={"owner": owner})
        return self._review_response(request, formset, owner, refused, staged)

    def _upload_response(self, request, refused):
        context = self._context(request, title=_("Upload photos"), refused=refused)
        return TemplateResponse(
            request, self.upload_template, context, status=400 if refused else 200
        )

    def _review_response(self, request, formset, owner, refused, staged=None):
        items = []
        for n, form in enumerate(formset):
            item = {"form": form, "from_file": [], "duplicates": []}
            try:
                photo = staged[n] if staged else staging.staged_photo(form["token"].value(), owner)
            except ValidationError as error:
                item["missing"] = error.messages
            else:
                item.update(
                    photo=photo,
                    from_file=[
                        Image._meta.get_field(field).verbose_name
                        for field in FROM_FILE
                        if photo.metadata[field]
                    ],
                    duplicates=list(
                        Image.objects.filter(content_hash=photo.facts.sha256).defer("metadata")[:5]
                    ),
                )
            items.append(item)
        context = self._context(
            request,
            title=_("Check the photos’ captions and credits"),
            formset=formset,
            items=items,
            refused=refused,
        )
        return TemplateResponse(request, self.review_template, context)

    def _save_reviewed(self, request, formset, owner):
        images = []
        with transaction.atomic():
            for form in formset:
                self.save_model(request, form.instance, form, change=False)
                self.log_addition(request, form.instance, [{"added": {}}])
                images.append(form.instance)
            tokens = [form.cleaned_data["token"] for form in formset]
            transaction.on_commit(
                lambda: [staging.discard_staged(token, owner) for token in tokens]
            )
        self.message_user(
            request,
            ngettext("%(n)d photo saved.", "%(n)d photos saved.", len(images)) % {"n": len(images)},
        )
        popup = IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET
        if popup and len(images) == 1:
            context = self._context(
                request, title=_("Photo chosen"), photo_json=json.dumps(photo_data(images[0]))
            )
            return TemplateResponse(request, self.chosen_template, context)
        if popup:
            return HttpResponseRedirect(
                reverse("admin:articles_image_chooser") + "?" + urlencode({IS_POPUP_VAR: 1})
            )
        if len(images) == 1:
            return HttpResponseRedirect(images[0].admin_url())
        return HttpResponseRedirect(reverse("admin:articles_image_changelist"))


class PhotoChooserWidget(forms.NumberInput):
    """A photo field as a card (thumbnail, caption, credit) with Choose, Upload and Remove.

    Without JavaScript it is the number input it is built on: the photo's number.
    """

    template_name = "articles/admin/widgets/photo_chooser.html"

    class Media:
        js = ["articles/admin/photo-chooser.js", "articles/admin/lead-photo.js"]
        css = {"all": ["articles/admin/photo-chooser.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = None
        if value not in (None, "") and str(value).isdigit():
            photo = Image.objects.defer("metadata").filter(pk=value).first()
        context["photo"] = photo_data(photo) if photo else None
        context["chooser_url"] = (
            reverse("admin:articles_image_chooser") + "?" + urlencode({IS_POPUP_VAR: 1})
        )
        return context
