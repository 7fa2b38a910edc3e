"""Decode bounds: pixel caps from the header, reduced JPEG decodes, one bounded pool per process.

The load itself (six large pictures at once: memory and event-loop lag) is measured in
tests/integration/test_decode_bounds.py; here each bound is checked on its own.
"""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from PIL import Image

from core.image_work import ImagePurpose, ImageWork, PixelLimits
from core.uploads import UploadRejectedError, UploadRejectReason
from db.storage.images import PillowImageSanitizer, draft_scale
from sandbox.emulator.files import FileStore
from sandbox.emulator.params import Upload
from tests.support.decode_load import flat_png


def _flat_jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 130, 140)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def png_49_mp() -> bytes:
    return flat_png(7000, 7000)


@pytest.fixture(scope="module")
def jpeg_48_mp() -> bytes:
    return _flat_jpeg(8000, 6000)


def test_a_49_mp_png_of_a_few_hundred_kb_is_refused_from_its_header(png_49_mp: bytes) -> None:
    assert len(png_49_mp) < 400 * 1024
    with pytest.raises(UploadRejectedError) as caught:
        PillowImageSanitizer().sanitize(png_49_mp)
    assert caught.value.reason is UploadRejectReason.IMAGE_TOO_LARGE
    # The cap for formats decoded whole: the one the refusal names.
    assert caught.value.max_pixels == PixelLimits().max_full_decode_pixels


def test_a_48_mp_jpeg_is_accepted_and_decoded_at_half_scale(jpeg_48_mp: bytes) -> None:
    clean = PillowImageSanitizer().sanitize(jpeg_48_mp)
    # A full decode would have been shrunk to 4096×3072; the DCT's 1/2 scale gives 4000×3000.
    assert (clean.width, clean.height) == (4000, 3000)


def test_a_picture_kept_as_a_document_has_the_lower_cap() -> None:
    jpeg_30_mp = _flat_jpeg(6000, 5000)
    sanitizer = PillowImageSanitizer()
    assert sanitizer.sanitize(jpeg_30_mp, ImagePurpose.PHOTO).width == 3000
    with pytest.raises(UploadRejectedError) as caught:
        sanitizer.sanitize(jpeg_30_mp, ImagePurpose.DOCUMENT)
    assert caught.value.reason is UploadRejectReason.IMAGE_TOO_LARGE
    assert caught.value.max_pixels == PixelLimits().max_document_pixels


@pytest.mark.parametrize(
    ("size", "scale"),
    [
        ((8000, 6000), 2),  # 48 MP phone photo -> 4000×3000
        ((12000, 9000), 4),  # 108 MP -> 3000×2250 (refused by the cap anyway)
        ((4000, 3000), 1),  # 12 MP: half would be under Telegram's 2560
        ((1280, 960), 1),
        ((30000, 16), 8),  # a long strip keeps two rows
        ((30000, 1), 1),  # one row cannot be reduced
    ],
)
def test_the_draft_scale_keeps_the_long_side_at_telegrams_photo_size(
    size: tuple[int, int], scale: int
) -> None:
    assert draft_scale(*size) == scale


def test_pixel_caps_by_purpose_and_format() -> None:
    limits = PixelLimits(max_pixels=50, max_full_decode_pixels=16, max_document_pixels=24)
    assert limits.cap(ImagePurpose.PHOTO, reducible=True) == 50
    assert limits.cap(ImagePurpose.PHOTO, reducible=False) == 16
    assert limits.cap(ImagePurpose.DOCUMENT, reducible=True) == 24
    assert limits.cap(ImagePurpose.DOCUMENT, reducible=False) == 16
    with pytest.raises(ValueError, match="positive"):
        PixelLimits(max_pixels=0)


async def test_image_work_runs_no_more_than_its_concurrency_at_once() -> None:
    work = ImageWork(2)
    lock = threading.Lock()
    active = 0
    most = 0
    threads: set[str] = set()
    # Two jobs must meet at the barrier to go on: with a pool of 2 every pair meets; a third
    # job running beside them would show in `most`.
    barrier = threading.Barrier(2, timeout=10)

    def job() -> None:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
            threads.add(threading.current_thread().name)
        barrier.wait()
        with lock:
            active -= 1

    try:
        await asyncio.gather(*(work.run(job) for _ in range(6)))
    finally:
        work.close()
    assert most == 2
    assert len(threads) == 2
    assert all(name.startswith("image-work") for name in threads)


async def test_image_work_runs_off_the_event_loop() -> None:
    work = ImageWork(1)
    try:
        name = await work.run(lambda: threading.current_thread().name)
    finally:
        work.close()
    assert name != threading.main_thread().name


def test_image_work_needs_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ImageWork(0)


async def test_the_sandbox_makes_a_big_photos_copies_from_a_reduced_decode(
    jpeg_48_mp: bytes,
) -> None:
    files = FileStore()
    sizes = await files.add_photo_off_loop(Upload("photo.jpg", "image/jpeg", jpeg_48_mp))
    assert [(size["width"], size["height"]) for size in sizes] == [
        (90, 68),
        (320, 240),
        (800, 600),
        (8000, 6000),
    ]
    # The largest size is still the bytes the user sent, as Telegram keeps them.
    largest = files.require(sizes[-1]["file_id"])
    assert largest.data == jpeg_48_mp
