"""Where photo files live: uploaded originals privately, renditions where readers fetch them.

An original keeps what the camera wrote into it (GPS position, serial numbers), so
it is stored apart from ``MEDIA_ROOT``, which a web server or CDN serves: in the
``STORAGES`` entry ``ARTICLES_ORIGINALS_STORAGE`` when the project defines one (a
private bucket, say), else in the folder ``ARTICLES_ORIGINALS_ROOT``. Its address
is the admin's original view, for the desk only. Renditions, re-encoded without
embedded data, go to the default storage under ``MEDIA_URL``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.urls import reverse
from django.utils.functional import cached_property

from .conf import app_settings


class OriginalsStorage(FileSystemStorage):
    """Files in ``ARTICLES_ORIGINALS_ROOT``, addressed through the admin's original view."""

    @cached_property
    def base_location(self):
        return app_settings.ORIGINALS_ROOT

    def url(self, name):
        return reverse("admin:articles_image_original", kwargs={"name": name})


def original_storage():
    """Return the storage of uploaded originals (the ``Image.file`` field's storage)."""
    if app_settings.ORIGINALS_STORAGE in settings.STORAGES:
        return storages[app_settings.ORIGINALS_STORAGE]
    return OriginalsStorage()


def rendition_storage():
    """Return the storage of renditions: the default one, which ``MEDIA_URL`` serves."""
    return default_storage
