"""Story kinds: news, opinion, analysis, sponsored or fact check, one field for all.

``Article.kind`` replaces the ``sponsored`` yes/no, so sponsorship has one source
of truth (``Article.sponsored`` is now ``kind == "sponsored"``). Sponsored stories
become kind "sponsored", every other story "news"; going back, "sponsored" becomes
``sponsored=True`` again and the other kinds become plain stories. The constraint
that a sponsored story names its sponsor moves from the old field to the new one.
"""

from django.db import migrations, models

import articles.fields

KINDS = [
    ("news", "News"),
    ("opinion", "Opinion"),
    ("analysis", "Analysis"),
    ("sponsored", "Sponsored"),
    ("fact-check", "Fact check"),
]


def to_kinds(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.using(schema_editor.connection.alias).filter(sponsored=True).update(
        kind="sponsored"
    )


def to_sponsored(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.using(schema_editor.connection.alias).filter(kind="sponsored").update(
        sponsored=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_photo_originals_kept_privately"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="kind",
            field=models.CharField(
                choices=KINDS,
                default="news",
                help_text=(
                    "Tells readers what they are reading, on the story, its cards, search, "
                    "feeds and the API. News: reporting. Opinion: the writer's view. Analysis: "
                    "explains and interprets the news. Sponsored: paid for by the sponsor named "
                    "below. Fact check: tests a claim against the evidence."
                ),
                max_length=20,
                verbose_name="kind of story",
            ),
        ),
        migrations.RunPython(to_kinds, to_sponsored, elidable=False),
        migrations.RemoveConstraint(
            model_name="article",
            name="articles_article_sponsor_named",
        ),
        migrations.RemoveField(
            model_name="article",
            name="sponsored",
        ),
        migrations.AlterField(
            model_name="article",
            name="sponsor_name",
            field=articles.fields.LineField(
                blank=True,
                help_text=(
                    "Who paid for the story; required for sponsored stories, shown with the label."
                ),
                max_length=120,
                verbose_name="sponsor",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", [value for value, _label in KINDS])),
                name="articles_article_kind_known",
                violation_error_code="unknown_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "sponsored"), _negated=True),
                    models.Q(("sponsor_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="articles_article_sponsor_named",
                violation_error_code="sponsor_required",
                violation_error_message="Name the sponsor of sponsored content.",
            ),
        ),
    ]
