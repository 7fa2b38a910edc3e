"""Which image bytes Telegram takes as a photo (the rest go as documents).

Source of every row: https://core.telegram.org/bots/api#sendphoto — "The photo must be at most
10 MB in size. The photo's width and height must not exceed 10000 in total. Width and height
ratio must be at most 20." (10 MB read as 10 MiB, as the sandbox emulator reads it.)
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from dialogs.widgets.limits import PHOTO_MAX_BYTES, fits_photo_rules


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width`×`height` and holds no pixels: the rule reads headers only,
    so a 5000×5001 picture costs no memory here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _padded_to(size: int) -> bytes:
    """A real 640×480 JPEG, padded after its end marker to exactly `size` bytes."""
    data = _jpeg(640, 480)
    return data + b"\0" * (size - len(data))


@pytest.mark.parametrize(
    ("data", "fits"),
    [
        # 10 MB
        (_padded_to(PHOTO_MAX_BYTES), True),
        (_padded_to(PHOTO_MAX_BYTES + 1), False),
        # width + height ≤ 10000
        (_png_header(5000, 5000), True),
        (_png_header(5000, 5001), False),
        (_png_header(9500, 500), True),
        (_png_header(9501, 500), False),
        # ratio ≤ 20, either way round
        (_png_header(476, 9520), True),
        (_png_header(476, 9521), False),
        (_png_header(20, 1), True),
        (_png_header(21, 1), False),
        # what the records dialog meets: a phone photo, a long receipt after the sanitizer
        # (600×13000 scaled to 4096 high), and one as uploaded
        (_jpeg(640, 480), True),
        (_png_header(189, 4096), False),
        (_png_header(600, 13000), False),
        # not an image: sent as a document whatever it is
        (b"", False),
        (b"%PDF-1.7\n" + b"lab results" * 10, False),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, False),
        (_png_header(0, 100), False),
    ],
    ids=[
        "10MiB",
        "10MiB+1",
        "sum-10000",
        "sum-10001",
        "wide-sum-10000",
        "wide-sum-10001",
        "ratio-20-tall",
        "ratio-over-20-tall",
        "ratio-20-wide",
        "ratio-21-wide",
        "phone-photo",
        "sanitized-receipt",
        "receipt",
        "empty",
        "pdf",
        "broken-png",
        "zero-width",
    ],
)
def test_fits_photo_rules(data: bytes, fits: bool) -> None:
    assert fits_photo_rules(data) is fits
