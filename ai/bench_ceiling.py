"""The photo pipeline's own ceiling: the worker path with a forward that costs nothing.

The checkpoint is loaded through the production path (processor, label map, device), then its
model is swapped for `ZeroCostForward`, which returns zero logits of the real output shape at
once. What is left is everything the host does per photo: decode, resize, batching, futures,
the uint8 → float normalisation and (on CUDA) the upload, and the mapping to findings.

Both pipelines of `TransformersPhotoModel` run in the same process, interleaved per repetition
(per_image, batch, per_image, batch, …), so a busy shared machine slows both alike; the table
reports medians.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import torch
from transformers.modeling_outputs import ImageClassifierOutput

from ai.batch_decode import BatchDecoder
from ai.bench import synthetic_photos
from ai.classifier import ImageClassifier
from ai.device import usable_cpus
from ai.device_decode import (
    DecodeMode,
    DeviceBatchDecoder,
    available_jpeg_decoder,
    use_device_decode,
)
from ai.labels import load_label_map
from ai.photo_model import Pipeline, TransformersPhotoModel
from ai.tiny import save_tiny_checkpoint


class ZeroCostForward(torch.nn.Module):
    """Stands in for the model: zero logits, (N, num_labels), on the input's device, at once."""

    def __init__(self, num_labels: int) -> None:
        super().__init__()
        self.num_labels = num_labels

    def forward(self, pixel_values: torch.Tensor) -> ImageClassifierOutput:
        logits = torch.zeros((pixel_values.shape[0], self.num_labels), device=pixel_values.device)
        return ImageClassifierOutput(logits=logits)


DEFAULT_BATCH_SIZES = (1, 16, 64)
DEFAULT_REQUESTS = 512


@dataclass(frozen=True, slots=True)
class CeilingOptions:
    model: Path | None = None
    # Only the input size matters: the weights are never run.
    image_size: int = 224
    device: str = "cpu"
    batch_sizes: tuple[int, ...] = DEFAULT_BATCH_SIZES
    requests: int = DEFAULT_REQUESTS
    repetitions: int = 3
    photo_size: tuple[int, int] = (1280, 960)
    max_wait_ms: float = 5.0
    decode_workers: int | None = None
    # Where the batch pipeline decodes JPEGs (ai/device_decode.py); per_image always on the host.
    decode: DecodeMode = "auto"
    distinct_photos: int = 16
    seed: int = 0


def zero_cost_classifier(path: Path, device: str) -> ImageClassifier:
    classifier = ImageClassifier.load(path, device=device)
    classifier.model = ZeroCostForward(len(classifier.labels))
    return classifier


async def _worker_path(
    classifier: ImageClassifier,
    photos: list[bytes],
    pipeline: Pipeline,
    batch_size: int,
    options: CeilingOptions,
) -> tuple[float, float, float]:
    """(images/s, CPU ms per image, mean batch) of `requests` concurrent one-photo requests.

    CPU time is the whole process's, every thread: on a shared machine it moves far less with
    the neighbours' load than images/s does.
    """
    label_map = load_label_map(classifier.path, classifier.id2label)
    model = TransformersPhotoModel(
        classifier,
        label_map,
        max_batch=batch_size,
        max_wait_ms=options.max_wait_ms,
        decode_workers=options.decode_workers,
        pipeline=pipeline,
        decode=options.decode if pipeline == "batch" else "host",
    )
    n = len(photos)
    try:
        # Warm-up: thread pools started, buffers touched.
        await asyncio.gather(*(model.analyze([photos[i % n]]) for i in range(2 * batch_size)))
        before = model.batcher.stats.batches, model.batcher.stats.items
        start, cpu_start = time.perf_counter(), time.process_time()
        await asyncio.gather(*(model.analyze([photos[i % n]]) for i in range(options.requests)))
        seconds = time.perf_counter() - start
        cpu_ms = (time.process_time() - cpu_start) * 1000 / options.requests
        batches = model.batcher.stats.batches - before[0]
        items = model.batcher.stats.items - before[1]
    finally:
        await model.aclose()
    return options.requests / seconds, cpu_ms, items / batches if batches else 0.0


def _decode_only(
    photos: list[bytes], classifier: ImageClassifier, workers: int
) -> tuple[float, float]:
    """(images/s, CPU ms per image) of `BatchDecoder` alone: no event loop, no forward."""
    spec = classifier.preprocessor.spec
    assert spec.resize_to is not None
    batch = [photos[i % len(photos)] for i in range(64)]
    out = torch.empty((64, spec.resize_to[1], spec.resize_to[0], 3), dtype=torch.uint8).numpy()
    with ThreadPoolExecutor(workers) as pool:
        decoder = BatchDecoder(pool, workers, spec)
        decoder.decode(batch, out)
        start, cpu_start, rounds = time.perf_counter(), time.process_time(), 4
        for _ in range(rounds):
            decoder.decode(batch, out)
        images = rounds * len(batch)
        cpu_ms = (time.process_time() - cpu_start) * 1000 / images
        return images / (time.perf_counter() - start), cpu_ms


def _device_decode_only(
    photos: list[bytes], classifier: ImageClassifier, decode: DecodeMode
) -> tuple[float, float] | None:
    """(images/s, CPU ms per image) of `DeviceBatchDecoder` alone, where the batch path uses it."""
    jpeg = available_jpeg_decoder()
    choice = classifier.choice
    if not use_device_decode(decode, on_cuda=choice.is_cuda, available=jpeg is not None):
        return None
    assert jpeg is not None
    spec = classifier.preprocessor.spec
    assert spec.resize_to is not None
    batch = [photos[i % len(photos)] for i in range(64)]
    width, height = spec.resize_to
    out = torch.empty((64, height, width, 3), dtype=torch.uint8, device=choice.device)
    decoder = DeviceBatchDecoder(spec, choice.device, jpeg)

    def settle() -> None:
        if choice.is_cuda:
            torch.cuda.synchronize(choice.device)

    decoder.decode(batch, out)
    settle()
    start, cpu_start, rounds = time.perf_counter(), time.process_time(), 4
    for _ in range(rounds):
        decoder.decode(batch, out)
    settle()
    images = rounds * len(batch)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / images
    return images / (time.perf_counter() - start), cpu_ms


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def run_ceiling(options: CeilingOptions) -> dict[str, Any]:
    pipelines: tuple[Pipeline, ...] = get_args(Pipeline)[::-1]  # per_image first, then batch
    with tempfile.TemporaryDirectory(prefix="telemed-ceiling-") as tmp:
        path = options.model or save_tiny_checkpoint(
            Path(tmp) / "zero-cost", image_size=options.image_size
        )
        classifier = zero_cost_classifier(path, options.device)
        photos = synthetic_photos(options.distinct_photos, options.photo_size, options.seed)
        rates: dict[tuple[int, str], list[float]] = {}
        cpu_ms: dict[tuple[int, str], list[float]] = {}
        batches: dict[tuple[int, str], list[float]] = {}
        decode_only: list[float] = []
        decode_cpu_ms: list[float] = []
        device_only: list[float] = []
        device_cpu_ms: list[float] = []
        workers = options.decode_workers or usable_cpus()
        for _ in range(options.repetitions):
            rate, cpu = _decode_only(photos, classifier, workers)
            decode_only.append(rate)
            decode_cpu_ms.append(cpu)
            on_device = _device_decode_only(photos, classifier, options.decode)
            if on_device is not None:
                device_only.append(on_device[0])
                device_cpu_ms.append(on_device[1])
            for batch_size in options.batch_sizes:
                for pipeline in pipelines:
                    rate, cpu, mean_batch = asyncio.run(
                        _worker_path(classifier, photos, pipeline, batch_size, options)
                    )
                    rates.setdefault((batch_size, pipeline), []).append(rate)
                    cpu_ms.setdefault((batch_size, pipeline), []).append(cpu)
                    batches.setdefault((batch_size, pipeline), []).append(mean_batch)
    rows = []
    for batch_size in options.batch_sizes:
        before = _median(rates[(batch_size, "per_image")])
        after = _median(rates[(batch_size, "batch")])
        cpu_before = statistics.median(cpu_ms[(batch_size, "per_image")])
        cpu_after = statistics.median(cpu_ms[(batch_size, "batch")])
        rows.append(
            {
                "max_batch": batch_size,
                "per_image_images_per_s": before,
                "batch_images_per_s": after,
                "batch_vs_per_image": round(after / before, 2),
                "per_image_cpu_ms_per_image": round(cpu_before, 2),
                "batch_cpu_ms_per_image": round(cpu_after, 2),
                "cpu_per_image_saved": round(cpu_before / cpu_after, 2),
                "per_image_runs": [round(rate, 1) for rate in rates[(batch_size, "per_image")]],
                "batch_runs": [round(rate, 1) for rate in rates[(batch_size, "batch")]],
                "per_image_mean_batch": _median(batches[(batch_size, "per_image")]),
                "batch_mean_batch": _median(batches[(batch_size, "batch")]),
            }
        )
    return {
        "mode": "zero-cost model",
        "device": str(classifier.choice.device),
        "gpu": torch.cuda.get_device_name(classifier.choice.device)
        if classifier.choice.is_cuda
        else None,
        "cpus": usable_cpus(),
        "decode_workers": workers,
        "input_size": list(classifier.input_size or ()),
        "photo_size": list(options.photo_size),
        "requests": options.requests,
        "repetitions": options.repetitions,
        "max_wait_ms": options.max_wait_ms,
        # What the decode threads alone deliver: the most either path could reach.
        "decode_only_images_per_s": _median(decode_only),
        "decode_only_cpu_ms_per_image": round(statistics.median(decode_cpu_ms), 2),
        # The batch pipeline's decoder when it is the device's (nvJPEG on CUDA), alone.
        "batch_decode_on": "device" if device_only else "host",
        "device_decode_only_images_per_s": _median(device_only) if device_only else None,
        "device_decode_only_cpu_ms_per_image": (
            round(statistics.median(device_cpu_ms), 2) if device_cpu_ms else None
        ),
        "by_batch_size": rows,
    }
