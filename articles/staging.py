"""Uploads held for review: a verified photo file kept under a private name until saved.

The photo desk shows what a file says about itself (caption, credit, creator,
copyright) before the photo exists, so nothing is half-saved while the editor
corrects it. No model is involved: the file waits in the default storage under a
random name, and the page carries a signed token naming it, valid for
``ARTICLES_IMAGE_STAGING_MAX_AGE`` seconds and only for the person who uploaded it.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from . import imaging
from .conf import app_settings

_SALT = "articles.staging.photo"


@dataclass(frozen=True)
class StagedPhoto:
    """A checked upload waiting for its review: the token to save it and what the file says."""

    token: str
    filename: str
    facts: imaging.PhotoFacts
    metadata: dict


def stage_photo(upload, owner: str) -> StagedPhoto:
    """Verify ``upload``, read its metadata and keep it for ``owner``; raise ``ValidationError``.

    The checks are those of every photo upload (``imaging.inspect_photo``): a refused
    file is never stored.
    """
    facts = imaging.inspect_photo(upload)
    metadata = imaging.read_photo_metadata(upload)
    discard_expired()
    folder = app_settings.IMAGE_STAGING_TO.strip("/")
    upload.seek(0)
    name = default_storage.save(f"{folder}/{secrets.token_urlsafe(24)}.{facts.extension}", upload)
    filename = os.path.basename(upload.name or "")[:200] or f"photo.{facts.extension}"
    token = signing.dumps({"name": name, "filename": filename, "owner": owner}, salt=_SALT)
    return StagedPhoto(token, filename, facts, metadata)


def _expired() -> ValidationError:
    return ValidationError(
        _("This upload waited too long for its review and was discarded; upload the file again."),
        code="staging_expired",
    )


def _staged_name(token: str, owner: str) -> tuple[str, str]:
    try:
        data = signing.loads(token, salt=_SALT, max_age=app_settings.IMAGE_STAGING_MAX_AGE)
    except signing.SignatureExpired:
        raise _expired() from None
    except signing.BadSignature:
        raise ValidationError(
            _("This upload cannot be found; upload the file again."), code="staging_invalid"
        ) from None
    folder = app_settings.IMAGE_STAGING_TO.strip("/") + "/"
    name = data.get("name", "")
    if data.get("owner") != owner or not name.startswith(folder) or ".." in name:
        raise ValidationError(
            _("This upload cannot be found; upload the file again."), code="staging_invalid"
        )
    if not default_storage.exists(name):
        raise _expired()
    return name, data.get("filename") or os.path.basename(name)


def open_staged(token: str, owner: str) -> File:
    """Open the staged file ``token`` names, under its uploaded name; raise ``ValidationError``."""
    name, filename = _staged_name(token, owner)
    return File(default_storage.open(name, "rb"), name=filename)


def staged_photo(token: str, owner: str) -> StagedPhoto:
    """Describe the staged file ``token`` names again (facts and metadata)."""
    with open_staged(token, owner) as file:
        return StagedPhoto(
            token, file.name, imaging.inspect_photo(file), imaging.read_photo_metadata(file)
        )


def discard_staged(token: str, owner: str) -> None:
    """Delete the staged file ``token`` names, if it is still there."""
    with contextlib.suppress(ValidationError):
        default_storage.delete(_staged_name(token, owner)[0])


def discard_expired() -> int:
    """Delete staged files older than ``ARTICLES_IMAGE_STAGING_MAX_AGE``; return how many."""
    folder = app_settings.IMAGE_STAGING_TO.strip("/")
    limit = timezone.now() - timedelta(seconds=app_settings.IMAGE_STAGING_MAX_AGE)
    try:
        names = default_storage.listdir(folder)[1]
    except (NotImplementedError, FileNotFoundError):
        return 0  # a storage without listing: its own lifecycle rules must expire them
    deleted = 0
    for name in names:
        path = f"{folder}/{name}"
        with contextlib.suppress(NotImplementedError, FileNotFoundError):
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                deleted += 1
    return deleted


def preview_data_uri(token: str, owner: str, width: int = 320) -> str:
    """Return a small JPEG of the staged photo as a ``data:`` URI (the file stays private)."""
    with open_staged(token, owner) as file:
        facts = imaging.inspect_photo(file)
        specs = imaging.plan_renditions(
            facts.width, facts.height, [width], ratios=["original"], formats=["jpeg"]
        )
        data = b"".join(chunk for _spec, chunk in imaging.make_renditions(file, specs[:1]))
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
