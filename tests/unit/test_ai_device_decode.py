"""Photos decoded on the model's device: the host path's pixels, orientation and errors.

TorchCodec and torchvision (the `gpu` extra) do not load beside the build machines' CPU torch,
so most tests hand `DeviceBatchDecoder` a stand-in with nvJPEG's contract — bytes in, the
full-size RGB pixels out, EXIF ignored, an exception for a photo it cannot decode — built on
PIL. The last test runs each real decoder where it is installed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch", reason="the photo model needs the 'ai' extra")

import numpy as np
import torch
from PIL import Image, ImageOps

from ai.batch_decode import BatchDecoder
from ai.decode import PrepareSpec
from ai.device_decode import (
    JPEG_DECODERS,
    DeviceBatchDecoder,
    DeviceDecodeUnavailableError,
    JpegDecoder,
    available_jpeg_decoder,
    use_device_decode,
)
from core.photo_errors import UnreadablePhotoError

SPEC = PrepareSpec(target_size=(32, 24), resize_to=(32, 24))
EXIF_ORIENTATION = 0x0112
CPU = torch.device("cpu")


class StandInDecoder:
    """nvJPEG's contract on the CPU: (3, H, W) uint8 per photo, raises when it can't; EXIF
    orientation left to the caller (as torchvision does) or applied (as TorchCodec does)."""

    def __init__(self, *, applies_exif_orientation: bool = False) -> None:
        self.calls: list[int] = []
        self.applies_exif_orientation = applies_exif_orientation

    def __call__(self, photos: list[torch.Tensor], device: torch.device) -> list[torch.Tensor]:
        self.calls.append(len(photos))
        decoded = []
        for tensor in photos:
            opened = Image.open(io.BytesIO(tensor.numpy().tobytes()))
            opened.load()
            image = ImageOps.exif_transpose(opened) if self.applies_exif_orientation else opened
            pixels = np.array(image.convert("RGB"), dtype=np.uint8)
            decoded.append(torch.from_numpy(pixels).permute(2, 0, 1).to(device))
        return decoded


def encode(image: Image.Image, fmt: str = "JPEG", **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def quadrants(size: tuple[int, int] = (160, 96)) -> Image.Image:
    """Four colours, one per quarter: each EXIF orientation moves them its own way."""
    width, height = size
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    pixels[: height // 2, : width // 2] = (230, 30, 30)
    pixels[: height // 2, width // 2 :] = (30, 230, 30)
    pixels[height // 2 :, : width // 2] = (30, 30, 230)
    pixels[height // 2 :, width // 2 :] = (230, 230, 30)
    return Image.fromarray(pixels)


def gradient(seed: int, size: tuple[int, int] = (400, 300)) -> Image.Image:
    x = np.linspace(0, 255, size[0])[None, :, None]
    y = np.linspace(0, 255, size[1])[:, None, None]
    pixels = (x * (seed % 3 + 1) / 4 + y * (seed % 5 + 1) / 6 + seed * 10) % 256
    return Image.fromarray(np.broadcast_to(pixels, (*size[::-1], 3)).astype(np.uint8))


def with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    return encode(quadrants(), quality=95, exif=exif.tobytes())


def host_rows(photos: list[bytes]) -> tuple[torch.Tensor, list[UnreadablePhotoError | None]]:
    from concurrent.futures import ThreadPoolExecutor

    rows = torch.full((len(photos), 24, 32, 3), 7, dtype=torch.uint8)
    with ThreadPoolExecutor(2) as pool:
        errors = BatchDecoder(pool, 2, SPEC).decode(photos, rows.numpy())
    return rows, errors


def device_rows(
    photos: list[bytes], decoder: JpegDecoder | None = None
) -> tuple[torch.Tensor, list[UnreadablePhotoError | None]]:
    rows = torch.full((len(photos), 24, 32, 3), 7, dtype=torch.uint8)
    errors = DeviceBatchDecoder(SPEC, CPU, decoder or StandInDecoder()).decode(photos, rows)
    return rows, errors


def mean_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).abs().mean())


def same_picture(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Within a couple of levels almost everywhere; a sharp edge may move by a pixel."""
    difference = (a.float() - b.float()).abs()
    return float(difference.median()) <= 2 and float((difference > 8).float().mean()) < 0.1


def test_jpegs_of_one_batch_are_decoded_in_one_call_to_the_pixels_of_the_host_path() -> None:
    photos = [encode(gradient(seed), quality=92) for seed in range(5)]
    photos.append(encode(gradient(9, (300, 400)), quality=92))  # another size: its own resize
    decoder = StandInDecoder()
    on_device, errors = device_rows(photos, decoder)
    on_host, host_errors = host_rows(photos)
    assert errors == host_errors == [None] * 6
    assert decoder.calls == [6]
    # The host decodes at a reduced DCT scale first, the device at full size; both then resize
    # bilinearly with antialiasing: the same picture.
    for device_row, host_row in zip(on_device, on_host, strict=True):
        assert same_picture(device_row, host_row)


@pytest.mark.parametrize("decoder_turns", [False, True], ids=["turned-after", "decoder-turns"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied_once_as_the_host_path_applies_it(
    orientation: int, decoder_turns: bool
) -> None:
    photo = with_orientation(orientation)
    on_device, errors = device_rows(
        [photo], StandInDecoder(applies_exif_orientation=decoder_turns)
    )
    on_host, _ = host_rows([photo])
    assert errors == [None]
    # A wrong turn or mirror puts other colours in the quarters: a difference of ~100 levels.
    assert mean_difference(on_device[0], on_host[0]) < 6.0
    for wrong in set(range(1, 9)) - {orientation}:
        other, _ = host_rows([with_orientation(wrong)])
        if mean_difference(other[0], on_host[0]) > 20:
            assert mean_difference(on_device[0], other[0]) > 20


def test_photos_the_device_does_not_decode_take_the_host_path_into_their_own_rows() -> None:
    transparent = gradient(4).convert("RGBA")
    transparent.putalpha(128)
    photos = [
        encode(gradient(0), quality=92),
        encode(gradient(1), "PNG"),
        encode(gradient(2), "WEBP"),
        encode(transparent, "PNG"),
        encode(gradient(3).convert("CMYK"), quality=92),
        encode(gradient(5), quality=92),
    ]
    decoder = StandInDecoder()
    on_device, errors = device_rows(photos, decoder)
    on_host, _ = host_rows(photos)
    assert errors == [None] * 6
    assert decoder.calls == [2]  # the two RGB JPEGs; the rest decoded on the host
    for index in (1, 2, 3, 4):
        assert torch.equal(on_device[index], on_host[index])


def test_a_damaged_photo_fails_alone_with_the_host_decoders_reason() -> None:
    good = [encode(gradient(seed), quality=92) for seed in range(3)]
    damaged = good[1][: len(good[1]) // 2]  # the header reads, the pixels do not
    photos = [good[0], damaged, good[2]]
    decoder = StandInDecoder()
    on_device, errors = device_rows(photos, decoder)
    assert errors[0] is None and errors[2] is None
    assert isinstance(errors[1], UnreadablePhotoError)
    assert errors[1].reason == "corrupt"
    assert decoder.calls == [3, 1, 1, 1]  # the batch failed, then one at a time
    assert bool((on_device[1] == 7).all())  # its row untouched
    on_host, _ = host_rows(photos)
    assert same_picture(on_device[0], on_host[0])


def test_limits_are_checked_on_the_header_before_the_device_sees_a_byte() -> None:
    huge = encode(Image.new("RGB", (9000, 6000)), quality=10)
    decoder = StandInDecoder()
    _, errors = device_rows([b"", b"not an image at all", huge], decoder)
    assert [error.reason if error else None for error in errors] == [
        "empty",
        "unsupported",
        "too_many_pixels",
    ]
    assert decoder.calls == []


@pytest.mark.parametrize(
    ("mode", "on_cuda", "available", "expected"),
    [
        ("auto", True, True, True),
        ("auto", True, False, False),
        ("auto", False, True, False),
        ("host", True, True, False),
        ("device", False, True, True),
    ],
)
def test_where_photos_are_decoded(
    mode: Any, on_cuda: bool, available: bool, expected: bool
) -> None:
    assert use_device_decode(mode, on_cuda=on_cuda, available=available) is expected


def test_decoding_on_the_device_without_a_decoder_fails_loudly() -> None:
    with pytest.raises(DeviceDecodeUnavailableError, match="gpu"):
        use_device_decode("device", on_cuda=True, available=False)


def test_a_checkpoint_resized_with_another_filter_keeps_its_photos_on_the_host() -> None:
    # The device path reproduces the bilinear filter only: auto falls back, device refuses.
    assert not use_device_decode("auto", on_cuda=True, available=True, bilinear=False)
    with pytest.raises(DeviceDecodeUnavailableError, match="bilinear"):
        use_device_decode("device", on_cuda=True, available=True, bilinear=False)


async def test_the_photo_model_decoding_on_the_device_finds_what_the_host_path_finds(
    tmp_path: Path,
) -> None:
    from ai.classifier import ImageClassifier
    from ai.labels import load_label_map
    from ai.photo_model import TransformersPhotoModel
    from ai.tiny import save_tiny_checkpoint

    path = save_tiny_checkpoint(tmp_path / "tiny")
    classifier = ImageClassifier.load(path, device="cpu")
    label_map = load_label_map(classifier.path, classifier.id2label)
    on_device = TransformersPhotoModel(
        classifier, label_map, max_batch=4, decode="device", jpeg_decoder=StandInDecoder()
    )
    on_host = TransformersPhotoModel(classifier, label_map, max_batch=4, decode="host")
    assert (on_device.decode_on, on_host.decode_on) == ("device", "host")
    photos = [encode(gradient(seed, (640, 480)), quality=90) for seed in range(4)]
    try:
        found = [(await on_device.analyze([photo]))[0] for photo in photos]
        expected = [(await on_host.analyze([photo]))[0] for photo in photos]
        for device_findings, host_findings in zip(found, expected, strict=True):
            assert [f.label for f in device_findings] == [f.label for f in host_findings]
            for a, b in zip(device_findings, host_findings, strict=True):
                assert a.score == pytest.approx(b.score, abs=0.02)
        damaged = photos[0][: len(photos[0]) // 2]
        with pytest.raises(UnreadablePhotoError) as caught:
            await on_device.analyze([photos[1], damaged])
        assert caught.value.reason == "corrupt"
        assert caught.value.index == 1
        assert (await on_device.analyze([photos[2]]))[0] == found[2]
    finally:
        await on_device.aclose()
        await on_host.aclose()


@pytest.mark.parametrize("name", list(JPEG_DECODERS))
def test_the_real_decoders_decode_as_the_stand_in_does(name: str) -> None:
    decoder = available_jpeg_decoder([name])
    if decoder is None:
        pytest.skip(
            f"{name} is not installed for this torch (the `gpu` extra; none loads beside the "
            "build machines' CPU torch 2.13): the stand-in's contract is checked where it does"
        )
    photos = [encode(gradient(seed), quality=92) for seed in range(3)]
    photos += [with_orientation(orientation) for orientation in (3, 6, 8)]
    photos.append(encode(gradient(7).convert("L"), quality=92))
    with_decoder, errors = device_rows(photos, decoder)
    with_stand_in, stand_in_errors = device_rows(photos)
    assert errors == stand_in_errors == [None] * len(photos)
    for a, b in zip(with_decoder, with_stand_in, strict=True):
        assert same_picture(a, b)
    damaged = photos[0][: len(photos[0]) // 2]
    _, errors = device_rows([photos[1], damaged], decoder)
    assert errors[0] is None
    assert errors[1] is not None and errors[1].reason == "corrupt"
