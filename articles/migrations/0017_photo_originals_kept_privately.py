"""Uploaded originals move out of the served media folder into the originals' storage.

Originals keep their GPS position and camera serial numbers; from now on they live
where no web server serves them (``articles/storage.py``). Files already uploaded
are moved there under the same names, so nothing in the database changes; a file
missing from the default storage is left as it is (and named).
"""

from django.core.files.storage import default_storage
from django.db import migrations, models

import articles.imaging
import articles.models.images
import articles.storage


def _move(source, target, names) -> list[str]:
    missing = []
    for name in names:
        if not source.exists(name):
            if not target.exists(name):
                missing.append(name)
            continue
        if not target.exists(name):
            with source.open(name, "rb") as file:
                saved = target.save(name, file)
            if saved != name:  # pragma: no cover - checked just above
                raise RuntimeError(f"{name} was stored as {saved}")
        source.delete(name)
    return missing


def _names(apps):
    Image = apps.get_model("articles", "Image")
    return Image.objects.exclude(file="").values_list("file", flat=True).distinct().iterator()


def to_private(apps, schema_editor):
    missing = _move(default_storage, articles.storage.original_storage(), _names(apps))
    if missing:
        print(f"\n  Photo originals not found in the media folder ({len(missing)}):")
        for name in missing[:20]:
            print(f"    {name}")


def to_public(apps, schema_editor):
    _move(articles.storage.original_storage(), default_storage, _names(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_stored_suggestions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="image",
            name="file",
            field=models.ImageField(
                help_text="A JPEG, PNG, WebP or GIF photo. Its embedded caption, credit and "
                "copyright (IPTC/XMP) fill the fields you leave empty.",
                max_length=255,
                storage=articles.storage.original_storage,
                upload_to=articles.models.images.image_upload_to,
                validators=[articles.imaging.validate_image_file],
                verbose_name="file",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=False),
    ]
