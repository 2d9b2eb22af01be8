"""Model fields that clean the text they hold before validation."""

from django.db import models

from .body import PhotoLibrary, normalise
from .text import PublishableText, clean_line, clean_text


def _cleaned(field, model_instance, clean):
    value = getattr(model_instance, field.attname)
    if isinstance(value, str):
        value = clean(value)
        setattr(model_instance, field.attname, value)
    return value


class LineField(models.CharField):
    """A single line of text: control characters removed, whitespace collapsed.

    Its form field refuses what would be removed (tabs, line breaks, control
    characters), so an editor is told rather than surprised.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return clean_line(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        # Writes that skip validation (the ORM, bulk imports) are cleaned all the same:
        # one such character would stop every feed and sitemap being XML.
        return _cleaned(self, model_instance, clean_line)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators.append(PublishableText(single_line=True))
        return field


class CleanTextField(models.TextField):
    """Multi-line text with control characters and lone surrogates removed.

    Its form field refuses them, naming each one.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        return _cleaned(self, model_instance, clean_text)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators.append(PublishableText())
        return field


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
