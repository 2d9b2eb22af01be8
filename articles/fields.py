"""Model fields that clean the text they hold before validation."""

from django.db import models

from .sanitize import sanitize_html
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
    """Editor HTML, reduced to the allow-list in ``sanitize.py`` on every write.

    Cleaning in ``pre_save`` covers forms, commands, importers and bulk inserts
    alike, so templates may render the stored value as it is.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return sanitize_html(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
