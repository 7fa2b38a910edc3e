"""Decoding a batch straight into a buffer: the same pixels as per photo, errors kept per photo."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytest.importorskip("torch", reason="the batch buffer is a torch tensor (the 'ai' extra)")

import numpy as np
from PIL import Image

from ai.batch_decode import BatchBuffers, BatchDecoder, compact_rows
from ai.decode import PrepareSpec, decode_and_prepare, decode_into
from core.photo_errors import UnreadablePhotoError

SPEC = PrepareSpec(target_size=(32, 24), resize_to=(32, 24))
EXIF_ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def gradient(seed: int, size: tuple[int, int] = (200, 120)) -> Image.Image:
    """Smooth, different per seed: resizing and draft decoding both change it visibly."""
    x = np.linspace(0, 255, size[0])[None, :, None]
    y = np.linspace(0, 255, size[1])[:, None, None]
    pixels = (x * (seed % 3 + 1) / 3 + y * (seed % 5 + 1) / 5 + seed * 40) % 256
    return Image.fromarray(np.broadcast_to(pixels, (*size[::-1], 3)).astype(np.uint8))


def photos() -> list[bytes]:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    transparent = gradient(4).convert("RGBA")
    transparent.putalpha(128)
    return [
        encode(gradient(0)),
        encode(gradient(1), "PNG"),
        encode(gradient(2).transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes()),
        encode(gradient(3), "WEBP"),
        encode(transparent, "PNG"),
        encode(gradient(5, (900, 700)), quality=90),
    ]


def empty_rows(count: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    # A sentinel value, so a row nobody wrote is recognisable.
    return np.full((count, 24, 32, 3), 7, dtype=np.uint8)


def test_a_row_gets_exactly_the_pixels_of_the_per_photo_path() -> None:
    for data in photos():
        row = empty_rows(1)[0]

        decode_into(data, SPEC, row)

        assert np.array_equal(row, decode_and_prepare(data, SPEC))


def test_a_batch_decoded_in_chunks_matches_photo_by_photo() -> None:
    batch = photos() * 2  # 12 photos over 5 threads: uneven chunks
    out = empty_rows(16)
    with ThreadPoolExecutor(5) as pool:
        errors = BatchDecoder(pool, 5, SPEC).decode(batch, out)

    assert errors == [None] * len(batch)
    for index, data in enumerate(batch):
        assert np.array_equal(out[index], decode_and_prepare(data, SPEC)), index
    assert (out[len(batch) :] == 7).all()


def test_a_bad_photo_fails_only_its_own_row() -> None:
    good = photos()
    batch = [good[0], good[0][: len(good[0]) // 3], b"", good[1]]
    out = empty_rows(4)
    with ThreadPoolExecutor(2) as pool:
        errors = BatchDecoder(pool, 2, SPEC).decode(batch, out)

    assert errors[0] is None and errors[3] is None
    assert isinstance(errors[1], UnreadablePhotoError) and errors[1].reason == "corrupt"
    assert isinstance(errors[2], UnreadablePhotoError) and errors[2].reason == "empty"
    assert np.array_equal(out[0], decode_and_prepare(good[0], SPEC))
    assert np.array_equal(out[3], decode_and_prepare(good[1], SPEC))
    assert (out[2] == 7).all()


def test_more_photos_than_rows_is_refused() -> None:
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError):
        BatchDecoder(pool, 1, SPEC).decode(photos()[:3], empty_rows(2))


def test_a_decoder_needs_a_fixed_input_size() -> None:
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError):
        BatchDecoder(pool, 1, PrepareSpec(target_size=(32, 32)))


def test_compacting_moves_the_kept_rows_to_the_front_in_order() -> None:
    out = np.arange(6, dtype=np.uint8).reshape(6, 1, 1, 1) * np.ones((1, 2, 2, 3), np.uint8)

    live = compact_rows(out, [1, 2, 4])

    assert live == 3
    assert [int(out[i, 0, 0, 0]) for i in range(live)] == [1, 2, 4]


def test_buffers_are_reused_and_shaped_for_the_model_input() -> None:
    buffers = BatchBuffers(2, max_batch=8, size=(32, 24))
    seen = []
    for _ in range(4):
        with buffers.lease() as buffer:
            assert tuple(buffer.rows.shape) == (8, 24, 32, 3)
            assert buffer.pixels is not None and tuple(buffer.pixels.shape) == (8, 3, 24, 32)
            seen.append(buffer.rows.data_ptr())

    assert len(set(seen)) <= 2
