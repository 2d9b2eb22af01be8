"""Live coverage on the editors' screens: the quick “Post an update” form on a story's
change page, and the update screens where a posted update is corrected or deleted.

Every post, correction and deletion records a revision of the story
(``revisions.record``): the story's snapshot holds its updates, so the story's
revision history and diff show what changed in its live coverage.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
)
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import revisions
from ..models import Article, Author, LiveUpdate
from ..models.publishing import can_edit
from .body import BodyFormMixin
from .widgets import ArticleBodyWidget
from .workflow import in_newsroom_zone

#: The fields whose change makes a published update “Updated”.
CONTENT_FIELDS = {"title", "body", "image", "embed_url"}


class LiveUpdateForm(BodyFormMixin, forms.ModelForm):
    """An update of a live story: the quick form on the story's page and the update screen."""

    published_at = forms.SplitDateTimeField(
        label=gettext_lazy("publication time"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=gettext_lazy("Empty: now. In the future, the update stays hidden until then."),
    )
    embed_url = forms.URLField(
        label=gettext_lazy("video"),
        required=False,
        assume_scheme="https",
        help_text=LiveUpdate._meta.get_field("embed_url").help_text,
    )

    class Meta:
        model = LiveUpdate
        fields = [
            "title", "body", "image", "embed_url", "authors", "published_at", "pinned",
            "key_event", "correction",
        ]  # fmt: skip

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        site = admin_site or admin.site
        self.fields["body"].widget = ArticleBodyWidget()
        # The admin's split widget prints "Date:" and "Time:" as text, labelling neither.
        day, time = self.fields["published_at"].widget.widgets
        day.attrs["aria-label"], time.attrs["aria-label"] = _("Date"), _("Time")
        self.fields["image"].widget = ForeignKeyRawIdWidget(
            LiveUpdate._meta.get_field("image").remote_field, site
        )
        authors = self.fields["authors"]
        authors.widget = AutocompleteSelectMultiple(LiveUpdate._meta.get_field("authors"), site)
        authors.widget.choices = authors.choices
        if not self.instance.pk:
            del self.fields["correction"]  # a new update has nothing to correct yet

    def clean_published_at(self):
        return self.cleaned_data.get("published_at") or (
            self.instance.published_at if self.instance.pk else timezone.now()
        )

    def save(self, commit=True):
        update = super().save(commit=False)
        now = timezone.now()
        seen = self.initial.get("published_at") and self.initial["published_at"] <= now
        if self.instance.pk and seen and CONTENT_FIELDS & set(self.changed_data):
            update.edited_at = now  # readers saw the update before: say it changed
        if commit:
            with transaction.atomic():
                store(update)
                self.save_m2m()
        return update


def store(update: LiveUpdate) -> None:
    """Save ``update``; pinning it unpins its story's other pinned update."""
    with transaction.atomic():
        if update.pinned:
            others = LiveUpdate.objects.filter(article=update.article, pinned=True)
            others.exclude(pk=update.pk).update(pinned=False)
        update.save()


def post_form(article: Article, user, data=None, files=None, admin_site=None) -> LiveUpdateForm:
    """Return the quick form for a new update of ``article``, its byline the user's."""
    initial = {"authors": list(Author.objects.filter(user=user).values_list("pk", flat=True))}
    update = LiveUpdate(article=article)
    return LiveUpdateForm(
        data, files, instance=update, initial=initial, prefix="live", admin_site=admin_site
    )


class LiveCoverageAdminMixin:
    """For the article admin: the quick form on a live story's page and its URL."""

    live_update_template = "articles/admin/live_update_post.html"

    def get_urls(self):
        view = self.admin_site.admin_view(in_newsroom_zone(self.post_update_view))
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/live/", view, name="{}_{}_live_update".format(*info)),
            *super().get_urls(),
        ]

    def live_context(self, request, article) -> dict:
        """Return the quick form's context for ``article`` (empty unless it is live)."""
        if article is None or not article.is_live or not self._may_post(request, article):
            return {}
        form = post_form(article, request.user, admin_site=self.admin_site)
        return {
            "live_form": form,
            "live_url": reverse("admin:articles_article_live_update", args=[article.pk]),
            "live_updates": article.live_updates.order_by("-published_at", "-pk")[:10],
        }

    def _may_post(self, request, article) -> bool:
        return request.user.has_perm("articles.add_liveupdate") and can_edit(request.user, article)

    def post_update_view(self, request, object_id):
        """Post an update of a live story; back to the story's page, or the form with errors."""
        article = self.get_object(request, object_id)
        if article is None or not article.is_live or not self._may_post(request, article):
            raise Http404(_("No live story you may post to at this address."))
        form = post_form(article, request.user, request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                form.instance.created_by = request.user
                update = form.save(commit=False)
                store(update)
                form.save_m2m()
                revisions.record(article, request.user, comment=_("Live update posted"))
            when = timezone.localtime(update.published_at)
            message = (
                _("Update posted.")
                if when <= timezone.now()
                else _("Update scheduled for %(time)s.") % {"time": when.strftime("%Y-%m-%d %H:%M")}
            )
            self.message_user(request, message, messages.SUCCESS)
            url = reverse("admin:articles_article_change", args=[article.pk])
            return HttpResponseRedirect(f"{url}#live-post")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Post a live update"),
            "live_form": form,
            "live_url": request.path,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.live_update_template, context)


@admin.register(LiveUpdate)
class LiveUpdateAdmin(admin.ModelAdmin):
    """Updates of live stories: correct one (it says “Updated”) or delete it."""

    form = LiveUpdateForm
    list_display = ["__str__", "article", "published_at", "pinned", "key_event"]
    list_filter = ["pinned", "key_event"]
    list_select_related = ["article"]
    search_fields = ["title", "body", "article__headline"]
    date_hierarchy = "published_at"
    readonly_fields = ["article", "edited_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        site = self.admin_site

        class BoundSite(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, **kw)

        return BoundSite

    def has_add_permission(self, request):
        return False  # updates are posted from their story's page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj.article)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit(request.user, obj.article)
        )

    def save_model(self, request, obj, form, change):
        store(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record(form.instance.article, request.user, comment=_("Live update corrected"))

    def delete_model(self, request, obj):
        article = obj.article
        with transaction.atomic():
            obj.delete()
            revisions.record(article, request.user, comment=_("Live update deleted"))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            articles = list(Article.objects.filter(live_updates__in=queryset).distinct())
            for update in queryset:
                update.delete()  # one by one: each sends the signal its pages listen to
            for article in articles:
                revisions.record(article, request.user, comment=_("Live update deleted"))

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_popup" in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, _("Update corrected."), messages.SUCCESS)
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return HttpResponseRedirect(f"{url}#live-post")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return in_newsroom_zone(super().changeform_view)(
            request, object_id, form_url, extra_context
        )
