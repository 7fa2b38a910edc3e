"""The real photo model on a tiny ViT made here: offline load, decode, batching, findings."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch", reason="the photo model needs the 'ai' extra (torch)")
pytest.importorskip("transformers", reason="the photo model needs the 'ai' extra (transformers)")

import numpy as np
import torch
from PIL import Image

from ai.classifier import ModelLoadError
from ai.labels import LABELS_FILE
from ai.photo_model import (
    NoFindingLabelsError,
    TransformersPhotoModel,
    load_optional_photo_model,
    load_photo_model,
)
from ai.tiny import save_tiny_checkpoint
from core.photo_errors import UnreadablePhotoError
from core.ports.photo_model import FINDING_CODES, PhotoModel

EXIF_ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No Hub: HF_HUB_OFFLINE and any outgoing TCP connection fail the test."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"network access during the test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("vit") / "tiny-vit")


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def pattern(seed: int, size: tuple[int, int] = (128, 96)) -> Image.Image:
    """Flat 16-px blocks (JPEG keeps them almost exactly), different per seed."""
    image = Image.new("RGB", size)
    for x in range(0, size[0], 16):
        for y in range(0, size[1], 16):
            colour = ((x * 7 + seed * 50) % 256, (y * 11 + seed * 30) % 256, (x + y) % 256)
            image.paste(colour, (x, y, x + 16, y + 16))
    return image


@pytest.fixture
async def model(checkpoint: Path) -> AsyncIterator[TransformersPhotoModel]:
    photo_model = load_photo_model(checkpoint, max_batch=8, max_wait_ms=20, device="cpu")
    yield photo_model
    await photo_model.aclose()


async def test_loaded_model_predicts_finding_codes_for_jpeg_and_png(
    model: TransformersPhotoModel,
) -> None:
    port: PhotoModel = model
    jpeg, png = encode(pattern(1)), encode(pattern(2), "PNG")

    results = await port.analyze([jpeg, png])

    assert len(results) == 2
    for findings in results:
        assert {finding.label for finding in findings} == set(FINDING_CODES)
        scores = [finding.score for finding in findings]
        assert scores == sorted(scores, reverse=True)
        assert sum(scores) == pytest.approx(1.0, abs=1e-4)
    assert port.name.startswith("tiny-vit@")


async def test_exif_rotated_photo_is_seen_upright(model: TransformersPhotoModel) -> None:
    upright = pattern(3)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # stored rotated; viewers turn it back
    rotated = encode(upright.transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes())

    seen, reference = await model.analyze([rotated, encode(upright)])

    by_label = {f.label: f.score for f in reference}
    assert all(abs(f.score - by_label[f.label]) < 0.01 for f in seen)
    # The pixels themselves: the model gets the upright image, not the stored one.
    classifier = model.classifier

    def pixels(data: bytes) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.asarray(classifier.decode_and_prepare(data), dtype=np.float64)

    as_seen = pixels(rotated)
    assert abs(as_seen - pixels(encode(upright))).mean() < 3
    assert abs(as_seen - pixels(encode(upright.transpose(Image.Transpose.ROTATE_90)))).mean() > 20


async def test_corrupt_photo_raises_the_typed_error_with_its_position(
    model: TransformersPhotoModel,
) -> None:
    good = encode(pattern(4))

    with pytest.raises(UnreadablePhotoError) as info:
        await model.analyze([good, good[: len(good) // 3]])

    assert info.value.index == 1
    assert info.value.reason == "corrupt"
    with pytest.raises(UnreadablePhotoError):
        await model.analyze([b"not an image"])


async def test_concurrent_requests_share_forward_passes(model: TransformersPhotoModel) -> None:
    photos = [encode(pattern(seed)) for seed in range(6)]
    alone = [(await model.analyze([photo]))[0] for photo in photos]
    before = model.batcher.stats.batches

    together = await asyncio.gather(*(model.analyze([photo]) for photo in photos))

    assert model.batcher.stats.batches - before < len(photos)
    for mine, reference in zip(together, alone, strict=True):
        assert [f.label for f in mine[0]] == [f.label for f in reference]
        assert [f.score for f in mine[0]] == pytest.approx([f.score for f in reference], abs=1e-5)


async def test_split_preprocessing_matches_the_checkpoint_processor(
    model: TransformersPhotoModel,
) -> None:
    classifier = model.classifier
    image = pattern(5).resize((200, 150))
    pixels = classifier.processor(images=[image], return_tensors="pt")["pixel_values"]
    with torch.inference_mode():
        expected = torch.softmax(classifier.model(pixel_values=pixels).logits, dim=-1)

    actual = classifier.probabilities([classifier.prepare(image)])

    assert torch.allclose(actual, expected, atol=1e-5)


def test_one_model_copy_per_process(checkpoint: Path) -> None:
    first = load_photo_model(checkpoint, device="cpu")
    second = load_photo_model(checkpoint, device="cpu")

    assert first.classifier is second.classifier


async def test_labels_file_maps_model_labels_and_unknown_ones_are_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = save_tiny_checkpoint(tmp_path / "clinic", labels=["laceration", "normal", "cat"])
    (path / LABELS_FILE).write_text(json.dumps({"laceration": "wound_open"}))

    with caplog.at_level(logging.WARNING, logger="ai.labels"):
        model = load_photo_model(path, device="cpu")
    try:
        [findings] = await model.analyze([encode(pattern(6))])
    finally:
        await model.aclose()

    assert {finding.label for finding in findings} == {"wound_open", "normal"}
    assert "'cat'" in caplog.text


async def test_multi_label_checkpoint_uses_independent_scores(tmp_path: Path) -> None:
    path = save_tiny_checkpoint(tmp_path / "multi", multi_label=True)
    model = load_photo_model(path, device="cpu")
    try:
        [findings] = await model.analyze([encode(pattern(7))])
    finally:
        await model.aclose()

    assert all(0.0 < finding.score < 1.0 for finding in findings)
    assert sum(finding.score for finding in findings) > 1.5  # six sigmoids near 0.5


def test_checkpoint_without_finding_labels_is_refused(tmp_path: Path) -> None:
    path = save_tiny_checkpoint(tmp_path / "pets", labels=["cat", "dog"])

    with pytest.raises(NoFindingLabelsError):
        load_photo_model(path, device="cpu")


def test_missing_checkpoint_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError):
        load_photo_model(tmp_path / "nowhere", device="cpu")


def test_without_a_model_path_the_product_runs_rules_only() -> None:
    assert load_optional_photo_model(None) is None
    assert load_optional_photo_model("") is None
    assert os.environ["HF_HUB_OFFLINE"] == "1"


async def test_decoding_in_processes_gives_the_same_findings_and_errors(checkpoint: Path) -> None:
    from ai.classifier import shared_classifier
    from ai.labels import load_label_map

    classifier = shared_classifier(checkpoint, device="cpu")
    label_map = load_label_map(classifier.path, classifier.id2label)
    in_threads = TransformersPhotoModel(classifier, label_map, decode_processes=False)
    in_processes = TransformersPhotoModel(
        classifier, label_map, decode_workers=1, decode_processes=True
    )
    photo = encode(pattern(8))
    try:
        assert await in_processes.analyze([photo]) == await in_threads.analyze([photo])
        with pytest.raises(UnreadablePhotoError) as info:
            await in_processes.analyze([photo, photo[: len(photo) // 2]])
    finally:
        await in_processes.aclose()
        await in_threads.aclose()

    assert (info.value.reason, info.value.index) == ("corrupt", 1)
