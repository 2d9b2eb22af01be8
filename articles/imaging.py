"""Checks on uploaded photo files, before anything is stored."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from .conf import app_settings

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def validate_image_file(file) -> None:
    """Refuse empty, oversized, undecodable or unsupported photo files.

    The pixel count is read from the header, so a decompression bomb is
    refused before it is decoded.
    """
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if size is not None and size > app_settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; photos may be at most %(limit)s.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(app_settings.IMAGE_MAX_UPLOAD_BYTES),
            },
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as picture:
                fmt = picture.format
                width, height = picture.size
                if width * height > app_settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _("The photo is %(w)s×%(h)s pixels; at most %(limit)s pixels are accepted.")
                        % {"w": width, "h": height, "limit": app_settings.IMAGE_MAX_PIXELS},
                        code="too_many_pixels",
                    )
                picture.verify()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The photo has too many pixels to be processed safely."), code="too_many_pixels"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The file is not a photo we can read (JPEG, PNG, WebP or GIF)."),
            code="invalid_image",
        ) from exc
    finally:
        if position is not None:
            file.seek(position)
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("%(format)s files are not accepted; upload a JPEG, PNG, WebP or GIF.")
            % {"format": fmt},
            code="unsupported_format",
        )
