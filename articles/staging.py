"""Uploads held for review: a verified photo file kept under a private name until saved.

The photo desk shows what a file says about itself (caption, credit, creator,
copyright) before the photo exists, so nothing is half-saved while the editor
corrects it. No model is involved: the file waits with the originals (private) under a
random name, and the page carries a signed token naming it, valid for
``ARTICLES_IMAGE_STAGING_MAX_AGE`` seconds and only for the person who uploaded it.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from . import imaging
from .conf import app_settings
from .storage import original_storage

_SALT = "articles.staging.photo"
# What the review step shows from the file; carried in the token, so showing the review
# again (after a mistake in one form) reads neither the photo nor its metadata again.
TEXT_FIELDS = ("caption", "alt_text", "credit", "creator", "copyright_notice", "source")


@dataclass(frozen=True)
class StagedPhoto:
    """A checked upload waiting for its review: the token to save it and what the file says."""

    token: str
    filename: str
    facts: imaging.PhotoFacts
    metadata: dict  # TEXT_FIELDS and date_created, as ``read_photo_metadata`` found them
    preview: str  # a small JPEG as a data: URI, so the staged file itself is never served


def stage_photo(upload, owner: str) -> StagedPhoto:
    """Verify ``upload``, read its metadata and keep it for ``owner``; raise ``ValidationError``.

    The checks are those of every photo upload (``imaging.inspect_photo``): a refused
    file is never stored.
    """
    facts = imaging.inspect_photo(upload)
    found = imaging.read_photo_metadata(upload)
    preview = _preview(upload, facts)
    discard_expired()
    folder = app_settings.IMAGE_STAGING_TO.strip("/")
    stem = f"{folder}/{secrets.token_urlsafe(24)}"
    upload.seek(0)
    name = original_storage().save(f"{stem}.{facts.extension}", upload)
    preview_name = original_storage().save(f"{stem}.preview.jpg", ContentFile(preview))
    filename = os.path.basename(upload.name or "")[:200] or f"photo.{facts.extension}"
    metadata = {field: found[field] for field in TEXT_FIELDS}
    metadata["date_created"] = found["date_created"]
    payload = {
        "name": name,
        "preview": preview_name,
        "filename": filename,
        "owner": owner,
        "facts": dataclasses.asdict(facts),
        "found": {**metadata, "date_created": _iso(found["date_created"])},
    }
    token = signing.dumps(payload, salt=_SALT, compress=True)
    return StagedPhoto(token, filename, facts, metadata, _data_uri(preview))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _expired() -> ValidationError:
    return ValidationError(
        _("This upload waited too long for its review and was discarded; upload the file again."),
        code="staging_expired",
    )


def _not_found() -> ValidationError:
    return ValidationError(
        _("This upload cannot be found; upload the file again."), code="staging_invalid"
    )


def _payload(token: str, owner: str) -> dict:
    try:
        data = signing.loads(token, salt=_SALT, max_age=app_settings.IMAGE_STAGING_MAX_AGE)
    except signing.SignatureExpired:
        raise _expired() from None
    except signing.BadSignature:
        raise _not_found() from None
    folder = app_settings.IMAGE_STAGING_TO.strip("/") + "/"
    names = (data.get("name", ""), data.get("preview", ""))
    if data.get("owner") != owner or not all(n.startswith(folder) and ".." not in n for n in names):
        raise _not_found()
    if not original_storage().exists(names[0]):
        raise _expired()
    return data


def open_staged(token: str, owner: str) -> File:
    """Open the staged file ``token`` names, under its uploaded name; raise ``ValidationError``."""
    data = _payload(token, owner)
    return File(original_storage().open(data["name"], "rb"), name=data["filename"])


def staged_photo(token: str, owner: str) -> StagedPhoto:
    """Describe the staged upload ``token`` names again, from the token and the preview."""
    data = _payload(token, owner)
    metadata = dict(data["found"])
    day = metadata.pop("date_created")
    metadata["date_created"] = date.fromisoformat(day) if day else None
    try:
        with original_storage().open(data["preview"], "rb") as file:
            preview = _data_uri(file.read())
    except FileNotFoundError:
        raise _expired() from None
    facts = imaging.PhotoFacts(**data["facts"])
    return StagedPhoto(token, data["filename"], facts, metadata, preview)


def discard_staged(token: str, owner: str) -> None:
    """Delete the staged file ``token`` names and its preview, if they are still there."""
    with contextlib.suppress(ValidationError):
        data = _payload(token, owner)
        original_storage().delete(data["name"])
        original_storage().delete(data["preview"])


def discard_expired() -> int:
    """Delete staged files older than ``ARTICLES_IMAGE_STAGING_MAX_AGE``; return how many."""
    folder = app_settings.IMAGE_STAGING_TO.strip("/")
    limit = timezone.now() - timedelta(seconds=app_settings.IMAGE_STAGING_MAX_AGE)
    try:
        names = original_storage().listdir(folder)[1]
    except (NotImplementedError, FileNotFoundError):
        return 0  # a storage without listing: its own lifecycle rules must expire them
    deleted = 0
    for name in names:
        path = f"{folder}/{name}"
        with contextlib.suppress(NotImplementedError, FileNotFoundError):
            if original_storage().get_modified_time(path) < limit:
                original_storage().delete(path)
                deleted += 1
    return deleted


def _preview(file, facts: imaging.PhotoFacts, width: int = 320) -> bytes:
    specs = imaging.plan_renditions(
        facts.width, facts.height, [width], ratios=["original"], formats=["jpeg"]
    )
    data = b"".join(chunk for _spec, chunk in imaging.make_renditions(file, specs[:1]))
    file.seek(0)
    return data


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
