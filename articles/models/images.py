"""The photo library: files with the caption, credit and rights that travel with them.

Public API for other code (templates, presenters, feeds, importers)
------------------------------------------------------------------
``Image.objects.usable()`` / ``ImageQuerySet.usable_q()`` and ``Image.is_usable()``
    The one rule for "may this photo appear on a public page": its rights have not
    expired. Public pages reach photos through ``PlacedPhoto.place()``, which applies it.
``image.rendition_url(width, ratio="original", fmt="jpeg")``
    URL of the rendition closest to ``width`` (the original file's URL until the
    renditions exist: for the admin only). Computed from the row: no query, no storage access.
``articles.tasks.schedule_renditions(image)``
    Queue the renditions of the current file and focal point for the task worker
    (``articles.tasks``); ``renditions_status`` is "pending" until they are made. The
    set in ``renditions_key`` stays in use meanwhile; public pages show no photo
    while there is none.
``image.renditions(ratio="original", fmt="jpeg")``
    Every rendition of one crop as ``Rendition(url, width, height, mime_type)``, narrowest first.
``image.crops()``
    ``{"16:9": {"url", "width", "height"}, "4:3": {...}, "1:1": {...}}``: the largest JPEG
    of each card crop, for JSON-LD, Media RSS and APIs.
Fields for credits: ``credit`` (IPTC 2:110), ``creator`` (2:80), ``copyright_notice``,
``licence_kind``, ``licence_url``, ``rights_expire_on``. ``read_photo_metadata`` in
``articles.imaging`` reads them from a file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from .. import imaging
from ..conf import app_settings
from ..fields import CleanTextField, LineField
from ..imaging import validate_image_file
from ..signals import photos_changed
from ..storage import original_storage, rendition_storage


def image_upload_to(instance: Image, filename: str) -> str:
    """Store photos under ``<ARTICLES_IMAGE_UPLOAD_TO>/<year>/<month>/``.

    The extension is the one of the format the file decoded as, not the one it
    was uploaded with. A module-level function, so migrations can reference it.
    """
    name, ext = os.path.splitext(os.path.basename(filename))
    name = get_valid_filename(name)[:80] or "photo"
    if instance.format in imaging.ACCEPTED_FORMATS:
        ext = "." + imaging.ACCEPTED_FORMATS[instance.format]
    stamp = timezone.now()
    return f"{app_settings.IMAGE_UPLOAD_TO}/{stamp:%Y/%m}/{name}{ext.lower()[:5]}"


class LicenceKind(models.TextChoices):
    STAFF = "staff", _("Staff photo")
    AGENCY = "agency", _("Agency or wire")
    HANDOUT = "handout", _("Handout")
    CREATIVE_COMMONS = "cc", _("Creative Commons")
    OTHER = "other", _("Other")


def today() -> date:
    return timezone.localdate()


class ImageQuerySet(models.QuerySet):
    """Which photos may appear in public; the rule lives here and in ``Image.is_usable``."""

    @staticmethod
    def usable_q(on: date | None = None, prefix: str = "") -> Q:
        """Match photos whose rights still allow publishing on ``on`` (default: today)."""
        on = on or today()
        return Q(**{f"{prefix}rights_expire_on__isnull": True}) | Q(
            **{f"{prefix}rights_expire_on__gt": on}
        )

    def usable(self, on: date | None = None) -> ImageQuerySet:
        """Return the photos public pages may show."""
        return self.filter(self.usable_q(on))

    def expiring(self, within_days: int | None = None, on: date | None = None) -> ImageQuerySet:
        """Return usable photos whose rights end within ``within_days`` (default from settings)."""
        on = on or today()
        days = app_settings.IMAGE_RIGHTS_WARNING_DAYS if within_days is None else within_days
        return self.usable(on).filter(rights_expire_on__lte=on + timedelta(days=days))

    def expired(self, on: date | None = None) -> ImageQuerySet:
        """Return the photos public pages no longer show."""
        return self.exclude(self.usable_q(on))


class RenditionsStatus(models.TextChoices):
    PENDING = "pending", _("Processing…")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    mime_type: str


@functools.lru_cache(maxsize=4096)
def _planned(
    width: int, height: int, widths: tuple[int, ...], ratio: str, fmt: str
) -> tuple[imaging.RenditionSpec, ...]:
    # A pure function of the numbers: photos of the same size share one plan.
    return tuple(imaging.plan_renditions(width, height, widths, ratios=[ratio], formats=[fmt]))


@functools.lru_cache(maxsize=4096)
def _srcset_plan(
    width: int, height: int, widths: tuple[int, ...], ratio: str, fmt: str
) -> tuple[tuple[str, int, int], ...]:
    # (file name, width, height) of each file of a plan: a card's srcset without
    # building a Rendition per file (a sixth of a card's time).
    plan = _planned(width, height, widths, ratio, fmt)
    return tuple((spec.filename, spec.width, spec.height) for spec in plan)


class Image(models.Model):
    file = models.ImageField(
        _("file"),
        upload_to=image_upload_to,
        storage=original_storage,
        max_length=255,
        validators=[validate_image_file],
        help_text=_(
            "A JPEG, PNG, WebP or GIF photo. Its embedded caption, credit and copyright "
            "(IPTC/XMP) fill the fields you leave empty."
        ),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    format = models.CharField(_("format"), max_length=10, editable=False, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), editable=False, default=0)
    content_hash = models.CharField(
        _("content hash"), max_length=64, editable=False, blank=True, db_index=True
    )
    caption = CleanTextField(
        _("caption"),
        max_length=1000,
        blank=True,
        help_text=_("What the photo shows: who, what, where, when. Shown under the photo."),
    )
    credit = LineField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_(
            "The credit line as published, e.g. “REUTERS/Jonathan Ernst” (IPTC Credit Line). "
            "Left empty, it is taken from the file; a photo cannot be saved without one."
        ),
    )
    creator = LineField(
        _("creator"),
        max_length=200,
        blank=True,
        help_text=_("The photographer (IPTC Creator), which may differ from the credit line."),
    )
    copyright_notice = LineField(
        _("copyright notice"),
        max_length=200,
        blank=True,
        help_text=_("Who holds the rights, e.g. “© 2026 Reuters”."),
    )
    source = LineField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the photo came from, e.g. the agency feed or the staff desk."),
    )
    date_created = models.DateField(
        _("date taken"), null=True, blank=True, help_text=_("When the photo was taken.")
    )
    alt_text = LineField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describes the photo for readers who cannot see it. Required to publish."),
    )
    licence_kind = models.CharField(
        _("licence"), max_length=20, choices=LicenceKind.choices, blank=True
    )
    licence_url = models.URLField(
        _("licence URL"),
        blank=True,
        help_text=_("The licence's address; required for Creative Commons."),
    )
    rights_expire_on = models.DateField(
        _("rights expire on"),
        null=True,
        blank=True,
        help_text=_("From this date the photo disappears from public pages. Empty: no limit."),
    )
    focal_x = models.PositiveSmallIntegerField(
        _("focal point across (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0 is the left edge, 100 the right. Crops keep this point in view."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point down (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0 is the top edge, 100 the bottom."),
    )
    metadata = models.JSONField(
        _("embedded metadata"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The IPTC and XMP values found in the file, as uploaded."),
    )
    renditions_key = models.CharField(
        _("renditions folder"), max_length=200, editable=False, blank=True
    )
    renditions_status = models.CharField(
        _("renditions"),
        max_length=10,
        choices=RenditionsStatus.choices,
        default=RenditionsStatus.PENDING,
        editable=False,
    )
    renditions_error = models.TextField(_("why the renditions failed"), blank=True, editable=False)
    renditions_attempts = models.PositiveSmallIntegerField(
        _("failed rendition attempts"), default=0, editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(credit=""),
                name="articles_image_has_credit",
                violation_error_code="credit_required",
                violation_error_message=_("Give the photo a credit."),
            ),
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100),
                name="articles_image_focal_point_inside",
            ),
            models.CheckConstraint(
                condition=~Q(licence_kind=LicenceKind.CREATIVE_COMMONS) | ~Q(licence_url=""),
                name="articles_image_cc_has_url",
                violation_error_code="licence_url_required",
                violation_error_message=_("Give the Creative Commons licence's URL."),
            ),
        ]

    def __str__(self) -> str:
        label = self.caption[:60] or os.path.basename(self.file.name or "") or _("photo")
        return f"{label} ({self.credit})" if self.credit else str(label)

    # --- Upload -----------------------------------------------------------------

    def clean(self) -> None:
        if self.file and (not self.content_hash or not getattr(self.file, "_committed", True)):
            try:
                self.read_file()
            except ValidationError:
                if not getattr(self.file, "_committed", True):
                    return  # the field's validator has reported it
                raise ValidationError({"file": imaging._invalid()}) from None
        if not self.credit:
            raise ValidationError(
                {
                    "credit": _(
                        "Give the photo a credit: the file carries none in its IPTC or XMP data."
                    )
                },
                code="credit_required",
            )
        if self.licence_kind == LicenceKind.CREATIVE_COMMONS and not self.licence_url:
            raise ValidationError(
                {"licence_url": _("Give the Creative Commons licence's URL.")},
                code="licence_url_required",
            )

    def read_file(self) -> dict:
        """Verify the file, record its facts, and fill empty fields from its metadata.

        Fields the editor filled are kept. Called by ``clean()`` for a new file, so
        forms, importers and commands that call ``full_clean()`` all get it.
        Returns what ``read_photo_metadata`` found.
        """
        source = imaging.photo_source(self.file)
        facts = imaging.inspect_photo(source)
        self.format, self.width, self.height = facts.format, facts.width, facts.height
        if self.renditions_key and facts.sha256 != self.content_hash:
            # A new file: the old renditions show another picture, so readers see no
            # photo until the new ones exist; the old folder goes once they do.
            self._stale_renditions_key = self.renditions_key
            self.renditions_key = ""
            self.renditions_status = RenditionsStatus.PENDING
        self.file_size, self.content_hash = facts.size, facts.sha256
        found = imaging.read_photo_metadata(source)
        self.metadata = found["raw"]
        for field in ("caption", "credit", "creator", "copyright_notice", "source", "alt_text"):
            limit = self._meta.get_field(field).max_length
            if not getattr(self, field) and found[field]:
                setattr(self, field, found[field][:limit])
        if self.date_created is None:
            self.date_created = found["date_created"]
        return found

    def duplicates(self) -> ImageQuerySet:
        """Return other photos in the library made from the same file (by content hash)."""
        if not self.content_hash:
            return Image.objects.none()
        return Image.objects.filter(content_hash=self.content_hash).exclude(pk=self.pk)

    # --- Rights -----------------------------------------------------------------

    def is_usable(self, on: date | None = None) -> bool:
        """Return whether public pages may show the photo (``ImageQuerySet.usable_q`` in Python)."""
        return self.rights_expire_on is None or self.rights_expire_on > (on or today())

    def lead_problems(self, alt_text_override: str = "") -> list[str]:
        """Return why the photo cannot lead a published story (empty when it can)."""
        problems = []
        if not (alt_text_override or self.alt_text):
            problems.append(str(_("Give the lead photo alt text before publishing.")))
        if not self.credit:
            problems.append(str(_("Give the lead photo a credit before publishing.")))
        return problems

    # --- Renditions ---------------------------------------------------------------

    def expected_renditions_key(self) -> str:
        """Return the folder the renditions of the current file and focal point belong in."""
        widths = ",".join(map(str, sorted(app_settings.IMAGE_RENDITION_WIDTHS)))
        settings_digest = hashlib.sha256(
            f"{self.focal_x},{self.focal_y},{widths},{imaging.RENDITION_VERSION}".encode()
        ).hexdigest()[:8]
        sha = self.content_hash or "0" * 16
        return f"{app_settings.IMAGE_RENDITIONS_TO}/{sha[:2]}/{sha[:16]}-{settings_digest}"

    @property
    def renditions_ready(self) -> bool:
        """Return whether a set of renditions is in use: public pages may show the photo."""
        return bool(self.renditions_key)

    def rendition_specs(self) -> list[imaging.RenditionSpec]:
        return imaging.plan_renditions(self.width, self.height, app_settings.IMAGE_RENDITION_WIDTHS)

    def renditions(self, ratio: str = "original", fmt: str = "jpeg") -> list[Rendition]:
        """Return the renditions of one crop in one format, narrowest first ([] until made).

        Computed from the row (``plan_renditions``) with one storage ``url()`` call per
        photo, not per file (``_rendition_url``), and kept on the instance: a card, its
        ``srcset`` and the page's JSON-LD ask for the same lists.
        """
        if not self.renditions_key:
            return []
        widths = tuple(app_settings.IMAGE_RENDITION_WIDTHS)
        memo = self.__dict__.setdefault("_renditions_memo", {})
        key = (self.renditions_key, self.width, self.height, widths, ratio, fmt)
        if key not in memo:
            mime_type = imaging.FORMATS[fmt][1]
            memo[key] = [
                Rendition(self._rendition_url(spec.filename), spec.width, spec.height, mime_type)
                for spec in _planned(self.width, self.height, widths, ratio, fmt)
            ]
        return memo[key]

    def largest_rendition(self, ratio: str = "original", fmt: str = "jpeg") -> Rendition | None:
        """Return the widest rendition of one crop (None until made): one URL, not the list."""
        if not self.renditions_key:
            return None
        widths = tuple(app_settings.IMAGE_RENDITION_WIDTHS)
        specs = _planned(self.width, self.height, widths, ratio, fmt)
        if not specs:
            return None
        spec = specs[-1]
        url = self._rendition_url(spec.filename)
        return Rendition(url, spec.width, spec.height, imaging.FORMATS[fmt][1])

    def _rendition_url(self, filename: str) -> str:
        """Return the URL of one file of the renditions folder in use.

        Storages whose URL is the name under a prefix (the file system, most CDN and
        bucket setups) are asked once per photo; any other (signed URLs, say) once per file.
        """
        folder = self.renditions_key
        cached = self.__dict__.get("_rendition_prefix")
        if cached is None or cached[0] != folder:
            url = rendition_storage().url(f"{folder}/{filename}")
            if url.endswith("/" + filename):
                cached = (folder, url[: -len(filename)])
            else:
                cached = (folder, None)
            self.__dict__["_rendition_prefix"] = cached
            return url
        if cached[1] is None:
            return rendition_storage().url(f"{folder}/{filename}")
        return cached[1] + filename

    def rendition_url(self, width: int, ratio: str = "original", fmt: str = "jpeg") -> str:
        """Return the URL of the narrowest rendition at least ``width`` wide (or the widest).

        Empty until the renditions have been made: the original is never shown.
        """
        options = self.renditions(ratio, fmt)
        if not options:
            return ""
        return next((r.url for r in options if r.width >= width), options[-1].url)

    def desk_url(self, width: int) -> str:
        """Return the rendition closest to ``width``, or the original's address until made.

        For the admin only: the original's address is the desk's original view
        (``storage.OriginalsStorage``), or whatever the originals' storage gives.
        """
        return self.rendition_url(width) or (self.file.url if self.file else "")

    def crops(self) -> dict[str, dict]:
        """Return the largest JPEG of each card crop: ``{ratio: {"url", "width", "height"}}``."""
        result = {}
        for ratio in ("16:9", "4:3", "1:1"):
            largest = self.largest_rendition(ratio, "jpeg")
            if largest:
                result[ratio] = {
                    "url": largest.url,
                    "width": largest.width,
                    "height": largest.height,
                }
        return result

    def renditions_up_to_date(self) -> bool:
        """Return whether the renditions in use are those of the current file and focal point."""
        return bool(self.renditions_key) and self.renditions_key == self.expected_renditions_key()

    def generate_renditions(self, force: bool = False, replaces: str = "") -> int:
        """Make the renditions for the current file and focal point; return how many were written.

        Files go to the renditions' storage (``storage.rendition_storage``, the one
        ``MEDIA_URL`` serves) under deterministic names, so any Django storage works
        and a second run after a crash simply writes them again. Nothing happens
        when they already exist, unless ``force``.
        The renditions of an earlier focal point or file (``replaces``, a previous
        ``renditions_key``) are deleted. Runs in the task worker (``articles.tasks``)
        or in ``make_renditions``; never during a request.
        """
        key = self.expected_renditions_key()
        if key == self.renditions_key and not force:
            if self.renditions_status != RenditionsStatus.READY:
                self._set_renditions_state(RenditionsStatus.READY)
            return 0
        storage = rendition_storage()
        specs = self.rendition_specs()
        written = 0
        with self.file.open("rb") as source:
            for spec, data in imaging.make_renditions(source, specs, self.focal_x, self.focal_y):
                name = f"{key}/{spec.filename}"
                if storage.exists(name):
                    storage.delete(name)  # identical, or cut short by a crash
                saved = storage.save(name, ContentFile(data))
                if saved != name:
                    storage.delete(saved)  # another run wrote the same file meanwhile
                written += 1
        previous = self.renditions_key or replaces or getattr(self, "_stale_renditions_key", "")
        still_current = Image.objects.filter(
            pk=self.pk, content_hash=self.content_hash, focal_x=self.focal_x, focal_y=self.focal_y
        )
        if not self._set_renditions_state(
            RenditionsStatus.READY, renditions_key=key, rows=still_current
        ):
            # An editor changed the file or focal point meanwhile: that save queued the
            # renditions again, and these would show the wrong picture or crop.
            return written
        # update() sends no post_save: cached pages still show the old URLs.
        photos_changed.send(sender=Image, ids=[self.pk])
        if previous and previous != key:
            self._delete_renditions(previous)
        return written

    def _set_renditions_state(
        self, status: str, error: str = "", attempts: int = 0, rows=None, **more
    ) -> bool:
        # update(), not save(): the worker must not overwrite an editor's concurrent edits.
        fields = {
            "renditions_status": status,
            "renditions_error": error,
            "renditions_attempts": attempts,
            **more,
        }
        rows = Image.objects.filter(pk=self.pk) if rows is None else rows
        if not rows.update(**fields):
            return False
        for name, value in fields.items():
            setattr(self, name, value)
        return True

    def request_renditions(self, force: bool = False) -> bool:
        """Mark the renditions as pending; return False when they are up to date already."""
        if not force and self.renditions_up_to_date():
            if self.renditions_status != RenditionsStatus.READY:
                self._set_renditions_state(RenditionsStatus.READY)
            return False
        self._set_renditions_state(RenditionsStatus.PENDING)
        return True

    def record_renditions_failure(self, reason: str, attempts: int, final: bool) -> None:
        """Record why the renditions could not be made; ``final``: no attempt is left."""
        status = RenditionsStatus.FAILED if final else RenditionsStatus.PENDING
        self._set_renditions_state(status, error=reason, attempts=attempts)

    def _delete_renditions(self, folder: str) -> None:
        storage = rendition_storage()
        try:
            names = storage.listdir(folder)[1]
        except (NotImplementedError, FileNotFoundError):
            # Storages without listing: delete the names the current plan would use.
            names = [spec.filename for spec in self.rendition_specs()]
        for name in names:
            storage.delete(f"{folder}/{name}")

    def admin_url(self) -> str:
        return reverse("admin:articles_image_change", args=[self.pk])


@dataclass(frozen=True)
class PlacedPhoto:
    """A photo as placed somewhere: the photo's credit and rights, the placement's words."""

    image: Image
    caption: str
    alt_text: str
    ratio: str

    @classmethod
    def place(
        cls,
        image: Image | None,
        caption: str = "",
        alt_text: str = "",
        ratio: str = "",
        default_ratio: str = "original",
    ) -> PlacedPhoto | None:
        """Return the photo with the placement's overrides, or None when readers may not see it.

        Readers see a photo once it has renditions: never its original file.
        """
        if image is None or not image.is_usable() or not image.renditions_ready:
            return None
        return cls(
            image=image,
            caption=caption or image.caption,
            alt_text=alt_text or image.alt_text,
            ratio=ratio or default_ratio,
        )

    @property
    def credit(self) -> str:
        return self.image.credit

    def sources(self) -> PictureSources:
        """Return what a ``<picture>`` needs: WebP and JPEG ``srcset``, fallback URL and size."""
        return PictureSources.for_image(self.image, self.ratio)


@dataclass(frozen=True)
class PictureSources:
    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int

    @classmethod
    def for_image(cls, image: Image, ratio: str) -> PictureSources | None:
        """Return the ``<picture>`` sources of one crop; None until the renditions exist."""
        memo = image.__dict__.setdefault("_sources_memo", {})
        key = (image.renditions_key, ratio)
        if key in memo:
            return memo[key]
        if not image.renditions_key:
            return None
        widths = tuple(app_settings.IMAGE_RENDITION_WIDTHS)
        jpeg = _srcset_plan(image.width, image.height, widths, ratio, "jpeg")
        if not jpeg:
            # Never the original file: it can be tens of megabytes and carries its EXIF.
            return None
        webp = _srcset_plan(image.width, image.height, widths, ratio, "webp")
        url = image._rendition_url
        # The fallback src is a mid-sized JPEG; width/height give the crop's shape.
        middle = next((r for r in jpeg if r[1] >= 960), jpeg[-1])
        memo[key] = sources = cls(
            webp_srcset=", ".join(f"{url(name)} {width}w" for name, width, _h in webp),
            jpeg_srcset=", ".join(f"{url(name)} {width}w" for name, width, _h in jpeg),
            src=url(middle[0]),
            width=middle[1],
            height=middle[2],
        )
        return sources


class BodyPhotoLibrary:
    """The photo library as the article body sees it (``body.PhotoLibrary``).

    An ``<img>`` is a library photo when its address is the photo's file or one of
    its renditions in the photos' storage: a path under the storage's URL, on this
    site (no host, or one of ``ALLOWED_HOSTS``) unless the storage has a host of its own.
    ``model`` is ``Image`` or, in a migration, its historical model.
    """

    def __init__(self, model=None):
        self.model = model

    def _name(self, src: str) -> str:
        storage = rendition_storage()
        try:
            base, parts = urlsplit(storage.url("")), urlsplit(src)
        except ValueError:
            return ""
        if base.netloc:
            if parts.netloc != base.netloc:
                return ""
        elif parts.netloc and not _local_host(parts.hostname or ""):
            return ""
        if not parts.path.startswith(base.path) or parts.path == base.path:
            return ""
        return unquote(parts.path[len(base.path) :])

    def find(self, srcs: Collection[str], ids: Collection[int]) -> tuple[dict[str, int], set[int]]:
        """Return ``({src: photo id}, {existing ids})`` in one query."""
        names = {src: name for src in srcs if (name := self._name(src))}
        if not names and not ids:
            return {}, set()
        folders = {posixpath.dirname(name) for name in names.values()} - {""}
        condition = Q(pk__in=list(ids))
        if names:
            condition |= Q(file__in=list(names.values())) | Q(renditions_key__in=list(folders))
        found = {}
        existing = set()
        for pk, file, key in (
            (self.model or Image)
            .objects.filter(condition)
            .values_list("pk", "file", "renditions_key")
        ):
            existing.add(pk)
            for src, name in names.items():
                if name == file or (key and posixpath.dirname(name) == key):
                    found[src] = pk
        return found, existing & set(ids)


def _local_host(host: str) -> bool:
    for allowed in settings.ALLOWED_HOSTS:
        if (
            allowed == "*"
            or host == allowed
            or (allowed.startswith(".") and (host.endswith(allowed) or host == allowed[1:]))
        ):
            return True
    return False


body_photo_library = BodyPhotoLibrary()
