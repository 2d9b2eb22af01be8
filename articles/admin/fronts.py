"""Fronts: their packages and placements, the ordering screen and the preview at a time."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..invalidation import front_changed
from ..models import Front, Package, Placement
from ..models.fronts import MAX_POSITION
from ..previews import mark_private
from ..times import desk_time, newsroom_zone
from ..views import HomeView, SectionView
from .images import thumbnail_html
from .workflow import in_newsroom_zone


def group_key(placement: Placement):
    return placement.package_id


class UniquePositionsFormSet(forms.BaseModelFormSet):
    """Placements' positions, unique within each package (and within the line-up)."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            instance = form.instance
            if instance.article_id is None:  # an extra form left empty
                continue
            key = (group_key(instance), form.cleaned_data.get("position"))
            if key in seen:
                raise ValidationError(
                    _("Two placements of one package share position %(position)s."),
                    code="position_taken",
                    params={"position": key[1]},
                )
            seen[key] = form


class PlacementInlineFormSet(UniquePositionsFormSet, forms.BaseInlineFormSet):
    pass


class PackageInline(admin.TabularInline):
    model = Package
    fields = ["name", "position"]
    extra = 0


class PlacementInline(admin.StackedInline):
    """A front's placements; reorder them on the front's ordering screen."""

    model = Placement
    formset = PlacementInlineFormSet
    autocomplete_fields = ["article", "image"]
    fields = [
        ("package", "position"),
        "article",
        ("headline", "dek"),
        ("image", "image_crop"),
        ("starts_at", "ends_at"),
    ]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "image", "package")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "package":
            # Only the packages of the front being edited (none before it is saved).
            front = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Package.objects.filter(front=front if front else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PreviewForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Show the front as readers see it at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the newsroom's time zone. Empty: now."),
    )


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    list_display = ["__str__", "placement_count", "ordering_link"]
    list_select_related = ["section"]
    autocomplete_fields = ["section"]
    inlines = [PackageInline, PlacementInline]
    readonly_fields = ["ordering_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_placements=Count("placements"))

    @admin.display(description=_("placements"), ordering="_placements")
    def placement_count(self, obj: Front) -> int:
        return obj._placements

    @admin.display(description=_("order and preview"))
    def ordering_link(self, obj: Front):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_front_order", args=[obj.pk]),
            _("Order the placements, preview the front"),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return in_newsroom_zone(super().changeform_view)(
            request, object_id, form_url, extra_context
        )

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<path:object_id>/order/",
                wrap(in_newsroom_zone(self.order_view)),
                name="articles_front_order",
            ),
            path(
                "<path:object_id>/preview/", wrap(self.preview_view), name="articles_front_preview"
            ),
            *super().get_urls(),
        ]

    def _front(self, request, object_id, *, change: bool) -> Front:
        front = self.get_object(request, object_id)
        if front is None:
            raise Http404
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, front):
            raise PermissionDenied
        return front

    def order_view(self, request, object_id):
        """Reorder a front's placements: drag, Move up/down buttons, or the position fields."""
        front = self._front(request, object_id, change=True)
        OrderFormSet = forms.modelformset_factory(
            Placement, fields=["position"], formset=UniquePositionsFormSet, extra=0
        )
        placements = front.placements.select_related(
            "article__lead_image", "image", "package"
        ).order_by(F("package__position").asc(nulls_first=True), "package_id", "position", "pk")
        formset = OrderFormSet(request.POST or None, queryset=placements)
        if request.method == "POST" and formset.is_valid():
            try:
                self._save_order(front, formset)
            except IntegrityError:  # a placement added or moved meanwhile
                messages.error(request, _("The front changed meanwhile; here is its new order."))
            else:
                messages.success(request, _("The new order is on the front."))
            return HttpResponseRedirect(request.path)
        groups = {}
        for form in formset.forms:
            placement = form.instance
            photo = placement.image or placement.article.lead_image
            label = placement.package.name if placement.package_id else _("Lead and top stories")
            groups.setdefault(group_key(placement), (label, []))[1].append(
                {
                    "form": form,
                    "placement": placement,
                    "thumbnail": thumbnail_html(photo, 64),
                    "window": self._window(placement),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": front,
            "title": _("Order of %(front)s") % {"front": front},
            "formset": formset,
            "groups": list(groups.values()),
            "preview_form": PreviewForm(),
            "preview_url": reverse("admin:articles_front_preview", args=[front.pk]),
        }
        return TemplateResponse(request, "articles/admin/front_order.html", context)

    @staticmethod
    def _window(placement: Placement) -> str:
        start, end = desk_time(placement.starts_at), desk_time(placement.ends_at)
        if start and end:
            return _("%(start)s to %(end)s") % {"start": start, "end": end}
        if start:
            return _("from %(start)s") % {"start": start}
        return _("until %(end)s") % {"end": end} if end else ""

    @staticmethod
    def _save_order(front: Front, formset) -> None:
        # The unique position holds at every row, so a swap cannot be written in place:
        # park the rows above any position an editor may give, then write the new order.
        moved = [form.instance for form in formset.forms]
        parked = [
            Placement(pk=placement.pk, position=MAX_POSITION + 1 + i)
            for i, placement in enumerate(moved)
        ]
        with transaction.atomic():
            Placement.objects.bulk_update(parked, ["position"])
            Placement.objects.bulk_update(moved, ["position"])
            front_changed(front.pk)  # the updates above send no signals

    def preview_view(self, request, object_id):
        """Render the front's page as readers would see it at ``?at=`` (never cached)."""
        front = self._front(request, object_id, change=False)
        with timezone.override(newsroom_zone()):
            form = PreviewForm(request.GET)
            valid = form.is_valid()
        if not valid:
            return HttpResponseBadRequest(" ".join(form.errors["at"]), content_type="text/plain")
        at = form.cleaned_data["at"] or timezone.now()
        shown = {"preview": "front", "preview_state": desk_time(at)}
        if front.section_id:
            view = SectionView.as_view(clock=at, extra_context=shown)
            response = view(request, slug=front.section.slug)
        else:
            response = HomeView.as_view(clock=at, extra_context=shown)(request)
        return mark_private(response.render())
