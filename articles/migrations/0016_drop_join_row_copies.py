# Publishing state lives only on the story again: tag and author pages read
# ``Article.objects.published()`` through the join tables (docs/decisions.md, "Publishing
# state lives only on the story"). Rolled back, the copies are filled again the way 0010
# filled them, before their indexes are built.

from importlib import import_module

from django.db import migrations

refill = import_module("articles.migrations.0010_join_rows_publishing_copies").backfill


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_newsroom_roles'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='articleauthor',
            name='articles_byline_order_idx',
        ),
        migrations.RemoveIndex(
            model_name='taggedarticle',
            name='articles_tagged_order_idx',
        ),
        migrations.RunPython(migrations.RunPython.noop, refill, elidable=False),
        migrations.RemoveField(
            model_name='articleauthor',
            name='expire_at',
        ),
        migrations.RemoveField(
            model_name='articleauthor',
            name='published_at',
        ),
        migrations.RemoveField(
            model_name='articleauthor',
            name='status',
        ),
        migrations.RemoveField(
            model_name='taggedarticle',
            name='expire_at',
        ),
        migrations.RemoveField(
            model_name='taggedarticle',
            name='published_at',
        ),
        migrations.RemoveField(
            model_name='taggedarticle',
            name='status',
        ),
    ]
