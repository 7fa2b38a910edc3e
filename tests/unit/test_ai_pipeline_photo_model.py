"""The batch path of TransformersPhotoModel against the per-image path it replaces.

The classifier is the real `ImageClassifier` (preprocessing, batch buffer upload, softmax) around
a small torch module whose logits follow the mean colour of each photo, so every photo has its
own answer and a mixed-up row would show.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("torch", reason="the photo model needs the 'ai' extra (torch)")

import torch
from PIL import Image

from ai.classifier import ImageClassifier
from ai.device import DeviceChoice
from ai.labels import build_label_map
from ai.photo_model import Pipeline, TransformersPhotoModel
from core.photo_errors import UnreadablePhotoError
from core.ports.photo_model import FINDING_CODES
from core.triage.model import ImageFinding


class ColourModel(torch.nn.Module):
    """Logits = mean RGB of the input × a fixed matrix; remembers every batch it saw."""

    def __init__(self) -> None:
        super().__init__()
        labels = dict(enumerate(FINDING_CODES))
        self.config = SimpleNamespace(
            id2label=labels, num_labels=len(labels), problem_type="single_label_classification"
        )
        generator = torch.Generator().manual_seed(0)
        self.weights = torch.randn((3, len(labels)), generator=generator) * 4
        self.seen: list[torch.Tensor] = []

    def forward(self, pixel_values: torch.Tensor) -> SimpleNamespace:
        self.seen.append(pixel_values.clone())
        return SimpleNamespace(logits=pixel_values.mean(dim=(2, 3)) @ self.weights)


def processor() -> SimpleNamespace:
    """What a ViT checkpoint's processor says: plain resize to 32×32, then normalise."""
    return SimpleNamespace(
        size={"height": 32, "width": 32},
        do_resize=True,
        resample=2,
        do_rescale=True,
        rescale_factor=1 / 255,
        do_normalize=True,
        image_mean=[0.5, 0.5, 0.5],
        image_std=[0.5, 0.5, 0.5],
    )


def make_model(tmp_path: Path, pipeline: Pipeline, **kwargs: Any) -> TransformersPhotoModel:
    choice = DeviceChoice(torch.device("cpu"), torch.float32)
    classifier = ImageClassifier(ColourModel(), processor(), choice, tmp_path)
    label_map = build_label_map(classifier.id2label)
    return TransformersPhotoModel(classifier, label_map, pipeline=pipeline, **kwargs)


def seen(model: TransformersPhotoModel) -> list[torch.Tensor]:
    colour_model = model.classifier.model
    assert isinstance(colour_model, ColourModel)
    return colour_model.seen


def jpeg(seed: int) -> bytes:
    colour = (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256)
    image = Image.new("RGB", (96, 64), colour)
    image.paste((255 - colour[0], colour[2], colour[1]), (0, 0, 40, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


async def test_the_forward_sees_the_pixels_of_the_per_image_path(tmp_path: Path) -> None:
    photos = [jpeg(seed) for seed in range(5)]
    old = make_model(tmp_path, "per_image", max_batch=8, max_wait_ms=50)
    new = make_model(tmp_path, "batch", max_batch=8, max_wait_ms=50)
    try:
        assert new.pipeline == "batch"
        expected = await asyncio.gather(*(old.analyze([photo]) for photo in photos))
        actual = await asyncio.gather(*(new.analyze([photo]) for photo in photos))
    finally:
        await old.aclose()
        await new.aclose()

    assert actual == expected
    assert [batch.shape[0] for batch in seen(new)] == [5]
    # The same normalised rows, bit for bit (the per-image path queues them as decodes finish,
    # so its order may differ).
    assert sorted(rows(seen(new))) == sorted(rows(seen(old)))


def rows(batches: list[torch.Tensor]) -> list[bytes]:
    return [row.numpy().tobytes() for batch in batches for row in batch]


async def test_concurrent_requests_share_batches_and_each_gets_its_own_answer(
    tmp_path: Path,
) -> None:
    photos = [jpeg(seed) for seed in range(12)]
    model = make_model(tmp_path, "batch", max_batch=4, max_wait_ms=20)
    try:
        alone = [await model.analyze([photo]) for photo in photos]
        before = model.batcher.stats.batches
        # Several photos per request too: each request gets its own photos back, in order.
        requests = [photos[0:1], photos[1:4], photos[4:6], photos[6:12]]
        together = await asyncio.gather(*(model.analyze(request) for request in requests))
    finally:
        await model.aclose()

    assert model.batcher.stats.batches - before == 3  # 12 photos, max_batch 4
    assert [finding for answer in together for finding in answer] == [a[0] for a in alone]
    assert len({tuple(answer[0]) for answer in alone}) > 6  # the answers do differ


async def test_a_bad_photo_fails_only_its_own_request(tmp_path: Path) -> None:
    good = [jpeg(seed) for seed in range(4)]
    model = make_model(tmp_path, "batch", max_batch=8, max_wait_ms=50)
    try:
        results = await asyncio.gather(
            model.analyze([good[0]]),
            model.analyze([good[1], good[2][:100]]),  # its second photo is cut short
            model.analyze([good[3]]),
            return_exceptions=True,
        )
    finally:
        await model.aclose()

    assert isinstance(results[1], UnreadablePhotoError)
    assert (results[1].reason, results[1].index) == ("corrupt", 1)
    first, third = results[0], results[2]
    assert isinstance(first, list) and isinstance(third, list)
    assert all(isinstance(finding, ImageFinding) for finding in first[0] + third[0])
    # The failed request's good photo did not cost a forward row.
    assert [batch.shape[0] for batch in seen(model)] == [2]


async def test_a_request_of_only_bad_photos_costs_no_forward_row(tmp_path: Path) -> None:
    model = make_model(tmp_path, "batch", max_batch=4, max_wait_ms=0)
    try:
        with pytest.raises(UnreadablePhotoError) as info:
            await model.analyze([b"not an image"])
        assert await model.analyze([]) == []
    finally:
        await model.aclose()

    assert (info.value.reason, info.value.index) == ("unsupported", 0)
    assert all(batch.shape[0] == 0 for batch in seen(model))


async def test_a_failing_forward_fails_the_callers_of_that_batch_only(tmp_path: Path) -> None:
    # A long wait: the four requests form two full batches even on a loaded machine.
    model = make_model(tmp_path, "batch", max_batch=2, max_wait_ms=2000)
    colour_model = model.classifier.model
    assert isinstance(colour_model, ColourModel)
    calls = 0
    real_forward = colour_model.forward

    def flaky(pixel_values: torch.Tensor) -> SimpleNamespace:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("device lost")
        return real_forward(pixel_values)

    colour_model.forward = flaky  # type: ignore[method-assign]
    try:
        results = await asyncio.gather(
            *(model.analyze([jpeg(seed)]) for seed in range(4)), return_exceptions=True
        )
    finally:
        await model.aclose()

    # Which two callers share the failing batch depends on which photos are decoded first;
    # what must hold is that exactly one batch (two callers) failed and the other succeeded.
    assert sorted(type(result).__name__ for result in results) == [
        "RuntimeError",
        "RuntimeError",
        "list",
        "list",
    ]


def test_what_the_batch_path_cannot_do_takes_the_per_image_path(tmp_path: Path) -> None:
    choice = DeviceChoice(torch.device("cpu"), torch.float32)
    centre_crop = processor()
    centre_crop.do_center_crop = True  # not a plain resize: the processor runs per batch
    classifier = ImageClassifier(ColourModel(), centre_crop, choice, tmp_path)
    label_map = build_label_map(classifier.id2label)

    assert TransformersPhotoModel(classifier, label_map).pipeline == "per_image"
    assert make_model(tmp_path, "per_image").pipeline == "per_image"
    assert make_model(tmp_path, "batch").pipeline == "batch"
