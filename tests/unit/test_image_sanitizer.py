"""The Pillow sanitizer: no metadata survives, orientation does, bad images are refused."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image, ImageCms

from core.image_work import PixelLimits
from core.ports.images import ImageSanitizer
from core.uploads import (
    AVIF,
    GIF,
    JPEG,
    PHOTO_POLICY,
    PNG,
    WEBP,
    UploadRejectedError,
    UploadRejectReason,
    check_upload,
)
from db.storage.images import PillowImageSanitizer

ORIENTATION = 0x0112
GPS_IFD = 0x8825
MAKE = 0x010F
RED = (255, 0, 0)
BLUE = (0, 0, 255)
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", GIF: "GIF", AVIF: "AVIF"}


@pytest.fixture
def sanitizer() -> PillowImageSanitizer:
    return PillowImageSanitizer()


def _two_colour_image(width: int = 60, height: int = 20) -> Image.Image:
    """Left half red, right half blue: rotations are visible in the pixels."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def _jpeg_with_gps_and_orientation(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (55.0, 45.0, 21.0)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (37.0, 37.0, 4.0)  # GPSLongitude
    buffer = io.BytesIO()
    _two_colour_image().save(
        buffer,
        "JPEG",
        exif=exif,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude=55,45N</x:xmpmeta>',
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return buffer.getvalue()


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _close_to(actual: object, expected: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(actual, tuple)
    return all(abs(a - e) <= tolerance for a, e in zip(actual[:3], expected, strict=True))


def test_pillow_sanitizer_implements_the_port(sanitizer: PillowImageSanitizer) -> None:
    port: ImageSanitizer = sanitizer
    assert port is sanitizer


def test_source_really_carries_gps_exif_and_xmp() -> None:
    # Guards the test below: it would pass vacuously on a source without metadata.
    source = _open(_jpeg_with_gps_and_orientation())
    assert source.getexif()[ORIENTATION] == 6
    assert source.getexif().get_ifd(GPS_IFD)[1] == "N"
    assert "xmp" in source.info
    assert "icc_profile" in source.info


def test_sanitized_jpeg_has_no_exif_gps_xmp_or_icc(sanitizer: PillowImageSanitizer) -> None:
    result = sanitizer.sanitize(_jpeg_with_gps_and_orientation())

    assert result.content_type == JPEG
    cleaned = _open(result.data)
    assert cleaned.format == "JPEG"
    assert dict(cleaned.getexif()) == {}
    assert dict(cleaned.getexif().get_ifd(GPS_IFD)) == {}
    assert "exif" not in cleaned.info
    assert "xmp" not in cleaned.info
    assert "icc_profile" not in cleaned.info
    # Belt and braces: the tag text is nowhere in the file.
    assert b"Exif" not in result.data
    assert b"PhoneMaker" not in result.data
    assert b"GPSLatitude" not in result.data


def test_orientation_six_is_applied_to_the_pixels(sanitizer: PillowImageSanitizer) -> None:
    result = sanitizer.sanitize(_jpeg_with_gps_and_orientation(orientation=6))

    # Stored 60x20 with "rotate 90° clockwise to display": the output is 20x60, upright.
    assert (result.width, result.height) == (20, 60)
    cleaned = _open(result.data)
    assert cleaned.size == (20, 60)
    # Clockwise rotation moves the stored left (red) half to the top.
    assert _close_to(cleaned.getpixel((10, 5)), RED)
    assert _close_to(cleaned.getpixel((10, 55)), BLUE)


def test_image_without_orientation_keeps_its_shape(sanitizer: PillowImageSanitizer) -> None:
    buffer = io.BytesIO()
    _two_colour_image().save(buffer, "JPEG")
    result = sanitizer.sanitize(buffer.getvalue())
    assert (result.width, result.height) == (60, 20)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"definitely not an image",
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,  # a JPEG header and nothing behind it
        b"%PDF-1.7\n",
    ],
)
def test_garbage_is_unreadable(sanitizer: PillowImageSanitizer, data: bytes) -> None:
    with pytest.raises(UploadRejectedError) as caught:
        sanitizer.sanitize(data)
    assert caught.value.reason is UploadRejectReason.UNREADABLE_IMAGE


def test_truncated_jpeg_is_unreadable(sanitizer: PillowImageSanitizer) -> None:
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(buffer, "JPEG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 3]
    with pytest.raises(UploadRejectedError) as caught:
        sanitizer.sanitize(truncated)
    assert caught.value.reason is UploadRejectReason.UNREADABLE_IMAGE


def test_formats_pillow_could_parse_but_we_do_not_take_are_unreadable(
    sanitizer: PillowImageSanitizer,
) -> None:
    buffer = io.BytesIO()
    _two_colour_image().save(buffer, "BMP")
    with pytest.raises(UploadRejectedError) as caught:
        sanitizer.sanitize(buffer.getvalue())
    assert caught.value.reason is UploadRejectReason.UNREADABLE_IMAGE


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` x `height` (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    # Rows of zeros compress to almost nothing: this is how bombs stay small.
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [8_000, 60_000])
def test_decompression_bomb_is_refused_before_decoding(
    sanitizer: PillowImageSanitizer, side: int
) -> None:
    # 64 MP is refused by our own limit; 3.6 GP trips Pillow's guard first: same answer. A PNG
    # decodes whole, so the cap it is told is the lower one for such formats.
    bomb = _png_declaring(side, side)
    assert len(bomb) < 1024
    with pytest.raises(UploadRejectedError) as caught:
        sanitizer.sanitize(bomb)
    assert caught.value.reason is UploadRejectReason.IMAGE_TOO_LARGE
    assert caught.value.max_pixels == 16_000_000
    assert caught.value.message_args["max_megapixels"] == 16


def test_pixel_limit_is_configurable() -> None:
    buffer = io.BytesIO()
    _two_colour_image(100, 100).save(buffer, "PNG")
    with pytest.raises(UploadRejectedError) as caught:
        PillowImageSanitizer(limits=PixelLimits(max_pixels=9_999)).sanitize(buffer.getvalue())
    assert caught.value.reason is UploadRejectReason.IMAGE_TOO_LARGE


def test_png_with_alpha_is_flattened_on_white(sanitizer: PillowImageSanitizer) -> None:
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))  # fully transparent black
    image.paste((255, 0, 0, 255), (20, 0, 40, 40))  # opaque red right half
    buffer = io.BytesIO()
    image.save(buffer, "PNG")

    result = sanitizer.sanitize(buffer.getvalue())

    assert result.content_type == JPEG
    cleaned = _open(result.data)
    assert cleaned.mode == "RGB"
    # Transparent black becomes white, not black: flattened with the alpha as the mask.
    assert _close_to(cleaned.getpixel((5, 20)), (255, 255, 255))
    assert _close_to(cleaned.getpixel((35, 20)), RED)


def test_palette_png_with_transparency_is_flattened(sanitizer: PillowImageSanitizer) -> None:
    image = Image.new("P", (16, 16), 0)
    image.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    image.paste(1, (8, 0, 16, 16))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)

    cleaned = _open(sanitizer.sanitize(buffer.getvalue()).data)
    assert _close_to(cleaned.getpixel((2, 8)), (255, 255, 255))
    assert _close_to(cleaned.getpixel((13, 8)), (0, 255, 0))


def test_animated_gif_keeps_the_first_frame(sanitizer: PillowImageSanitizer) -> None:
    frames = [Image.new("RGB", (32, 32), colour) for colour in (RED, BLUE, (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    result = sanitizer.sanitize(buffer.getvalue())

    cleaned = _open(result.data)
    assert cleaned.format == "JPEG"
    assert getattr(cleaned, "n_frames", 1) == 1
    assert _close_to(cleaned.getpixel((16, 16)), RED)


def test_huge_image_is_downscaled_to_max_side() -> None:
    buffer = io.BytesIO()
    _two_colour_image(1000, 400).save(buffer, "JPEG")
    result = PillowImageSanitizer(max_side=250).sanitize(buffer.getvalue())
    assert (result.width, result.height) == (250, 100)
    assert _open(result.data).size == (250, 100)


def test_sixteen_bit_greyscale_png_is_not_clipped_to_white(
    sanitizer: PillowImageSanitizer,
) -> None:
    image = Image.new("I;16", (8, 8), 32_768)  # mid-grey in 16 bits
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    cleaned = _open(sanitizer.sanitize(buffer.getvalue()).data)
    assert _close_to(cleaned.getpixel((4, 4)), (128, 128, 128), tolerance=8)


def test_every_type_the_photo_policy_accepts_is_decodable(
    sanitizer: PillowImageSanitizer,
) -> None:
    # The policy is stdlib-only and cannot ask Pillow; this test is the link between them.
    assert PHOTO_POLICY.allowed <= sanitizer.readable_types
    for content_type in sorted(PHOTO_POLICY.allowed):
        buffer = io.BytesIO()
        _two_colour_image().save(buffer, PILLOW_FORMATS[content_type])
        data = buffer.getvalue()
        assert check_upload(data, PHOTO_POLICY) == content_type
        result = sanitizer.sanitize(data)
        assert (result.width, result.height) == (60, 20), content_type
        assert _open(result.data).format == "JPEG"
