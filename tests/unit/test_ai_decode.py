"""Photo decoding: upright RGB out, bombs and garbage refused with a typed error."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ai.decode import decode_image
from core.errors import DomainError
from core.photo_errors import UnreadablePhotoError

EXIF_ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def two_tone(size: tuple[int, int] = (64, 32)) -> Image.Image:
    """Red left half, blue right half: any rotation or mirror is visible."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def test_exif_orientation_is_applied() -> None:
    upright = two_tone()
    # Stored rotated by 90° with orientation 6 ("rotate 90 CW to view"): viewers show `upright`.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6

    decoded = decode_image(encode(stored, exif=exif.tobytes()))

    assert decoded.size == upright.size
    assert rgb(decoded, (4, 16))[0] > 200  # red on the left
    assert rgb(decoded, (60, 16))[2] > 200  # blue on the right


def test_draft_decodes_jpeg_at_reduced_scale_covering_the_target() -> None:
    data = encode(Image.new("RGB", (1280, 960), (10, 120, 30)))

    decoded = decode_image(data, target_size=(224, 224))

    assert decoded.size == (320, 240)  # 1/4 scale: the smallest that still covers 224
    assert decode_image(data).size == (1280, 960)


def test_png_with_alpha_gets_a_white_background() -> None:
    data = encode(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "PNG")

    decoded = decode_image(data)

    assert decoded.mode == "RGB"
    assert decoded.getpixel((0, 0)) == (255, 255, 255)


def test_too_many_pixels_is_refused_before_decoding() -> None:
    data = encode(Image.new("L", (4000, 4000)), "PNG")

    with pytest.raises(UnreadablePhotoError) as info:
        decode_image(data, max_pixels=1_000_000)

    assert info.value.reason == "too_many_pixels"


def test_too_many_bytes_is_refused() -> None:
    with pytest.raises(UnreadablePhotoError) as info:
        decode_image(b"x" * 101, max_bytes=100)

    assert info.value.reason == "too_large"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"this is not an image", "unsupported"),
        (b"II*\x00" + b"\x00" * 64, "unsupported"),  # TIFF is not an allowed format
    ],
)
def test_non_images_are_typed_domain_errors(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePhotoError) as info:
        decode_image(data)

    assert info.value.reason == reason
    assert isinstance(info.value, DomainError)


def test_truncated_jpeg_is_corrupt() -> None:
    data = encode(two_tone((256, 256)))

    with pytest.raises(UnreadablePhotoError) as info:
        decode_image(data[: len(data) // 2])

    assert info.value.reason == "corrupt"


def test_error_knows_which_photo_of_a_request_it_was() -> None:
    error = UnreadablePhotoError("corrupt", "bad").at(2)

    assert error.index == 2
    assert "photo #3" in str(error)


def test_error_survives_pickling_for_decode_processes_and_queues() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(UnreadablePhotoError("too_large", "21 MB", 0)))

    assert (error.reason, error.detail, error.index) == ("too_large", "21 MB", 0)
