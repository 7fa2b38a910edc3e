"""core's `PhotoModel` on a Hugging Face checkpoint, and a deterministic fake for other tests.

Request path (`pipeline="batch"`, the default): bytes → micro-batcher → per batch, one job that
decodes every photo straight into a reused batch buffer (the decode pool, one chunk per core),
then one forward pass on that buffer → model labels mapped to finding codes. Two batches are in
flight, so the next one decodes while the current one runs its forward.

`pipeline="per_image"` is the earlier path, kept to measure against and for what the batch path
cannot do (checkpoints whose processor is not a plain resize, decoding in processes): each photo
is decoded in the pool on its own, then queued. The event loop only schedules; it never decodes
or computes.

torch is imported only when a real model is loaded, so `FakePhotoModel` works without it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import itertools
import logging
import multiprocessing
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ai.batch_decode import BatchBuffers, BatchDecoder, compact_rows
from ai.batching import MicroBatcher
from ai.decode import decode_and_prepare, decode_image
from ai.labels import LabelMap, load_label_map
from core.photo_errors import UnreadablePhotoError
from core.ports.photo_model import FINDING_CODES, PhotoModel
from core.triage.model import ImageFinding

if TYPE_CHECKING:
    from ai.classifier import ImageClassifier, Prepared
    from ai.device_decode import DecodeMode, DeviceBatchDecoder, JpegDecoder

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 32
DEFAULT_MAX_WAIT_MS = 5.0
# Batches in flight on the batch path: one decoding while one runs its forward.
BATCHES_IN_FLIGHT = 2

Pipeline = Literal["batch", "per_image"]


class NoFindingLabelsError(RuntimeError):
    """No output of the checkpoint maps to a finding code: the model could never say anything."""


def to_findings(
    probabilities: Sequence[float], label_map: LabelMap, *, multi_label: bool
) -> list[ImageFinding]:
    """Model outputs → findings, highest score first.

    Several labels may map to one code: softmax probabilities of disjoint classes add up, while
    independent sigmoid scores do not, so those take the maximum.
    """
    scores: dict[str, float] = {}
    for code, probability in zip(label_map.codes, probabilities, strict=True):
        if code is None:
            continue
        if multi_label:
            scores[code] = max(scores.get(code, 0.0), probability)
        else:
            scores[code] = scores.get(code, 0.0) + probability
    findings = [ImageFinding(code, round(min(score, 1.0), 6)) for code, score in scores.items()]
    findings.sort(key=lambda finding: (-finding.score, finding.label))
    return findings


@dataclass(eq=False, slots=True)
class _Photo:
    """One photo of a request on the batch path; `request` ties the photos of one call."""

    data: bytes
    index: int
    request: int


class TransformersPhotoModel:
    """`PhotoModel` on an `ImageClassifier`. Build it once per process (DI app scope)."""

    def __init__(
        self,
        classifier: ImageClassifier,
        label_map: LabelMap,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        max_wait_ms: float = DEFAULT_MAX_WAIT_MS,
        decode_workers: int | None = None,
        decode_processes: bool = False,
        max_queue: int = 4096,
        pipeline: Pipeline = "batch",
        decode: DecodeMode = "auto",
        jpeg_decoder: JpegDecoder | None = None,
    ) -> None:
        """`decode`: where the batch path decodes JPEGs (ai/device_decode.py); `jpeg_decoder`
        replaces torchvision's (tests)."""
        if not label_map.mapped_codes:
            raise NoFindingLabelsError(
                f"{classifier.name}: none of the labels {list(label_map.labels)} maps to a "
                "finding code; add telemed_labels.json to the checkpoint"
            )
        self.classifier = classifier
        self.label_map = label_map
        from ai.device import usable_cpus

        on_gpu = classifier.choice.is_cuda
        spec = classifier.preprocessor.spec
        # Threads by default: on an H100 host (16 vCPUs, ViT-S, batch 128) 16 decode threads gave
        # ~930 images/s and 16 spawned processes ~500 (pickling and the executor's single
        # management thread cost more than the GIL saves). Processes stay an option to measure;
        # they cannot write into the batch buffer, so they take the per-image path.
        self.decode_processes = bool(decode_processes)
        batch_path = (
            pipeline == "batch" and spec.resize_to is not None and not self.decode_processes
        )
        self.pipeline: Pipeline = "batch" if batch_path else "per_image"
        if decode_workers is None:
            # Decoding a Telegram photo with draft costs a few ms; a GPU eats thousands of images
            # per second, so there every core decodes. The batch path decodes while the forward
            # waits for its batch, so it takes every core on CPU too; the per-image path keeps
            # its earlier two on CPU, where its decodes competed with a running forward.
            decode_workers = usable_cpus() if on_gpu or self.pipeline == "batch" else 2
        self.decode_workers = max(1, decode_workers)
        self._decode_pool: Executor
        if self.decode_processes:
            self._decode_pool = ProcessPoolExecutor(
                max_workers=self.decode_workers,
                # Never fork a process that holds a CUDA context.
                mp_context=multiprocessing.get_context("spawn"),
            )
        else:
            self._decode_pool = ThreadPoolExecutor(
                max_workers=self.decode_workers, thread_name_prefix="photo-decode"
            )
        self._decode_fn = functools.partial(decode_and_prepare, spec=spec)
        self.batcher: MicroBatcher[Any, list[ImageFinding]]
        # Where photos are decoded, for the start-up line and the benchmark: the per-image path
        # always decodes on the host.
        self.decode_on = "host"
        if self.pipeline == "per_image":
            self.batcher = MicroBatcher(
                self._run_batch,
                max_batch=max_batch,
                max_wait_ms=max_wait_ms,
                max_queue=max(max_queue, max_batch),
                name="photo",
            )
            return
        assert spec.resize_to is not None
        self._batch_decoder = BatchDecoder(self._decode_pool, self.decode_workers, spec)
        self._device_decoder = _device_decoder(classifier, decode, jpeg_decoder)
        self.decode_on = "host" if self._device_decoder is None else "device"
        self._buffers = BatchBuffers(
            BATCHES_IN_FLIGHT,
            max_batch,
            spec.resize_to,
            on_cuda=on_gpu,
            rows_on=None if self._device_decoder is None else classifier.choice.device,
        )
        # Two batch threads, one model: forwards take turns, decodes overlap them.
        self._forward_lock = threading.Lock()
        self._request_ids = itertools.count()
        self.batcher = MicroBatcher(
            self._run_photo_batch,
            max_batch=max_batch,
            max_wait_ms=max_wait_ms,
            max_queue=max(max_queue, max_batch),
            max_in_flight=BATCHES_IN_FLIGHT,
            name="photo",
        )

    @property
    def name(self) -> str:
        return self.classifier.name

    def _run_batch(self, items: list[Prepared]) -> list[list[ImageFinding]]:
        rows = self.classifier.probabilities(items).tolist()
        multi = self.classifier.multi_label
        return [to_findings(row, self.label_map, multi_label=multi) for row in rows]

    def _run_photo_batch(
        self, photos: list[_Photo]
    ) -> list[list[ImageFinding] | UnreadablePhotoError]:
        """Decode the batch into a buffer, forward the good rows; runs in a batch thread."""
        with self._buffers.lease() as buffer:
            data = [photo.data for photo in photos]
            rows: Any
            if self._device_decoder is not None:
                rows = buffer.rows
                errors = self._device_decoder.decode(data, rows)
            else:
                rows = buffer.rows.numpy()
                errors = self._batch_decoder.decode(data, rows)
            # A request with a bad photo fails as a whole (as on the per-image path), so its
            # other photos in this batch skip the forward too.
            failed: dict[int, UnreadablePhotoError] = {}
            for photo, error in zip(photos, errors, strict=True):
                if error is not None and photo.request not in failed:
                    failed[photo.request] = error.at(photo.index)
            keep = [i for i, photo in enumerate(photos) if photo.request not in failed]
            live = compact_rows(rows, keep) if failed else len(photos)
            with self._forward_lock:
                probabilities = self.classifier.probabilities_from_batch(
                    buffer.rows[:live], buffer.pixels
                ).tolist()
        multi = self.classifier.multi_label
        findings = iter(
            [to_findings(row, self.label_map, multi_label=multi) for row in probabilities]
        )
        return [
            failed[photo.request] if photo.request in failed else next(findings)
            for photo in photos
        ]

    async def _decode(self, data: bytes, index: int) -> Prepared:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._decode_pool, self._decode_fn, data)
        except UnreadablePhotoError as exc:
            raise exc.at(index) from exc

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        if self.pipeline == "batch":
            request = next(self._request_ids)
            photos = [_Photo(data, index, request) for index, data in enumerate(images)]
            if len(photos) == 1:
                # The usual case (one photo per call) skips gather's task per photo.
                return [await self.batcher.submit(photos[0])]
            return await self.batcher.submit_many(photos)
        # All photos are decoded before any is queued: a request with one bad photo fails
        # without spending a forward pass on the others.
        prepared = await asyncio.gather(
            *(self._decode(data, index) for index, data in enumerate(images))
        )
        return await self.batcher.submit_many(prepared)

    async def aclose(self) -> None:
        await self.batcher.aclose()
        self._decode_pool.shutdown(wait=False)


def _device_decoder(
    classifier: ImageClassifier, mode: DecodeMode, jpeg_decoder: JpegDecoder | None
) -> DeviceBatchDecoder | None:
    if mode == "host":
        return None
    from ai.device_decode import (
        DeviceBatchDecoder,
        available_jpeg_decoder,
        resizes_bilinearly,
        use_device_decode,
    )

    decoder = jpeg_decoder if jpeg_decoder is not None else available_jpeg_decoder()
    choice, spec = classifier.choice, classifier.preprocessor.spec
    if not use_device_decode(
        mode,
        on_cuda=choice.is_cuda,
        available=decoder is not None,
        bilinear=resizes_bilinearly(spec),
    ):
        return None
    assert decoder is not None
    return DeviceBatchDecoder(spec, choice.device, decoder)


def load_photo_model(
    path: Path | str,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_wait_ms: float = DEFAULT_MAX_WAIT_MS,
    device: str = "auto",
    decode_workers: int | None = None,
    decode_processes: bool = False,
    num_threads: int | None = None,
    pipeline: Pipeline = "batch",
    decode: DecodeMode = "auto",
) -> TransformersPhotoModel:
    """Load the checkpoint at `path` offline (once per process) behind a micro-batcher."""
    from ai.classifier import shared_classifier

    classifier = shared_classifier(path, device=device, num_threads=num_threads)
    label_map = load_label_map(classifier.path, classifier.id2label)
    model = TransformersPhotoModel(
        classifier,
        label_map,
        max_batch=max_batch,
        max_wait_ms=max_wait_ms,
        decode_workers=decode_workers,
        decode_processes=decode_processes,
        pipeline=pipeline,
        decode=decode,
    )
    log.info(
        "photo model %s: %s pipeline, photos decoded on the %s, batches of up to %d",
        model.name,
        model.pipeline,
        model.decode_on,
        max_batch,
    )
    return model


def load_optional_photo_model(
    path: Path | str | None,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_wait_ms: float = DEFAULT_MAX_WAIT_MS,
    device: str = "auto",
) -> TransformersPhotoModel | None:
    """`AI_MODEL_PATH` unset → None: the caller runs rules-only triage and says so."""
    if path is None or str(path) == "":
        log.info("AI_MODEL_PATH is not set: photo analysis is off, triage runs on answers only")
        return None
    return load_photo_model(path, max_batch=max_batch, max_wait_ms=max_wait_ms, device=device)


class FakePhotoModel:
    """A deterministic `PhotoModel` for tests that are not about the model.

    `fixed` maps exact photo bytes to findings; any other photo gets one finding derived from a
    hash of its bytes. Photos are checked with the real decoder unless `decode=False`, so tests
    see the same `UnreadablePhotoError` the real model raises.
    """

    def __init__(
        self,
        fixed: Mapping[bytes, Sequence[tuple[str, float]]] | None = None,
        *,
        name: str = "fake-photo-model",
        decode: bool = True,
    ) -> None:
        self._fixed = {key: list(value) for key, value in (fixed or {}).items()}
        self._name = name
        self._decode = decode
        self.calls: list[int] = []

    @property
    def name(self) -> str:
        return self._name

    def findings_for(self, data: bytes) -> list[ImageFinding]:
        if data in self._fixed:
            findings = [ImageFinding(label, score) for label, score in self._fixed[data]]
        else:
            digest = hashlib.sha256(data).digest()
            code = FINDING_CODES[digest[0] % len(FINDING_CODES)]
            # Scores in [0.5, 1.0) in 1/512 steps: stable and readable in test failures.
            findings = [ImageFinding(code, 0.5 + digest[1] / 512)]
        return sorted(findings, key=lambda finding: -finding.score)

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        self.calls.append(len(images))
        for index, data in enumerate(images):
            if data in self._fixed:
                continue
            if self._decode:
                try:
                    decode_image(data)
                except UnreadablePhotoError as exc:
                    raise exc.at(index) from exc
        return [self.findings_for(data) for data in images]

    async def aclose(self) -> None:
        return None


if TYPE_CHECKING:
    # Both satisfy the port; mypy checks it here rather than at every call site.
    _real: PhotoModel = TransformersPhotoModel.__new__(TransformersPhotoModel)
    _fake: PhotoModel = FakePhotoModel()
