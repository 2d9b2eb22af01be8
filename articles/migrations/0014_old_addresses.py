"""Old addresses that answer 301: of stories readers have seen, of sections and authors."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_image_renditions_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_slug",
                    models.SlugField(
                        allow_unicode=True, max_length=120, unique=True, verbose_name="old slug"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_addresses",
                        to="articles.article",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "old story address",
                "verbose_name_plural": "old story addresses",
                "ordering": ["old_slug"],
            },
        ),
        migrations.CreateModel(
            name="SectionRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_slug",
                    models.SlugField(
                        allow_unicode=True, max_length=80, unique=True, verbose_name="old slug"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="redirects",
                        to="articles.section",
                        verbose_name="section",
                    ),
                ),
            ],
            options={
                "verbose_name": "old section address",
                "verbose_name_plural": "old section addresses",
                "ordering": ["old_slug"],
            },
        ),
        migrations.CreateModel(
            name="AuthorRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_slug",
                    models.SlugField(
                        allow_unicode=True, max_length=120, unique=True, verbose_name="old slug"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="redirects",
                        to="articles.author",
                        verbose_name="author",
                    ),
                ),
            ],
            options={
                "verbose_name": "old author address",
                "verbose_name_plural": "old author addresses",
                "ordering": ["old_slug"],
            },
        ),
    ]
