"""The editors' article form: the workflow button pressed (checked against the role), the
newsroom's time zone, and optimistic locking on ``Article.version``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ..conf import app_settings
from ..models import Article, Revision
from ..revisions import changed_labels
from ..times import newsroom_zone
from ..workflow import ACTION_STATUS, Action, State, allowed_actions
from .body import BodyFormMixin
from .chooser import PhotoChooserWidget
from .widgets import ArticleBodyWidget
from .workflow import loaded_state

DATETIME_FIELDS = ("published_at", "expire_at", "live_since", "live_until")
#: The name of the workflow buttons; a POST without one saves and keeps the status.
ACTION_FIELD = "_action"


class ArticleAdminForm(BodyFormMixin, forms.ModelForm):
    """The article change form; the admin sets ``user`` on a per-request subclass.

    The status is not a field: the workflow button pressed (``_action``) sets it.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None

    class Meta:
        model = Article
        # The admin passes the fields of its fieldsets; these are the editable ones.
        fields = [
            "headline", "slug", "dek", "body", "section", "tags", "lead_image", "kind",
            "sponsor_name", "published_at", "expire_at", "retraction_reason",
            "related_heading", "live_since", "live_until",
        ]  # fmt: skip
        widgets = {"body": ArticleBodyWidget, "lead_image": PhotoChooserWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        zone = app_settings.TIME_ZONE
        for name in DATETIME_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.label = f"{field.label} ({zone})"
                field.help_text = f"{field.help_text} " + _("Times are in %(zone)s.") % {
                    "zone": zone
                }
        self.state = loaded_state(self.instance if self.instance.pk else None)
        self.action = None

    def _keep_stored_time(self, name: str):
        # The admin's time input shows whole seconds; an untouched field must not move the
        # stored time by its microseconds (that would read as a new embargo).
        value, stored = self.cleaned_data.get(name), getattr(self.instance, name)
        if value and stored and value == stored.replace(microsecond=0):
            return stored
        return value

    def clean_published_at(self):
        return self._keep_stored_time("published_at")

    def clean_expire_at(self):
        return self._keep_stored_time("expire_at")

    def clean(self):
        cleaned = super().clean()
        self.check_conflict(cleaned.get("base_version"))
        self.clean_action(cleaned)
        return cleaned

    def clean_action(self, cleaned: dict) -> None:
        """Check the workflow button pressed and give the story the status it asks for.

        Runs before the model's own validation, which then checks the new status
        (a retraction's reason, a published story's lead photo).
        """
        value = self.data.get(ACTION_FIELD) or Action.SAVE
        if value not in Action.values:
            raise ValidationError(_("Unknown workflow action."), code="unknown_action")
        action = Action(value)
        if self.user is not None and action not in allowed_actions(
            self.user, self.instance if self.instance.pk else None, self.state
        ):
            raise ValidationError(
                _("You may not %(action)s this story: only editors publish, schedule and retract.")
                % {"action": action.label.lower()},
                code="action_not_allowed",
            )
        now = timezone.now()
        published_at = cleaned.get("published_at", self.instance.published_at)
        if action == Action.SCHEDULE:
            if published_at is None:
                self.add_error(
                    "published_at",
                    ValidationError(
                        _("Choose the date and time to publish the story."),
                        code="schedule_time_required",
                    ),
                )
            elif published_at <= now:
                self.add_error(
                    "published_at",
                    ValidationError(
                        _("Choose a time in the future to schedule the story: to publish "
                          "it at once, use “Publish now”."),
                        code="schedule_in_past",
                    ),
                )  # fmt: skip
        elif action == Action.PUBLISH:
            cleaned["published_at"] = now
        elif action == Action.RETRACT and not cleaned.get("retraction_reason", "").strip():
            self.add_error(
                "retraction_reason",
                ValidationError(
                    _("Give a reason for retracting the story; it is kept in the audit log."),
                    code="reason_required",
                ),
            )
        elif (
            action == Action.SAVE
            and self.state == State.SCHEDULED
            and published_at is not None
            and published_at <= now
        ):
            self.add_error(
                "published_at",
                ValidationError(
                    _("This time has passed: use “Publish now”, or choose a time in the "
                      "future and “Schedule”."),
                    code="schedule_in_past",
                ),
            )  # fmt: skip
        elif (
            action == Action.SAVE
            and self.state in (State.PUBLISHED, State.EXPIRED)
            and published_at is not None
            and published_at > now
        ):
            self.add_error(
                "published_at",
                ValidationError(
                    _("Readers have seen this story: its publication time cannot move into "
                      "the future. To take it off the site, retract it."),
                    code="live_time_in_future",
                ),
            )  # fmt: skip
        # Only an action that passed gives the status, so the model does not repeat the error.
        if action in ACTION_STATUS and not self.errors:
            self.instance.status = ACTION_STATUS[action]
        self.action = action

    def check_conflict(self, base_version: int | None) -> None:
        """Refuse to save over changes made since this form was opened.

        The row is locked until the admin's transaction ends, so two saves cannot both pass.
        """
        if not self.instance.pk:
            return
        if base_version is None:
            # Every change form carries the version it was opened at; a post without one
            # (a script, a stale or hand-made form) would skip the check and could
            # overwrite a colleague's save unseen.
            raise ValidationError(
                _(
                    "This form does not say which version of the story it was opened at. "
                    "Nothing was saved: open the story again and redo your change."
                ),
                code="version_missing",
            )
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or current == base_version:
            return
        # Keep the editor's text in the form; saving again deliberately replaces theirs.
        data = self.data.copy()
        data[self.add_prefix("base_version")] = str(current)
        self.data = data
        raise ValidationError(
            conflict_message(self.instance.pk, base_version), code="edit_conflict"
        )


def conflict_message(article_id: int, base_version: int) -> str:
    """Say who saved the story since ``base_version`` and what they changed."""
    newer = list(
        Revision.objects.filter(article_id=article_id, version__gt=base_version)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    names = []
    for revision in newer:
        user = revision.created_by
        name = (user.get_full_name() or user.get_username()) if user else _("someone")
        if name not in names:
            names.append(name)
    base = Revision.objects.filter(article_id=article_id, version=base_version).first()
    what = changed_labels(base.snapshot, newer[-1].snapshot) if base and newer else []
    when = (
        time_format(timezone.localtime(newer[-1].created_at, newsroom_zone()), "H:i T")
        if newer
        else ""
    )
    return _(
        "Edit conflict: %(who)s saved this story after you opened it%(when)s and changed "
        "%(what)s. Nothing of yours was saved, and your text is still in the form below. "
        "Compare it with theirs (see the revisions on this page), then save again to "
        "replace their version with yours."
    ) % {
        "who": get_text_list(names or [_("someone")], _("and")),
        "when": (" " + _("(at %s)") % when) if when else "",
        "what": get_text_list([w.lower() for w in what], _("and")) if what else _("the story"),
    }
