"""articles.imaging: verifying uploads, reading embedded metadata, making renditions."""

import io
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image as PILImage

from articles.imaging import (
    crop_box,
    inspect_photo,
    make_renditions,
    plan_renditions,
    read_photo_metadata,
)
from tests.conftest import jpeg_bytes, photo_bytes, xmp_packet

# ../shared/standards next to the checkout (or next to the folder of worktrees).
_REFERENCE = "shared/standards/iptc-photo/IPTC-PhotometadataRef-Std2017.1.jpg"
IPTC_REFERENCE = next(
    (
        parent / _REFERENCE
        for parent in Path(__file__).resolve().parents
        if (parent / _REFERENCE).exists()
    ),
    Path(_REFERENCE),
)
needs_reference = pytest.mark.skipif(
    not IPTC_REFERENCE.exists(), reason="IPTC reference image not available"
)


def png_bomb(side: int = 20_000) -> bytes:
    """A 1-bit PNG of side x side pixels that compresses to a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def gif_with_comment(comment: bytes) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("P", (8, 8)).save(buffer, "GIF", comment=comment)
    return buffer.getvalue()


def code_of(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        inspect_photo(io.BytesIO(content))
    return caught.value.code


# --- Verifying uploads -----------------------------------------------------------


def test_a_jpeg_is_measured_and_hashed():
    facts = inspect_photo(io.BytesIO(jpeg_bytes(64, 48)))
    assert (facts.format, facts.width, facts.height, facts.extension) == ("JPEG", 64, 48, "jpg")
    assert len(facts.sha256) == 64 and facts.size > 0


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_other_web_formats_are_accepted(fmt):
    assert inspect_photo(io.BytesIO(jpeg_bytes(20, 10, fmt=fmt))).format == fmt


def test_exif_orientation_swaps_the_recorded_size():
    facts = inspect_photo(io.BytesIO(photo_bytes(80, 40, orientation=6)))
    assert (facts.width, facts.height, facts.orientation) == (40, 80, 6)


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty_file"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>", "invalid_image"),
        (b"<!doctype html><html><body>Hello</body></html>", "invalid_image"),
        (b"just some text that is not a picture", "invalid_image"),
        (jpeg_bytes(200, 200)[:400], "invalid_image"),  # truncated
        (jpeg_bytes() + b"<script>alert(document.cookie)</script>", "polyglot"),
        (gif_with_comment(b"<script src=//evil.example/x.js></script>"), "polyglot"),
    ],
    ids=["empty", "svg", "html", "text", "truncated", "jpeg-plus-script", "gif-comment"],
)
def test_unsafe_or_broken_files_are_refused(content, code):
    assert code_of(content) == code


def test_a_decompression_bomb_is_refused_from_its_header():
    assert code_of(png_bomb()) == "too_many_pixels"


@override_settings(ARTICLES_IMAGE_MAX_PIXELS=1000)
def test_the_pixel_limit_is_a_setting():
    assert code_of(jpeg_bytes(40, 30)) == "too_many_pixels"


@override_settings(ARTICLES_IMAGE_MAX_UPLOAD_BYTES=100)
def test_the_file_size_limit_is_a_setting():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as caught:
        inspect_photo(SimpleUploadedFile("a.jpg", jpeg_bytes()))
    assert caught.value.code == "file_too_large"


def test_tiff_is_not_accepted():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(buffer, "TIFF")
    assert code_of(buffer.getvalue()) == "unsupported_format"


# --- Embedded metadata -----------------------------------------------------------------


@needs_reference
def test_the_iptc_reference_image_gives_caption_credit_creator_and_copyright():
    with IPTC_REFERENCE.open("rb") as file:
        found = read_photo_metadata(file)
    assert found["caption"] == "The description aka caption (ref2017.1)"
    assert found["credit"] == "Credit Line (ref2017.1)"
    assert found["creator"] == "Creator1 (ref2017.1); Creator2 (ref2017.1)"
    assert found["copyright_notice"] == (
        "Copyright (Notice) 2017.1 IPTC - www.iptc.org (ref2017.1)"
    )
    assert found["source"] == "Source (ref2017.1)"
    assert found["date_created"] == date(2017, 7, 13)
    assert found["raw"]["iptc"]["2:110"] == ["Credit Line (ref2017.1)"]
    assert found["raw"]["iptc"]["2:0"] == ["0x0004"]  # binary: kept as hex, storable as JSON
    assert found["raw"]["xmp"]["xmpmeta"]


def test_utf8_iptc_is_read_with_its_non_ascii_text():
    content = photo_bytes(
        iptc={
            (1, 90): b"\x1b%G",
            (2, 120): "Zoë at the Łódź café, 東京".encode(),
            (2, 110): "AFP/Søren Kierkegård".encode(),
            (2, 80): "Søren Kierkegård".encode(),
            (2, 116): "© 2026 Agence France-Presse".encode(),
            (2, 55): b"20260301",
        }
    )
    found = read_photo_metadata(io.BytesIO(content))
    assert found["caption"] == "Zoë at the Łódź café, 東京"
    assert found["credit"] == "AFP/Søren Kierkegård"
    assert found["creator"] == "Søren Kierkegård"
    assert found["copyright_notice"] == "© 2026 Agence France-Presse"
    assert found["date_created"] == date(2026, 3, 1)


def test_legacy_latin_1_iptc_is_decoded():
    content = photo_bytes(iptc={(2, 110): "Agence Française".encode("latin-1")})
    assert read_photo_metadata(io.BytesIO(content))["credit"] == "Agence Française"


def test_xmp_is_read_and_wins_over_iptc():
    content = photo_bytes(
        iptc={(1, 90): b"\x1b%G", (2, 120): b"Old IIM caption"},
        xmp=xmp_packet(
            description="Ström &amp; Grönwall, Malmö",
            creator="Åsa Ström",
            rights="© Åsa Ström",
            credit="TT/Åsa Ström",
            source="TT News Agency",
            date="2025-12-24T08:00:00+01:00",
            alt="Two people shaking hands on a snowy quay",
        ),
    )
    found = read_photo_metadata(io.BytesIO(content))
    assert found["caption"] == "Ström & Grönwall, Malmö"
    assert (found["creator"], found["credit"]) == ("Åsa Ström", "TT/Åsa Ström")
    assert found["copyright_notice"] == "© Åsa Ström"
    assert found["source"] == "TT News Agency"
    assert found["date_created"] == date(2025, 12, 24)
    assert found["alt_text"] == "Two people shaking hands on a snowy quay"


def test_credit_and_creator_are_never_copied_into_each_other():
    only_creator = photo_bytes(iptc={(2, 80): b"Jane Photographer"})
    only_credit = photo_bytes(iptc={(2, 110): b"REUTERS"})
    assert read_photo_metadata(io.BytesIO(only_creator))["credit"] == ""
    assert read_photo_metadata(io.BytesIO(only_credit))["creator"] == ""


def test_a_file_without_metadata_gives_empty_values():
    found = read_photo_metadata(io.BytesIO(jpeg_bytes()))
    assert found["caption"] == found["credit"] == found["creator"] == ""
    assert found["date_created"] is None


# --- Renditions -------------------------------------------------------------------------


def test_crops_keep_the_focal_point_in_view():
    assert crop_box(1600, 900, "1:1", focal_x=90, focal_y=50) == (700, 0, 1600, 900)
    assert crop_box(1600, 900, "1:1", focal_x=10, focal_y=50) == (0, 0, 900, 900)
    assert crop_box(1000, 1000, "16:9", focal_x=50, focal_y=0) == (0, 0, 1000, 562)


def test_renditions_are_never_wider_than_the_photo():
    widths = {spec.width for spec in plan_renditions(700, 400, (320, 640, 960), ratios=["1:1"])}
    assert widths == {320}


def test_renditions_carry_no_gps_serial_or_xmp_and_follow_the_orientation():
    content = photo_bytes(120, 60, orientation=6, gps=True, xmp=xmp_packet(credit="AP/Someone"))
    specs = plan_renditions(60, 120, (30, 60))
    made = list(make_renditions(io.BytesIO(content), specs))
    assert len(made) == len(specs)
    for spec, data in made:
        picture = PILImage.open(io.BytesIO(data))
        assert picture.size == (spec.width, spec.height)
        assert not picture.getexif() and "xmp" not in picture.info
        assert b"BODY-SERIAL" not in data and b"AP/Someone" not in data


# --- Metadata text and animations (issue 14) --------------------------------------


def test_markup_quoted_in_a_caption_is_text_not_a_polyglot():
    caption = "Protesters hold a sign reading <script>alert(1)</script> & <b>no</b>"
    content = photo_bytes(iptc={(2, 120): caption.encode(), (2, 110): b"AGENCY"})
    assert inspect_photo(io.BytesIO(content)).format == "JPEG"
    assert read_photo_metadata(io.BytesIO(content))["caption"] == caption


def test_markup_in_xmp_is_text_too():
    content = photo_bytes(xmp=xmp_packet(description="A <iframe src=x> in the caption"))
    assert inspect_photo(io.BytesIO(content)).format == "JPEG"


def test_markup_after_the_image_data_is_still_a_polyglot():
    content = photo_bytes(iptc={(2, 110): b"AGENCY"}) + b"<html><script>x()</script>"
    assert code_of(content) == "polyglot"


def test_latin1_caption_without_a_charset_marker_is_decoded_whole():
    # 0x81 and 0x8d are not Windows-1252 characters: the whole value is ISO 8859-1.
    caption = "Caf\xe9 \x81in Z\xfcrich, se\xf1or \x8d end"
    content = photo_bytes(iptc={(2, 120): caption.encode("latin-1"), (2, 110): b"AGENCY"})
    found = read_photo_metadata(io.BytesIO(content))["caption"]
    assert found == "Café in Zürich, señor  end"


def animation(fmt: str, frames: int, size: int) -> bytes:
    # Frames of different colours: identical frames would be merged into one.
    pictures = [PILImage.new("RGB", (size, size), (i * 20 % 250, 0, 0)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, fmt, save_all=True, append_images=pictures[1:], duration=10)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "PNG"])
def test_animation_counts_every_frame_against_the_pixel_cap(settings, fmt):
    settings.ARTICLES_IMAGE_MAX_PIXELS = 100 * 100 * 10
    assert inspect_photo(io.BytesIO(animation(fmt, 10, 100))).width == 100
    with pytest.raises(ValidationError) as caught:
        inspect_photo(io.BytesIO(animation(fmt, 11, 100)))
    assert caught.value.code == "too_many_pixels"
    assert "11 frames" in caught.value.messages[0]
