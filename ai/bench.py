"""`ai bench`: throughput of the worker path against bare forward passes.

Three figures, each in images per second:
- `single_images_per_s`: one request at a time through `TransformersPhotoModel.analyze` (decode
  pool → micro-batcher → forward thread), i.e. latency-bound serving;
- `batched_images_per_s`: `--requests` concurrent one-photo requests through the same path;
- `raw_forward_images_per_s`: `ImageClassifier.probabilities` on already decoded, resized
  inputs at the same batch size — no decode, no queue. The worker path cannot beat it; the goal
  is ≥ 80 % of it.
Photos are synthetic JPEGs at Telegram's photo size (1280 px long side) so decode costs what it
costs in production.
"""

from __future__ import annotations

import asyncio
import io
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from ai.classifier import ImageClassifier
from ai.device import usable_cpus
from ai.device_decode import DecodeMode
from ai.labels import load_label_map
from ai.photo_model import Pipeline, TransformersPhotoModel
from ai.tiny import save_tiny_checkpoint


@dataclass(frozen=True, slots=True)
class BenchOptions:
    model: Path | None = None
    # A preset of ai.tiny built in a temporary directory when no --model is given.
    tiny: str = "small"
    device: str = "auto"
    batch_sizes: tuple[int, ...] = (1, 8, 32)
    requests: int = 128
    single_requests: int = 32
    photo_size: tuple[int, int] = (1280, 960)
    max_wait_ms: float = 5.0
    decode_workers: int | None = None
    decode_processes: bool = False
    # "per_image" measures the earlier path on the same machine (benchmarks/README.md).
    pipeline: Pipeline = "batch"
    # Where the batch path decodes JPEGs (ai/device_decode.py): auto, host or device.
    decode: DecodeMode = "auto"
    distinct_photos: int = 16
    seed: int = 0


def synthetic_photos(count: int, size: tuple[int, int], seed: int = 0) -> list[bytes]:
    """JPEGs that compress like photos: smooth colour fields plus sensor-like noise."""
    rng = np.random.default_rng(seed)
    photos = []
    for _ in range(count):
        coarse = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
        image = Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC)
        pixels = np.asarray(image, dtype=np.int16) + rng.integers(-12, 13, (*size[::-1], 3))
        buffer = io.BytesIO()
        Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
        photos.append(buffer.getvalue())
    return photos


def _per_s(images: int, seconds: float) -> float:
    return round(images / seconds, 2) if seconds > 0 else math.inf


async def _concurrent(model: TransformersPhotoModel, photos: list[bytes], n: int) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(model.analyze([photos[i % len(photos)]]) for i in range(n)))
    return time.perf_counter() - start


async def _bench_async(
    classifier: ImageClassifier, photos: list[bytes], options: BenchOptions
) -> dict[str, Any]:
    label_map = load_label_map(classifier.path, classifier.id2label)
    n_photos = len(photos)

    # Decode + resize, one thread: what each photo costs before it can join a batch.
    for data in photos[:2]:
        classifier.decode_and_prepare(data)
    start = time.perf_counter()
    prepared = [classifier.decode_and_prepare(data) for data in photos]
    decode_ms = (time.perf_counter() - start) * 1000 / n_photos

    rows: list[dict[str, Any]] = []
    for batch_size in options.batch_sizes:
        items = [prepared[i % n_photos] for i in range(batch_size)]
        for _ in range(2):  # warm-up: allocator, kernels, autotuning
            classifier.probabilities(items)
        # As many images as the batched run, and long enough that timer noise does not matter.
        iterations, start = 0, time.perf_counter()
        while iterations * batch_size < options.requests or time.perf_counter() - start < 0.5:
            classifier.probabilities(items)
            iterations += 1
        raw = _per_s(iterations * batch_size, time.perf_counter() - start)

        model = TransformersPhotoModel(
            classifier,
            label_map,
            max_batch=batch_size,
            max_wait_ms=options.max_wait_ms,
            decode_workers=options.decode_workers,
            decode_processes=options.decode_processes,
            pipeline=options.pipeline,
            decode=options.decode,
        )
        try:
            await _concurrent(model, photos, batch_size)  # warm-up of the pools
            warm_batches, warm_items = model.batcher.stats.batches, model.batcher.stats.items
            seconds = await _concurrent(model, photos, options.requests)
            stats = model.batcher.stats
            batches = stats.batches - warm_batches
            mean_batch = (stats.items - warm_items) / batches if batches else 0.0
        finally:
            await model.aclose()
        batched = _per_s(options.requests, seconds)
        rows.append(
            {
                "batch_size": batch_size,
                "raw_forward_images_per_s": raw,
                "batched_images_per_s": batched,
                "batched_vs_raw": round(batched / raw, 3),
                "forward_calls": batches,
                "mean_batch": round(mean_batch, 2),
            }
        )

    # One request at a time, the serving path as configured with the largest batch size.
    single_model = TransformersPhotoModel(
        classifier,
        label_map,
        max_batch=max(options.batch_sizes),
        max_wait_ms=options.max_wait_ms,
        decode_workers=options.decode_workers,
        decode_processes=options.decode_processes,
        pipeline=options.pipeline,
        decode=options.decode,
    )
    try:
        await single_model.analyze([photos[0]])
        start = time.perf_counter()
        for i in range(options.single_requests):
            await single_model.analyze([photos[i % n_photos]])
        single = _per_s(options.single_requests, time.perf_counter() - start)
    finally:
        await single_model.aclose()

    best = max(rows, key=lambda row: row["batched_images_per_s"])
    return {
        "single_images_per_s": single,
        "batched_images_per_s": best["batched_images_per_s"],
        "raw_forward_images_per_s": best["raw_forward_images_per_s"],
        "batched_vs_raw": best["batched_vs_raw"],
        "batch_size": best["batch_size"],
        "raw_forward_best_images_per_s": max(row["raw_forward_images_per_s"] for row in rows),
        "decode_ms_per_image": round(decode_ms, 3),
        "decode_workers": single_model.decode_workers,
        "decode_in": "processes" if single_model.decode_processes else "threads",
        "pipeline": single_model.pipeline,
        "decode_on": single_model.decode_on,
        # What the decode pool could deliver if decoding had the cores to itself.
        "decode_ceiling_images_per_s": round(single_model.decode_workers * 1000 / decode_ms, 1),
        "batch_sizes": list(options.batch_sizes),
        "by_batch_size": rows,
    }


def run_bench(options: BenchOptions) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="telemed-bench-") as tmp:
        path = options.model
        if path is None:
            path = save_tiny_checkpoint(Path(tmp) / f"vit-{options.tiny}", preset=options.tiny)
        classifier = ImageClassifier.load(path, device=options.device)
        photos = synthetic_photos(options.distinct_photos, options.photo_size, options.seed)
        figures = asyncio.run(_bench_async(classifier, photos, options))
    parameters = sum(p.numel() for p in classifier.model.parameters())
    header: dict[str, Any] = {
        "model": classifier.name,
        "preset": None if options.model else options.tiny,
        "parameters_m": round(parameters / 1e6, 2),
        "input_size": list(classifier.input_size or ()),
        **classifier.choice.describe(),
        "gpu": torch.cuda.get_device_name(classifier.choice.device)
        if classifier.choice.is_cuda
        else None,
        "cpus": usable_cpus(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "photo_size": list(options.photo_size),
        "requests": options.requests,
        "single_requests": options.single_requests,
        "max_wait_ms": options.max_wait_ms,
    }
    return {**header, **figures}
