"""Model fields that clean the text they hold before validation."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .body import PhotoLibrary, normalise
from .forms import PublishableTextField
from .text import clean_line, clean_text


def _cleaned(field, model_instance, clean):
    value = getattr(model_instance, field.attname)
    if isinstance(value, str):
        value = clean(value)
        setattr(model_instance, field.attname, value)
    return value


# No zone is a day or more away from UTC: a time inside these bounds converts to UTC,
# and from UTC into any zone, without leaving the calendar (years 1 to 9999).
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def in_calendar(moment: datetime) -> bool:
    """Tell whether an aware ``moment`` can be stored and shown in every time zone."""
    try:
        return EARLIEST <= moment.astimezone(UTC) <= LATEST
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        return False


def validate_in_calendar(value) -> None:
    """Refuse a time too near the ends of the calendar to convert between time zones."""
    if isinstance(value, datetime) and timezone.is_aware(value) and not in_calendar(value):
        raise ValidationError(
            _("Give a time between 2 January of the year 1 and 30 December 9999."),
            code="out_of_calendar",
        )


class CalendarDateTimeField(models.DateTimeField):
    """A date and time that every time zone can show: see ``validate_in_calendar``."""

    default_validators = [validate_in_calendar]

    def deconstruct(self):
        # Validators are not part of the schema: migrations record the plain field.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


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
        if self.choices is not None:
            return super().formfield(**kwargs)
        return super().formfield(
            **{"form_class": PublishableTextField, "single_line": True, **kwargs}
        )


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
        if self.choices is not None:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": PublishableTextField, **kwargs})


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
        # The last result is kept: a write hands the very same string to to_python()
        # (full_clean), pre_save() and get_prep_value() (TextField's calls to_python()),
        # which would each normalise it again. An identity check, so any other value
        # (an update()'s) still is; a race between threads only costs time.
        self._normalised = normalise(value, self.photo_library)
        return self._normalised

    def _normalised_value(self, value: str) -> str:
        return value if value is getattr(self, "_normalised", None) else self.normalise(value)

    def to_python(self, value):
        value = super().to_python(value)
        return self._normalised_value(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self._normalised_value(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
