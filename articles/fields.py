"""Model fields that clean the text they hold before validation."""

from django.db import models

from .body import PhotoLibrary, normalise
from .text import clean_line, clean_text


class LineField(models.CharField):
    """A single line of text: control characters removed, whitespace collapsed."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_line(value) if isinstance(value, str) else value


class CleanTextField(models.TextField):
    """Multi-line text with control characters and lone surrogates removed."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


class SanitizedHTMLField(models.TextField):
    """Editor HTML in the stored body form (``body.normalise``) on every write.

    Cleaning in ``pre_save`` covers forms, commands, importers and bulk inserts
    alike, so templates may render the stored value as it is. ``photo_library``
    tells which ``<img>`` addresses and photo ids are the library's.
    """

    def __init__(self, *args, photo_library: PhotoLibrary | None = None, **kwargs):
        self.photo_library = photo_library
        super().__init__(*args, **kwargs)

    def normalise(self, value: str) -> str:
        return normalise(value, self.photo_library)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.normalise(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
