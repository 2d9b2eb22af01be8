"""Live stories: coverage times on the story, its updates, and the roles' permissions on them."""

import articles.fields
import articles.models.live
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


#: What the newsroom's roles (migration 0015) may do with live updates; frozen here.
ROLE_PERMISSIONS = {
    "reporter": ("add_liveupdate", "change_liveupdate", "view_liveupdate"),
    "editor": ("add_liveupdate", "change_liveupdate", "delete_liveupdate", "view_liveupdate"),
}


def grant_roles(apps, schema_editor):
    """Let the roles' groups post and correct live updates (editors delete them too)."""
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # let create_permissions see the historical models
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    for role in apps.get_model("articles", "Role").objects.select_related("group"):
        codenames = ROLE_PERMISSIONS.get(role.kind, ())
        role.group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_story_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    articles.fields.LineField(
                        blank=True,
                        help_text="Required for a key event: it names the update in the key events list.",
                        max_length=120,
                        verbose_name="short title",
                    ),
                ),
                (
                    "body",
                    articles.fields.SanitizedHTMLField(
                        help_text="The update itself, with the same formatting as a story's body.",
                        verbose_name="update",
                    ),
                ),
                (
                    "embed_url",
                    models.URLField(
                        blank=True,
                        help_text="Optional. A YouTube or Vimeo address, shown as a player.",
                        validators=[articles.models.live.validate_embed],
                        verbose_name="video",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="In the future, the update stays hidden until then.",
                        verbose_name="publication time",
                    ),
                ),
                (
                    "pinned",
                    models.BooleanField(
                        default=False,
                        help_text="Shown above every other update. Pinning one unpins the story's others.",
                        verbose_name="pinned",
                    ),
                ),
                (
                    "key_event",
                    models.BooleanField(
                        default=False,
                        help_text="Listed in the key events at the top.",
                        verbose_name="key event",
                    ),
                ),
                (
                    "correction",
                    articles.fields.CleanTextField(
                        blank=True,
                        help_text="What was corrected in this update, shown under it.",
                        max_length=1000,
                        verbose_name="correction note",
                    ),
                ),
                (
                    "edited_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        help_text="Set when a published update is changed; readers see “Updated”.",
                        null=True,
                        verbose_name="last corrected",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "live update",
                "verbose_name_plural": "live updates",
                "ordering": ["-published_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="live_since",
            field=models.DateTimeField(
                blank=True,
                help_text="Set to make this a live story: readers get its timestamped updates, newest first, and a notice when new ones are posted.",
                null=True,
                verbose_name="live coverage since",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="live_until",
            field=models.DateTimeField(
                blank=True,
                help_text="When the coverage ends, or is planned to: from then on the page says it ended and stops looking for new updates.",
                null=True,
                verbose_name="live coverage ended",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("live_until__isnull", False)),
                fields=["live_until"],
                name="articles_live_end_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("live_until__isnull", True),
                    models.Q(
                        ("live_since__isnull", False), ("live_until__gte", models.F("live_since"))
                    ),
                    _connector="OR",
                ),
                name="articles_article_live_ends_after_start",
                violation_error_code="live_ends_before_start",
                violation_error_message="Live coverage must start before it ends.",
            ),
        ),
        migrations.AddField(
            model_name="liveupdate",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="live_updates",
                to="articles.article",
                verbose_name="story",
            ),
        ),
        migrations.AddField(
            model_name="liveupdate",
            name="authors",
            field=models.ManyToManyField(
                blank=True,
                related_name="live_updates",
                to="articles.author",
                verbose_name="authors",
            ),
        ),
        migrations.AddField(
            model_name="liveupdate",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="posted by",
            ),
        ),
        migrations.AddField(
            model_name="liveupdate",
            name="image",
            field=models.ForeignKey(
                blank=True,
                help_text="Optional. A photo from the library, shown with its caption and credit.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="live_updates",
                to="articles.image",
                verbose_name="photo",
            ),
        ),
        migrations.AddIndex(
            model_name="liveupdate",
            index=models.Index(
                fields=["article", "-published_at", "-id"], name="articles_live_order_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="liveupdate",
            index=models.Index(fields=["published_at"], name="articles_live_time_idx"),
        ),
        migrations.AddConstraint(
            model_name="liveupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("key_event", False), models.Q(("title", ""), _negated=True), _connector="OR"
                ),
                name="articles_live_key_event_titled",
                violation_error_code="key_event_title",
                violation_error_message="Give a key event a short title.",
            ),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
