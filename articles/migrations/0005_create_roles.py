"""Create the newsroom's two roles as groups: Reporter and Editor.

The permission lists are frozen here on purpose (a migration must not import app code
that may change later). Permissions are created first, since on a fresh database
Django only makes them after all migrations have run (post_migrate).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def codenames(table):
    return [f"{action}_{model}" for model, actions in table.items() for action in actions]


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # let create_permissions see the historical models
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in (("Reporter", REPORTER), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames(table)
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
