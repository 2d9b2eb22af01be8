"""The tag desk: counts, renames, merges, near-duplicates and clean-up of the vocabulary."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..duplicates import duplicate_groups
from ..forms import PublishableTextField
from ..models import Tag, TaggedArticle, TagMerge, TagRedirect
from ..text import normalise_name, tag_key
from .changelist import ChangelistInputMixin
from .dates import CalendarHierarchyMixin
from .notices import SavedTextNoticeMixin
from .times import time_column

SUGGESTIONS = 10


def merge_url(tag_ids) -> str:
    """Return the merge screen's address for these tags."""
    query = urlencode({"ids": ",".join(str(pk) for pk in tag_ids)})
    return f"{reverse('admin:articles_tag_merge')}?{query}"


class MergeForm(forms.Form):
    kept = forms.ModelChoiceField(
        label=_("Keep this tag"),
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Its stories, and those of the other tags, all end up under it."),
    )
    new_name = PublishableTextField(
        single_line=True,
        label=_("Rename the kept tag to"),
        max_length=100,
        required=False,
        help_text=_("Optional. Leave empty to keep its current name."),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = tags
        self.fields["kept"].queryset = Tag.objects.filter(pk__in=[tag.pk for tag in tags])
        self.fields["kept"].label_from_instance = lambda tag: tag.name

    def clean_new_name(self) -> str:
        name = normalise_name(self.cleaned_data["new_name"])
        if not name:
            return ""
        clash = (
            Tag.objects.filter(key=tag_key(name)).exclude(pk__in=[t.pk for t in self.tags]).first()
        )
        if clash:
            raise forms.ValidationError(
                _("“%(name)s” is another tag; add it to the merge instead."),
                code="duplicate_tag",
                params={"name": clash.name},
            )
        return name


class TagRedirectInline(admin.TabularInline):
    model = TagRedirect
    fields = ["old_slug", "created"]
    readonly_fields = ["old_slug", "created"]
    extra = 0
    can_delete = True
    verbose_name_plural = _("old addresses that redirect here")
    created = time_column("created_at", _("created"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(SavedTextNoticeMixin, ChangelistInputMixin, admin.ModelAdmin):
    list_display = ["name", "public_link", "published_count", "article_count"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "public_link"]
    readonly_fields = ["public_link"]
    inlines = [TagRedirectInline]
    actions = ["merge_tags", "delete_unused"]
    change_list_template = "admin/articles/tag/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # taggit's plain CharFields: refuse what feeds cannot carry, as our own fields do.
        if db_field.name in {"name", "description"}:
            kwargs.update(form_class=PublishableTextField, single_line=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("merge/", view(self.merge_view), name="articles_tag_merge"),
            path("duplicates/", view(self.duplicates_view), name="articles_tag_duplicates"),
            path("suggest/", view(self.suggest_view), name="articles_tag_suggest"),
            *super().get_urls(),
        ]

    @admin.display(description=_("published stories"), ordering="published_count")
    def published_count(self, obj: Tag) -> int:
        return obj.published_count

    @admin.display(description=_("all stories"), ordering="article_count")
    def article_count(self, obj: Tag) -> int:
        return obj.article_count

    @admin.display(description=_("page"))
    def public_link(self, obj: Tag):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.slug)

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            obj.rename(obj.name)
            if "description" in form.changed_data:
                obj.save(update_fields=["description"])
        else:
            super().save_model(request, obj, form, change)

    # Actions

    @admin.action(description=_("Merge the selected tags…"), permissions=["change", "delete"])
    def merge_tags(self, request, queryset):
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        return HttpResponseRedirect(merge_url(ids))

    @admin.action(description=_("Delete the selected tags no story uses"), permissions=["delete"])
    def delete_unused(self, request, queryset):
        unused = queryset.model.objects.filter(pk__in=queryset.values("pk")).unused()
        deleted, kept = unused.count(), queryset.count()
        unused.delete()
        kept -= deleted
        self.message_user(
            request,
            ngettext("%(n)d unused tag deleted.", "%(n)d unused tags deleted.", deleted)
            % {"n": deleted},
            messages.SUCCESS,
        )
        if kept:
            self.message_user(
                request,
                ngettext(
                    "%(n)d selected tag is still in use and was kept.",
                    "%(n)d selected tags are still in use and were kept.",
                    kept,
                )
                % {"n": kept},
                messages.WARNING,
            )

    # Views

    def _check(self, request, *permissions) -> None:
        checks = {"change": self.has_change_permission, "delete": self.has_delete_permission}
        if not all(checks[name](request) for name in permissions):
            raise PermissionDenied

    def merge_view(self, request):
        self._check(request, "change", "delete")
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        tags = list(Tag.objects.filter(pk__in=ids).with_counts().order_by("-article_count"))
        changelist = reverse("admin:articles_tag_changelist")
        if len(tags) < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return HttpResponseRedirect(changelist)
        form = MergeForm(
            request.POST if request.method == "POST" else None,
            tags=tags,
            initial={"kept": tags[0].pk},
        )
        if form.is_valid():
            kept = form.cleaned_data["kept"]
            with transaction.atomic():
                record = Tag.objects.filter(pk__in=[t.pk for t in tags]).merge_into(
                    kept, user=request.user
                )
                if form.cleaned_data["new_name"]:
                    kept.rename(form.cleaned_data["new_name"])
                    TagMerge.objects.filter(pk=record.pk).update(kept_name=kept.name)
            self.message_user(
                request,
                ngettext(
                    "Merged into “%(name)s”: %(n)d story now carries it.",
                    "Merged into “%(name)s”: %(n)d stories now carry it.",
                    record.article_count,
                )
                % {"name": kept.name, "n": record.article_count},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_tag_change", args=[kept.pk]))
        affected = (
            TaggedArticle.objects.filter(tag__in=tags).values("content_object").distinct().count()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge tags"),
            "tags": tags,
            "form": form,
            "ids": ",".join(str(t.pk) for t in tags),
            "affected": affected,
        }
        return TemplateResponse(request, "admin/articles/tag/merge.html", context)

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        tags = {tag.pk: tag for tag in Tag.objects.with_counts().order_by("-article_count", "pk")}
        groups = [
            {"tags": [tags[pk] for pk in group], "merge_url": merge_url(group)}
            for group in duplicate_groups((tag.pk, tag.name) for tag in tags.values())
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Likely duplicate tags"),
            "groups": groups,
            "can_merge": self.has_change_permission(request)
            and self.has_delete_permission(request),
        }
        return TemplateResponse(request, "admin/articles/tag/duplicates.html", context)

    def suggest_view(self, request):
        """Return existing tag names for the article form's tag input, most used first."""
        key = tag_key(request.GET.get("q", ""))
        if not key:
            return JsonResponse({"results": []})
        found = (
            Tag.objects.filter(Q(key__startswith=key) | Q(key__contains=f" {key}"))
            .with_counts()
            .order_by("-article_count", "name")
            .values_list("name", flat=True)[:SUGGESTIONS]
        )
        return JsonResponse({"results": list(found)})


@admin.register(TagMerge)
class TagMergeAdmin(ChangelistInputMixin, CalendarHierarchyMixin, admin.ModelAdmin):
    list_display = ["merged", "kept_name", "merged_list", "article_count", "merged_by"]
    list_select_related = ["merged_by"]
    search_fields = ["kept_name"]
    date_hierarchy = "merged_at"
    merged = time_column("merged_at", _("merged at"))

    @admin.display(description=_("merged tags"))
    def merged_list(self, obj: TagMerge) -> str:
        return ", ".join(obj.merged_names)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
