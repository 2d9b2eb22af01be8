"""Create the newsroom's roles as groups of the app's own, marked by a ``Role`` row.

Fresh installs get two new groups, named by ``ARTICLES_REPORTER_GROUP`` and
``ARTICLES_EDITOR_GROUP``. On installs where the former migration 0005 made the
groups "Reporter" and "Editor", such a group is adopted (renamed, its members and
permissions kept) only if it looks like 0005's own: it holds every permission 0005
gave it and none outside this app and taggit. Any other group of that name is the
host's: it is left exactly as it is, and the migration says which permissions 0005
may have added to it (docs/embedding.md, "Upgrading").

The rollback deletes only the groups this migration created, and gives adopted
groups their former names back. The permission lists are frozen here on purpose.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

# The only app code a migration reads: the two names, fixed when the groups are made.
from articles.conf import app_settings


ALL = ("add", "change", "delete", "view")

REPORTER = {
    "article": ("add", "change", "view"),
    "articleauthor": ALL,
    "relatedlink": ALL,
    "section": ("view",),
    "author": ("view",),
    "tag": ("view",),
    "image": ("add", "view"),
    "revision": ("view",),
}

EDITOR = {
    "article": (*ALL, "publish"),
    "articleauthor": ALL,
    "relatedlink": ALL,
    "correction": ALL,
    "section": ALL,
    "author": ALL,
    "tag": ALL,
    "taggedarticle": ALL,
    "image": ALL,
    "revision": ("view",),
    "previewlink": ALL,
    "auditevent": ("view",),
}

#: kind, the name migration 0005 used, the permissions.
ROLES = (("reporter", "Reporter", REPORTER), ("editor", "Editor", EDITOR))
OWN_APPS = {"articles", "taggit"}


def codenames(table):
    return {f"{action}_{model}" for model, actions in table.items() for action in actions}


def configured_name(kind):
    return app_settings.EDITOR_GROUP if kind == "editor" else app_settings.REPORTER_GROUP


def made_by_0005(group, table) -> bool:
    """Tell whether ``group`` looks like one the former migration 0005 created."""
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    ours = {("articles", codename) for codename in codenames(table)}
    return ours <= held and {app for app, _codename in held} <= OWN_APPS


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # let create_permissions see the historical models
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("articles", "Role")
    for kind, legacy_name, table in ROLES:
        if Role.objects.filter(kind=kind).exists():
            continue
        name = configured_name(kind)
        legacy = Group.objects.filter(name=legacy_name).first()
        if legacy is not None and made_by_0005(legacy, table):
            if Group.objects.filter(name=name).exists():
                raise ImproperlyConfigured(
                    f"A group named {name!r} exists already and the app did not make it. "
                    f"Set ARTICLES_{kind.upper()}_GROUP to a name no group has, then migrate."
                )
            legacy.name = name
            legacy.save(update_fields=["name"])
            Role.objects.create(kind=kind, group=legacy, adopted_from=legacy_name)
            continue
        if legacy is not None:
            permissions = ", ".join(sorted(codenames(table)))
            print(
                f"\n  The group {legacy_name!r} is not the app's and was left as it is. An "
                f"older version of this app may have given it these permissions: "
                f"{permissions}. Review them in the admin."
            )
        if Group.objects.filter(name=name).exists():
            raise ImproperlyConfigured(
                f"A group named {name!r} exists already and the app did not make it. "
                f"Set ARTICLES_{kind.upper()}_GROUP to a name no group has, then migrate."
            )
        group = Group.objects.create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames(table)
            )
        )
        Role.objects.create(kind=kind, group=group)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in apps.get_model("articles", "Role").objects.select_related("group"):
        group = role.group
        if not role.adopted_from:
            group.delete()
        elif not Group.objects.filter(name=role.adopted_from).exists():
            group.name = role.adopted_from
            group.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_old_addresses"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Role",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("reporter", "Reporter"), ("editor", "Editor")],
                        max_length=20,
                        unique=True,
                        verbose_name="role",
                    ),
                ),
                (
                    "adopted_from",
                    models.CharField(
                        blank=True,
                        help_text="The group's name before the app renamed it (an install from before the roles had names of their own); empty when the app created the group.",
                        max_length=150,
                        verbose_name="former name",
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="newsroom_role",
                        to="auth.group",
                        verbose_name="group",
                    ),
                ),
            ],
            options={
                "verbose_name": "newsroom role",
                "verbose_name_plural": "newsroom roles",
                "ordering": ["kind"],
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
