"""The tag desk's part of the article screens: bulk tagging and related suggestions.

Kept apart from ``articles.py`` so the article admin stays about articles;
``ArticleAdmin`` mixes ``ArticleTagDeskMixin`` in.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Max
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..conf import app_settings
from ..invalidation import stories_changed
from ..models import Article, RelatedLink, Tag, TaggedArticle
from ..models.suggestions import suggest_related
from ..text import tag_key


class TagActionForm(helpers.ActionForm):
    """The changelist's action bar, with a box for the tag actions' names."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("for the tag actions: a, b, c")}),
    )


class ArticleTagDeskMixin:
    """Bulk add/remove tags, tag suggestions while typing, and related-story suggestions."""

    action_form = TagActionForm
    tag_actions = ("add_tags", "remove_tags")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not actions or IS_POPUP_VAR in request.GET or not self.has_change_permission(request):
            return actions
        for name in self.tag_actions:
            func, name, description = self.get_action(name)
            actions[name] = (func, name, description)
        return actions

    def get_urls(self):
        pin = self.admin_site.admin_view(self.pin_related_view)
        return [
            path("<path:object_id>/pin-related/", pin, name="articles_article_pin_related"),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags" and formfield is not None:
            formfield.widget.attrs.update(
                {
                    "data-tag-suggest-url": reverse("admin:articles_tag_suggest"),
                    "autocomplete": "off",
                }
            )
        return formfield

    # Bulk tagging

    def _tag_names(self, request) -> list[str]:
        field = Article._meta.get_field("tags").formfield(required=False)
        try:
            names = field.clean(request.POST.get("tags", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return []
        if not names:
            self.message_user(
                request,
                _("Type the tags in the “Tags” box, then run the action."),
                messages.WARNING,
            )
        return names

    @staticmethod
    def _touch(article_ids) -> None:
        # The stories changed: feeds and sitemaps read updated_at, and a form opened
        # before the bulk edit must meet a conflict instead of saving the old tags back.
        Article.objects.filter(pk__in=article_ids).update(
            updated_at=timezone.now(), version=F("version") + 1
        )
        stories_changed(article_ids)  # update() sends no signal: cached pages must go

    @admin.action(
        description=_("Add the tags in the box to the selected stories"), permissions=["change"]
    )
    def add_tags(self, request, queryset):
        names = self._tag_names(request)
        if not names:
            return
        tags = Tag.objects.for_names(names)
        ids = list(queryset.values_list("pk", flat=True))
        have = set(
            TaggedArticle.objects.filter(content_object_id__in=ids, tag__in=tags).values_list(
                "content_object_id", "tag_id"
            )
        )
        new = [
            TaggedArticle(content_object_id=pk, tag=tag)
            for pk in ids
            for tag in tags
            if (pk, tag.pk) not in have
        ]
        TaggedArticle.objects.bulk_create(new, batch_size=500)
        self._touch({link.content_object_id for link in new})
        self.message_user(
            request,
            ngettext(
                "Added %(tags)s: %(n)d story tagged.",
                "Added %(tags)s: %(n)d stories tagged.",
                len(ids),
            )
            % {"tags": ", ".join(tag.name for tag in tags), "n": len(ids)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Remove the tags in the box from the selected stories"),
        permissions=["change"],
    )
    def remove_tags(self, request, queryset):
        names = self._tag_names(request)
        if not names:
            return
        links = TaggedArticle.objects.filter(
            content_object__in=queryset, tag__key__in=[tag_key(name) for name in names]
        )
        touched = set(links.values_list("content_object_id", flat=True))
        links.delete()
        self._touch(touched)
        self.message_user(
            request,
            ngettext(
                "Removed the tags from %(n)d story.",
                "Removed the tags from %(n)d stories.",
                len(touched),
            )
            % {"n": len(touched)},
            messages.SUCCESS,
        )

    # Related suggestions

    def _suggestions_field(self, request, obj) -> str:
        # Someone who may not change the story sees the suggestions without "Pin" buttons.
        if self.has_change_permission(request, obj):
            return "related_suggestions"
        return "related_suggestions_to_read"

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.pk:
            field = self._suggestions_field(request, obj)
            description = _(
                "What the story's related module adds after your own links, best first."
            )
            if field == "related_suggestions":
                description = _(
                    "What the story's related module adds after your own links, "
                    "best first. Pin one to make it a link of yours."
                )
            fieldsets.append(
                (
                    _("Suggested related stories"),
                    {"fields": [field], "description": description},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk:
            fields.append(self._suggestions_field(request, obj))
        return fields

    def _suggestions_html(self, obj: Article, pin_url: str = "") -> str:
        linked = obj.related_links.exclude(target=None).values_list("target_id", flat=True)
        suggestions = suggest_related(obj, app_settings.RELATED_COUNT * 2, list(linked))
        return render_to_string(
            "admin/articles/article/related_suggestions.html",
            {"suggestions": suggestions, "pin_url": pin_url},
        )

    @admin.display(description=_("suggestions"))
    def related_suggestions(self, obj: Article):
        return self._suggestions_html(
            obj, reverse("admin:articles_article_pin_related", args=[obj.pk])
        )

    @admin.display(description=_("suggestions"))
    def related_suggestions_to_read(self, obj: Article):
        return self._suggestions_html(obj)

    def pin_related_view(self, request, object_id):
        """Add a suggested story as the article's last manual related link."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        target = Article.objects.filter(pk=request.POST.get("_pin_related") or None).first()
        if target is None:
            self.message_user(request, _("That story no longer exists."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        last = article.related_links.aggregate(last=Max("position"))["last"]
        link = RelatedLink(article=article, target=target, position=0 if last is None else last + 1)
        try:
            link.full_clean()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        link.save()
        self.log_change(
            request,
            article,
            [{"added": {"name": str(link._meta.verbose_name), "object": str(link)}}],
        )
        self.message_user(
            request,
            _("Pinned “%(headline)s” as a related link.") % {"headline": target.headline},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)
