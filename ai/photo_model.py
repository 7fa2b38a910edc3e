"""core's `PhotoModel` on a Hugging Face checkpoint, and a deterministic fake for other tests.

Request path: bytes → decode + resize in a small thread pool (overlaps the running forward) →
micro-batcher → one forward pass per batch in the forward thread → model labels mapped to
finding codes. The event loop only schedules; it never decodes or computes.

torch is imported only when a real model is loaded, so `FakePhotoModel` works without it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ai.batching import MicroBatcher
from ai.decode import decode_and_prepare, decode_image
from ai.labels import LabelMap, load_label_map
from core.photo_errors import UnreadablePhotoError
from core.ports.photo_model import FINDING_CODES, PhotoModel
from core.triage.model import ImageFinding

if TYPE_CHECKING:
    from ai.classifier import ImageClassifier, Prepared

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 32
DEFAULT_MAX_WAIT_MS = 5.0


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
    ) -> None:
        if not label_map.mapped_codes:
            raise NoFindingLabelsError(
                f"{classifier.name}: none of the labels {list(label_map.labels)} maps to a "
                "finding code; add telemed_labels.json to the checkpoint"
            )
        self.classifier = classifier
        self.label_map = label_map
        from ai.device import usable_cpus

        on_gpu = classifier.choice.is_cuda
        if decode_workers is None:
            # Decoding a Telegram photo with draft costs a few ms; a GPU eats thousands of images
            # per second, so there every core decodes. On CPU the forward needs the cores itself.
            decode_workers = usable_cpus() if on_gpu else 2
        self.decode_workers = max(1, decode_workers)
        # Threads by default: on an H100 host (16 vCPUs, ViT-S, batch 128) 16 decode threads gave
        # ~930 images/s and 16 spawned processes ~500 (pickling and the executor's single
        # management thread cost more than the GIL saves). Processes stay an option to measure.
        self.decode_processes = bool(decode_processes)
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
        self._decode_fn = functools.partial(decode_and_prepare, spec=classifier.preprocessor.spec)
        self.batcher: MicroBatcher[Prepared, list[ImageFinding]] = MicroBatcher(
            self._run_batch,
            max_batch=max_batch,
            max_wait_ms=max_wait_ms,
            max_queue=max(max_queue, max_batch),
            name="photo",
        )

    @property
    def name(self) -> str:
        return self.classifier.name

    def _run_batch(self, items: list[Prepared]) -> list[list[ImageFinding]]:
        rows = self.classifier.probabilities(items).tolist()
        multi = self.classifier.multi_label
        return [to_findings(row, self.label_map, multi_label=multi) for row in rows]

    async def _decode(self, data: bytes, index: int) -> Prepared:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._decode_pool, self._decode_fn, data)
        except UnreadablePhotoError as exc:
            raise exc.at(index) from exc

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        # All photos are decoded before any is queued: a request with one bad photo fails
        # without spending a forward pass on the others.
        prepared = await asyncio.gather(
            *(self._decode(data, index) for index, data in enumerate(images))
        )
        return await self.batcher.submit_many(prepared)

    async def aclose(self) -> None:
        await self.batcher.aclose()
        self._decode_pool.shutdown(wait=False)


def load_photo_model(
    path: Path | str,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_wait_ms: float = DEFAULT_MAX_WAIT_MS,
    device: str = "auto",
    decode_workers: int | None = None,
    decode_processes: bool = False,
    num_threads: int | None = None,
) -> TransformersPhotoModel:
    """Load the checkpoint at `path` offline (once per process) behind a micro-batcher."""
    from ai.classifier import shared_classifier

    classifier = shared_classifier(path, device=device, num_threads=num_threads)
    label_map = load_label_map(classifier.path, classifier.id2label)
    return TransformersPhotoModel(
        classifier,
        label_map,
        max_batch=max_batch,
        max_wait_ms=max_wait_ms,
        decode_workers=decode_workers,
        decode_processes=decode_processes,
    )


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
