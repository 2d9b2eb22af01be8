"""Photo files: verify uploads, read their embedded metadata, make renditions.

Plain functions over file objects and Pillow. Nothing here touches the
database, so the admin, management commands and importers share them:

- ``inspect_photo(file)`` decodes and verifies an upload and returns its facts;
- ``read_photo_metadata(file)`` reads the IPTC-IIM and XMP caption, credit and rights;
- ``plan_renditions(...)`` and ``make_renditions(...)`` list and encode the resized copies.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, IptcImagePlugin, features

from .conf import app_settings
from .text import clean_line, clean_text

# Pillow format name -> file extension we store the photo under.
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
if features.check("avif"):
    ACCEPTED_FORMATS["AVIF"] = "avif"

# Markup a browser could run or render if the file were ever taken for a document,
# and server-side script openers. This is defence in depth: photos are stored under
# the extension of the format they decode as, and readers get re-encoded renditions.
# The shortest pattern (``<html`` and a delimiter) matches random compressed data
# about once in 70,000 files of 30 MB; the others far more rarely. XMP packets are
# namespaced (``<x:xmpmeta``, ``<dc:title``) and never match.
_MARKUP = re.compile(
    rb"<(?:script|html|iframe|object|embed|!doctype\s+html)[\s>/]"
    rb"|<\?php\s|<svg\s[^<>]{0,300}xmlns",
    re.IGNORECASE,
)
_CHUNK = 1024 * 1024
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class PhotoFacts:
    """What ``inspect_photo`` learnt about a verified photo file."""

    format: str
    width: int  # after EXIF orientation
    height: int
    size: int  # bytes
    sha256: str
    orientation: int = 1

    @property
    def extension(self) -> str:
        return ACCEPTED_FORMATS[self.format]


def _invalid() -> ValidationError:
    names = ", ".join(sorted({"JPEG", "PNG", "WebP", "GIF"} | ({"AVIF"} & ACCEPTED_FORMATS.keys())))
    return ValidationError(
        _("The file is not a photo we can read (%(formats)s).") % {"formats": names},
        code="invalid_image",
    )


def _scan(file) -> tuple[int, str, list[int]]:
    """Return the file's size and SHA-256, and where it carries markup (the first few places)."""
    digest = hashlib.sha256()
    size = 0
    tail = b""
    places: list[int] = []
    file.seek(0)
    while chunk := file.read(_CHUNK):
        digest.update(chunk)
        if len(places) < _MAX_PLACES:
            window = tail + chunk
            places.extend(size - len(tail) + m.start() for m in _MARKUP.finditer(window))
            places = sorted(set(places))[:_MAX_PLACES]
        size += len(chunk)
        tail = chunk[-32:]
    return size, digest.hexdigest(), places


_MAX_PLACES = 64
_MAX_SEGMENTS = 4096


def _jpeg_text_ranges(file) -> Iterator[tuple[int, int]]:
    # Segments before the image data: APPn (EXIF, XMP, IPTC) and COM hold metadata text.
    file.seek(2)
    position = 2
    for _segment in range(_MAX_SEGMENTS):
        head = file.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return
        marker, length = head[1], int.from_bytes(head[2:4], "big")
        if marker in (0xDA, 0xD9) or length < 2:
            return  # the image data begins: anything after it is not metadata
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            yield position, position + 2 + length
        position += 2 + length
        file.seek(position)


def _png_text_ranges(file) -> Iterator[tuple[int, int]]:
    file.seek(8)
    position = 8
    for _segment in range(_MAX_SEGMENTS):
        head = file.read(8)
        if len(head) < 8:
            return
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        if kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
            yield position, position + 12 + length
        if kind == b"IEND":
            return
        position += 12 + length
        file.seek(position)


def _webp_text_ranges(file) -> Iterator[tuple[int, int]]:
    file.seek(12)
    position = 12
    for _segment in range(_MAX_SEGMENTS):
        head = file.read(8)
        if len(head) < 8:
            return
        length = int.from_bytes(head[4:], "little")
        if head[:4] in (b"XMP ", b"EXIF"):
            yield position, position + 8 + length
        position += 8 + length + (length & 1)
        file.seek(position)


def _gif_frames(file) -> int:
    """Count a GIF's frames by walking its blocks, without decoding a pixel."""

    def skip_sub_blocks() -> bool:
        while size := file.read(1):
            if size[0] == 0:
                return True
            file.seek(size[0], io.SEEK_CUR)
        return False

    file.seek(10)
    flags = file.read(3)[:1]
    if not flags:
        return 1
    if flags[0] & 0x80:  # a global colour table
        file.seek(3 * 2 ** ((flags[0] & 7) + 1), io.SEEK_CUR)
    frames = 0
    while block := file.read(1):
        if block == b"\x21":  # an extension: its label, then its sub-blocks
            file.read(1)
            if not skip_sub_blocks():
                break
        elif block == b"\x2c":  # an image: descriptor, local colour table, LZW data
            descriptor = file.read(9)
            if len(descriptor) < 9:
                break
            frames += 1
            if descriptor[8] & 0x80:
                file.seek(3 * 2 ** ((descriptor[8] & 7) + 1), io.SEEK_CUR)
            file.read(1)
            if not skip_sub_blocks():
                break
        else:  # the trailer, or garbage
            break
    return max(frames, 1)


def _frame_count(file, picture) -> int:
    if picture.format == "GIF":
        count = _gif_frames(file)
        file.seek(0)
        return count
    # APNG and animated WebP state their frame count in a header chunk.
    return getattr(picture, "n_frames", 1)


_TEXT_RANGES = {
    "JPEG": _jpeg_text_ranges,
    "MPO": _jpeg_text_ranges,
    "PNG": _png_text_ranges,
    "WEBP": _webp_text_ranges,
}


def _outside_metadata(file, fmt: str, places: list[int]) -> list[int]:
    """Return the markup places that are not inside the file's metadata text.

    A caption may well quote ``<script>``: metadata is text, escaped wherever it is
    shown. Markup anywhere else (after the image data, in a GIF) still makes a polyglot.
    """
    if not places or fmt not in _TEXT_RANGES:
        return places
    ranges = list(_TEXT_RANGES[fmt](file))
    file.seek(0)
    return [p for p in places if not any(start <= p < end for start, end in ranges)]


def inspect_photo(file) -> PhotoFacts:
    """Decode and verify an uploaded photo; return its format, size and hash.

    Refuses, with a ``ValidationError`` carrying a ``code``: empty files, files over
    ``ARTICLES_IMAGE_MAX_UPLOAD_BYTES``, anything Pillow cannot decode (SVG, HTML,
    text), files that also carry markup (polyglots), truncated files, formats outside
    ``ACCEPTED_FORMATS``, and pictures over ``ARTICLES_IMAGE_MAX_PIXELS`` — the last
    from the header alone, so a decompression bomb is never decoded.

    The result is cached on the file object: the model's validator and ``clean()``
    may both ask without decoding twice.
    """
    cached = getattr(file, "_newsroom_photo_facts", None)
    if cached is not None:
        return cached
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    limit = app_settings.IMAGE_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s; photos may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    size, sha256, markup = _scan(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as picture:
                fmt, (width, height) = picture.format, picture.size
                if fmt not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("%(format)s files are not accepted; upload a JPEG, PNG, WebP or GIF.")
                        % {"format": fmt},
                        code="unsupported_format",
                    )
                if width * height > app_settings.IMAGE_MAX_PIXELS:
                    raise _too_many_pixels(width, height)
                frames = _frame_count(file, picture)
                if frames * width * height > app_settings.IMAGE_MAX_PIXELS:
                    # Each frame of an animation is a picture to decode: count them all.
                    raise ValidationError(
                        _(
                            "The animation has %(frames)s frames of %(w)s×%(h)s pixels; at "
                            "most %(limit)s pixels in all frames together are accepted."
                        )
                        % {
                            "frames": frames,
                            "w": width,
                            "h": height,
                            "limit": app_settings.IMAGE_MAX_PIXELS,
                        },
                        code="too_many_pixels",
                    )
                orientation = picture.getexif().get(_ORIENTATION_TAG, 1)
                # Decode every byte so truncated files fail here, not on a reader's page.
                # libjpeg decodes at 1/8 scale just as strictly, and eight times faster.
                if fmt in {"JPEG", "MPO"}:
                    picture.draft(None, (max(1, width // 8), max(1, height // 8)))
                picture.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The picture has too many pixels to be processed safely."), code="too_many_pixels"
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _invalid() from exc
    finally:
        file.seek(0)
    if _outside_metadata(file, fmt, markup):
        # It decodes as a picture, but a browser sniffing it could also run it as a page.
        raise ValidationError(
            _("The file contains web page or script code as well as a picture; it is refused."),
            code="polyglot",
        )
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    facts = PhotoFacts(
        fmt, width, height, size, sha256, orientation if 1 <= orientation <= 8 else 1
    )
    with contextlib.suppress(AttributeError):  # files with __slots__ are not cached
        file._newsroom_photo_facts = facts
    return facts


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("The photo is %(w)s×%(h)s pixels; at most %(limit)s pixels are accepted.")
        % {"w": width, "h": height, "limit": app_settings.IMAGE_MAX_PIXELS},
        code="too_many_pixels",
    )


def validate_image_file(file) -> None:
    """Model-field validator: the checks of ``inspect_photo`` on an uploaded file."""
    if getattr(file, "_committed", False):
        return  # already in storage: checked when it was uploaded
    inspect_photo(photo_source(file))


def photo_source(field_file):
    """Return the readable file behind a model's ``FieldFile`` (the upload, if not yet stored)."""
    inner = getattr(field_file, "_file", None)
    return (
        inner if inner is not None and not getattr(field_file, "_committed", True) else field_file
    )


# --- Embedded metadata -------------------------------------------------------

# The fields ``read_photo_metadata`` fills, with their IPTC-IIM dataset and XMP name.
# Credit (2:110) and creator (2:80) are different people or organisations and are
# never copied into each other.
IPTC_FIELDS = {
    "caption": (2, 120),
    "credit": (2, 110),
    "creator": (2, 80),
    "copyright_notice": (2, 116),
    "source": (2, 115),
}
XMP_FIELDS = {
    "caption": "description",  # dc:description
    "credit": "Credit",  # photoshop:Credit
    "creator": "creator",  # dc:creator
    "copyright_notice": "rights",  # dc:rights
    "source": "Source",  # photoshop:Source
}
_UTF8_MARKER = b"\x1b%G"  # IPTC 1:90, coded character set: UTF-8


def _decode_iptc(value: bytes, utf8: bool) -> str:
    if utf8:
        return value.decode("utf-8", "replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Legacy agency feeds without 1:90 are mostly Windows-1252 ...
        return value.decode("cp1252")
    except UnicodeDecodeError:
        # ... or ISO 8859-1, which decodes any byte: the whole value is kept.
        return value.decode("latin-1")


def _iptc_values(picture) -> dict[str, list[str]]:
    try:
        raw = IptcImagePlugin.getiptcinfo(picture) or {}
    except (OSError, SyntaxError, ValueError, IndexError):
        return {}
    charset = raw.get((1, 90))
    utf8 = (charset[0] if isinstance(charset, list) else charset) == _UTF8_MARKER
    values = {}
    for (record, dataset), value in raw.items():
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, bytes) for item in items):
            continue
        values[f"{record}:{dataset}"] = [_raw_text(item, utf8) for item in items]
    return values


_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _raw_text(value: bytes, utf8: bool) -> str:
    """Decode one IPTC value for keeping; binary datasets (2:0, 1:90) are kept as hex.

    Databases refuse NUL characters in JSON (PostgreSQL's jsonb), so no control
    character is stored as such.
    """
    text = _decode_iptc(value, utf8)
    return "0x" + value.hex() if _BINARY.search(text) else text


def _xmp_text(value) -> list[str]:
    """Flatten an XMP value (plain text, rdf:Alt, rdf:Seq or rdf:Bag) to its strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _xmp_text(item)]
    if isinstance(value, dict):
        for container in ("Alt", "Seq", "Bag"):
            if container in value:
                items = _xmp_text(value[container].get("li", []))
                if container == "Alt":
                    # Prefer the x-default entry of a language alternative.
                    defaults = [
                        li.get("text", "")
                        for li in _as_list(value[container].get("li"))
                        if isinstance(li, dict) and li.get("lang") == "x-default"
                    ]
                    return defaults[:1] or items[:1]
                return items
        if "text" in value:
            return [value["text"]]
    return []


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _xmp_values(picture) -> tuple[dict, dict[str, object]]:
    """Return Pillow's parsed XMP packet and its rdf:Description properties merged."""
    getxmp = getattr(picture, "getxmp", None)
    if getxmp is None:
        return {}, {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            packet = getxmp() or {}
    except (SyntaxError, ValueError, TypeError, AttributeError):
        # Pillow parses with defusedxml; a hostile or broken packet is ignored.
        return {}, {}
    descriptions = _as_list(packet.get("xmpmeta", {}).get("RDF", {}).get("Description"))
    merged: dict[str, object] = {}
    for description in descriptions:
        if isinstance(description, dict):
            for key, value in description.items():
                merged.setdefault(key, value)
    return packet, merged


def _parse_date(value: str) -> date | None:
    digits = re.sub(r"[^0-9]", "", value or "")[:8]
    if len(digits) < 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def read_photo_metadata(file) -> dict:
    """Read the caption, credit and rights embedded in a photo file.

    Returns a dict with the keys ``caption``, ``credit``, ``creator``,
    ``copyright_notice``, ``source``, ``alt_text`` (strings, "" when absent), ``date_created``
    (a ``date`` or ``None``) and ``raw``: ``{"iptc": {"2:120": [...], ...}, "xmp": {...}}``,
    the values as found, for reference. XMP wins over IPTC-IIM where both are set
    (XMP is always Unicode; IIM is often legacy-encoded). Never raises on bad
    metadata: a file without any gives empty values.
    """
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        with PILImage.open(file) as picture:
            iptc = _iptc_values(picture)
            packet, xmp = _xmp_values(picture)
    except (OSError, SyntaxError, ValueError):
        iptc, packet, xmp = {}, {}, {}
    finally:
        file.seek(position)
    result: dict = {}
    for field, (record, dataset) in IPTC_FIELDS.items():
        found = _xmp_text(xmp.get(XMP_FIELDS[field])) or iptc.get(f"{record}:{dataset}", [])
        found = [text.strip() for text in found if text and text.strip()]
        joined = "; " if field == "creator" else "\n"
        text = joined.join(found)
        result[field] = clean_text(text) if field == "caption" else clean_line(text)
    # IPTC 2021's "Alt Text (Accessibility)" exists only in XMP.
    result["alt_text"] = clean_line(" ".join(_xmp_text(xmp.get("AltTextAccessibility"))))
    iptc_date = (iptc.get("2:55") or [""])[0]
    xmp_date = "".join(_xmp_text(xmp.get("DateCreated")))
    result["date_created"] = _parse_date(xmp_date) or _parse_date(iptc_date)
    result["raw"] = {"iptc": iptc, "xmp": packet}
    return result


# --- Renditions ----------------------------------------------------------------

RATIOS: dict[str, tuple[int, int] | None] = {
    "original": None,
    "16:9": (16, 9),
    "4:3": (4, 3),
    "1:1": (1, 1),
}
FORMATS = {
    "webp": ("WEBP", "image/webp", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
RENDITION_VERSION = 1  # bump when the encoding changes, so every name changes
# What ``make_renditions`` raises for a stored file it cannot render: missing,
# damaged, or not a picture any more.
RENDITION_ERRORS = (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError)


@dataclass(frozen=True)
class RenditionSpec:
    """One resized copy of a photo: which crop, how wide, which format."""

    ratio: str
    width: int
    height: int
    fmt: str

    @property
    def filename(self) -> str:
        slug = self.ratio.replace(":", "x")
        return f"{slug}-{self.width}.{'jpg' if self.fmt == 'jpeg' else self.fmt}"


def crop_box(
    width: int, height: int, ratio: str, focal_x: float = 50, focal_y: float = 50
) -> tuple[int, int, int, int]:
    """Return the largest ``ratio`` box inside ``width`` x ``height`` centred on the focal point.

    The focal point is in percent of the width and height; the box is moved, never
    shrunk, to stay inside the picture.
    """
    shape = RATIOS[ratio]
    if shape is None:
        return (0, 0, width, height)
    rw, rh = shape
    crop_w = min(width, height * rw // rh)
    crop_h = min(height, crop_w * rh // rw)
    left = round(width * focal_x / 100 - crop_w / 2)
    top = round(height * focal_y / 100 - crop_h / 2)
    left = max(0, min(width - crop_w, left))
    top = max(0, min(height - crop_h, top))
    return (left, top, left + crop_w, top + crop_h)


def plan_renditions(
    width: int,
    height: int,
    widths: Iterable[int],
    ratios: Iterable[str] = tuple(RATIOS),
    formats: Iterable[str] = tuple(FORMATS),
) -> list[RenditionSpec]:
    """List the renditions of a ``width`` x ``height`` photo: never wider than the crop.

    Depends only on the numbers given, so templates can compute every URL from
    the image row without touching storage.
    """
    if width <= 0 or height <= 0:
        return []
    specs = []
    for ratio in ratios:
        left, top, right, bottom = crop_box(width, height, ratio)
        crop_w, crop_h = right - left, bottom - top
        fitting = sorted({w for w in widths if w <= crop_w}) or [crop_w]
        for w in fitting:
            h = max(1, round(w * crop_h / crop_w))
            specs.extend(RenditionSpec(ratio, w, h, fmt) for fmt in formats)
    return specs


def _flatten(picture: PILImage.Image) -> PILImage.Image:
    if picture.mode == "RGB":
        return picture
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        canvas = PILImage.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return picture.convert("RGB")


def make_renditions(
    file, specs: list[RenditionSpec], focal_x: float = 50, focal_y: float = 50
) -> Iterator[tuple[RenditionSpec, bytes]]:
    """Encode each rendition in ``specs``; yield it with its bytes.

    The photo is decoded once (JPEGs at the smallest scale libjpeg offers that still
    covers the largest rendition), turned by its EXIF orientation, and flattened to
    RGB. The copies carry no EXIF, XMP, IPTC or comments — so no GPS position or
    camera serial number — only the ICC colour profile.
    """
    if not specs:
        return
    file.seek(0)
    with PILImage.open(file) as source:
        raw_w, raw_h = source.size
        oriented = source.getexif().get(_ORIENTATION_TAG, 1) in (5, 6, 7, 8)
        full_w, full_h = (raw_h, raw_w) if oriented else (raw_w, raw_h)
        boxes = {ratio: crop_box(full_w, full_h, ratio, focal_x, focal_y) for ratio in RATIOS}
        scale = max(spec.width / (boxes[spec.ratio][2] - boxes[spec.ratio][0]) for spec in specs)
        if source.format in {"JPEG", "MPO"} and scale < 0.5:
            source.draft("RGB", (math.ceil(raw_w * scale), math.ceil(raw_h * scale)))
        icc_profile = source.info.get("icc_profile")
        picture = _flatten(ImageOps.exif_transpose(source))
    factor = picture.width / full_w
    by_ratio: dict[str, list[RenditionSpec]] = {}
    for spec in specs:
        by_ratio.setdefault(spec.ratio, []).append(spec)
    for ratio, group in by_ratio.items():
        box = tuple(round(edge * factor) for edge in boxes[ratio])
        current = picture.crop(box)
        # Largest first; each size is resized from the one before, which is
        # at least as large, so the work shrinks with every step.
        sizes = sorted({(s.width, s.height) for s in group}, reverse=True)
        for size in sizes:
            if current.size != size:
                current = current.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            current.info = {}
            for spec in (s for s in group if (s.width, s.height) == size):
                pil_format, _mime, options = FORMATS[spec.fmt]
                buffer = io.BytesIO()
                extra = {"icc_profile": icc_profile} if icc_profile else {}
                current.save(buffer, pil_format, **options, **extra)
                yield spec, buffer.getvalue()
