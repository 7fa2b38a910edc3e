"""The Pillow inspector on JPEGs as an owner sends them: the thresholds' calibration set.

Photo-like pictures (`tests.photos`) pass; black, near-black, white, washed-out, tiny, flat and
strongly blurred ones fail with the right problem. The measured values are quoted beside each
threshold in `core.photo_quality`; `test_measured_values_keep_a_margin` keeps them honest.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageEnhance, ImageFilter

from core.photo_quality import (
    BRIGHT_SHADOWS,
    DARK_HIGHLIGHTS,
    MIN_SHARPNESS,
    PhotoProblem,
    PhotoStats,
    assess,
)
from core.ports.images import PhotoQualityInspector
from core.uploads import UploadRejectedError, UploadRejectReason
from db.storage.images import PillowImageSanitizer
from db.storage.photo_quality import PillowPhotoQualityInspector
from tests.photos import jpeg_bytes, realistic_image, realistic_jpeg

TOO_DARK = (PhotoProblem.TOO_DARK,)
TOO_BRIGHT = (PhotoProblem.TOO_BRIGHT,)
TOO_SMALL = (PhotoProblem.TOO_SMALL,)
BLURRED = (PhotoProblem.BLURRED,)


def _flat(colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> bytes:
    return jpeg_bytes(Image.new("RGB", size, colour))


def _brightness(factor: float) -> bytes:
    return jpeg_bytes(ImageEnhance.Brightness(realistic_image()).enhance(factor))


def _contrast(factor: float) -> bytes:
    return jpeg_bytes(ImageEnhance.Contrast(realistic_image()).enhance(factor))


def _blurred(radius: float, width: int = 640, height: int = 480) -> bytes:
    return jpeg_bytes(realistic_image(width, height).filter(ImageFilter.GaussianBlur(radius)))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# name -> (the picture, the problems it must have)
CASES: dict[str, tuple[Callable[[], bytes], tuple[PhotoProblem, ...]]] = {
    "sharp-640x480": (realistic_jpeg, ()),
    "sharp-seed-1": (lambda: realistic_jpeg(seed=1), ()),
    "sharp-seed-2": (lambda: realistic_jpeg(seed=2), ()),
    "sharp-portrait-480x640": (lambda: realistic_jpeg(480, 640), ()),
    "sharp-320x240": (lambda: realistic_jpeg(320, 240), ()),
    "sharp-1280x960": (lambda: realistic_jpeg(1280, 960), ()),
    "sharp-4000x3000": (lambda: realistic_jpeg(4000, 3000), ()),
    "sharp-png": (lambda: _png(realistic_image()), ()),
    "dim-30-percent": (lambda: _brightness(0.3), ()),
    "bright-3x": (lambda: _brightness(3.0), ()),
    "low-contrast": (lambda: _contrast(0.2), ()),
    "moderate-blur-r2": (lambda: _blurred(2), ()),
    "black": (lambda: _flat((0, 0, 0)), TOO_DARK),
    "near-black": (lambda: jpeg_bytes(Image.eval(realistic_image(), lambda v: v // 16)), TOO_DARK),
    "dark-10-percent": (lambda: _brightness(0.1), TOO_DARK),
    "dark-20-percent": (lambda: _brightness(0.2), TOO_DARK),
    "white": (lambda: _flat((255, 255, 255)), TOO_BRIGHT),
    "washed-out-5x": (lambda: _brightness(5.0), TOO_BRIGHT),
    "small-100x80": (lambda: realistic_jpeg(100, 80), TOO_SMALL),
    "strong-blur-r6": (lambda: _blurred(6), BLURRED),
    "strong-blur-r6-1280x960": (lambda: _blurred(12, 1280, 960), BLURRED),
    "blur-r3": (lambda: _blurred(3), BLURRED),
    "flat-red": (lambda: _flat((180, 60, 60), (800, 600)), BLURRED),
    "flat-grey-small": (lambda: _flat((128, 128, 128), (64, 48)), (*TOO_SMALL, *BLURRED)),
}


@pytest.fixture(scope="module")
def inspector() -> PillowPhotoQualityInspector:
    return PillowPhotoQualityInspector()


@pytest.fixture(scope="module")
def measured(inspector: PillowPhotoQualityInspector) -> dict[str, PhotoStats]:
    return {name: inspector.measure(make()) for name, (make, _) in CASES.items()}


def test_pillow_inspector_implements_the_port(inspector: PillowPhotoQualityInspector) -> None:
    port: PhotoQualityInspector = inspector
    assert port is inspector


@pytest.mark.parametrize("name", list(CASES))
def test_each_picture_gets_the_problems_it_has(name: str, measured: dict[str, PhotoStats]) -> None:
    expected = CASES[name][1]
    assert assess(measured[name]) == expected, measured[name]


def test_measured_values_keep_a_margin(measured: dict[str, PhotoStats]) -> None:
    sharp = [stats for name, stats in measured.items() if name.startswith("sharp-")]
    # Sharp pictures clear the blur bound four times over; strongly blurred ones stay under it.
    assert min(stats.sharpness for stats in sharp) > 4 * MIN_SHARPNESS
    assert measured["strong-blur-r6"].sharpness < 0.75 * MIN_SHARPNESS
    assert measured["dim-30-percent"].highlights > DARK_HIGHLIGHTS
    assert measured["bright-3x"].shadows < BRIGHT_SHADOWS
    assert measured["black"].highlights == measured["black"].mean_luminance == 0


def test_the_original_size_is_reported_not_the_reduced_one(
    measured: dict[str, PhotoStats],
) -> None:
    assert (measured["sharp-4000x3000"].width, measured["sharp-4000x3000"].height) == (4000, 3000)
    assert measured["sharp-portrait-480x640"].min_side == 480


def test_sharpness_hardly_depends_on_the_size(measured: dict[str, PhotoStats]) -> None:
    # The same strong blur, relative to the frame, at two sizes reads alike.
    small, large = measured["strong-blur-r6"], measured["strong-blur-r6-1280x960"]
    assert abs(small.sharpness - large.sharpness) < 0.5


def test_a_sanitized_photo_measures_as_the_original(
    inspector: PillowPhotoQualityInspector,
) -> None:
    # StoreCheckPhoto measures the sanitizer's output.
    original = realistic_jpeg()
    clean = PillowImageSanitizer().sanitize(original).data
    before, after = inspector.measure(original), inspector.measure(clean)
    assert assess(after) == ()
    assert (after.width, after.height) == (before.width, before.height)
    assert abs(after.mean_luminance - before.mean_luminance) < 2


@pytest.mark.parametrize("data", [b"", b"\xff\xd8\xff not really a jpeg", b"GIF89a......"])
def test_garbage_is_unreadable(inspector: PillowPhotoQualityInspector, data: bytes) -> None:
    with pytest.raises(UploadRejectedError) as caught:
        inspector.measure(data)
    assert caught.value.reason is UploadRejectReason.UNREADABLE_IMAGE


def test_more_pixels_than_allowed_are_refused_before_decoding() -> None:
    with pytest.raises(UploadRejectedError) as caught:
        PillowPhotoQualityInspector(max_pixels=9_999).measure(realistic_jpeg(100, 100))
    assert caught.value.reason is UploadRejectReason.IMAGE_TOO_LARGE
