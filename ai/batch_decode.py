"""Photos of one batch decoded in parallel straight into a reused (pinned on CUDA) batch buffer.

The per-image path paid, per photo, an executor future, an event-loop wake-up, an array to
stack and (on CUDA) a fresh pinned allocation. Here a batch costs one future: the batch thread
splits the rows into one contiguous chunk per decode thread and waits on those chunks without
the event loop, and the rows land where the forward reads them.
"""

from __future__ import annotations

import itertools
import queue
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ai.decode import PrepareSpec, decode_into
from core.photo_errors import UnreadablePhotoError

# One row per photo: (H, W, 3) uint8, exactly what `decode_and_prepare` returns for it.
BatchArray = np.ndarray[Any, np.dtype[np.uint8]]


@dataclass(frozen=True, slots=True)
class BatchBuffer:
    """`rows`: (max_batch, H, W, 3) uint8, where the photos are decoded (pinned on CUDA).

    `pixels`: (max_batch, 3, H, W) float32 for the normalised model input when the model runs
    on the CPU; None on CUDA, where normalising happens on the device after the upload.
    """

    rows: torch.Tensor
    pixels: torch.Tensor | None


class BatchBuffers:
    """`count` preallocated batch buffers, handed out one per batch.

    As many buffers as batches in flight, so `lease` never waits in practice; if it ever does,
    waiting is right (the buffer is still being read by a forward). On CUDA the rows are
    pinned, so the upload is one asynchronous DMA with no staging copy.
    """

    def __init__(
        self,
        count: int,
        max_batch: int,
        size: tuple[int, int],
        *,
        on_cuda: bool = False,
        rows_on: torch.device | None = None,
    ) -> None:
        """`rows_on`: the device the rows live on when photos are decoded there
        (ai/device_decode.py); None keeps them on the host (pinned on CUDA)."""
        width, height = size
        self.shape = (max_batch, height, width, 3)
        self._free: queue.SimpleQueue[BatchBuffer] = queue.SimpleQueue()
        for _ in range(count):
            if rows_on is not None:
                rows = torch.empty(self.shape, dtype=torch.uint8, device=rows_on)
            else:
                rows = torch.empty(self.shape, dtype=torch.uint8, pin_memory=on_cuda)
            pixels = None if on_cuda else torch.empty((max_batch, 3, height, width))
            self._free.put(BatchBuffer(rows, pixels))

    @contextmanager
    def lease(self) -> Iterator[BatchBuffer]:
        buffer = self._free.get()
        try:
            yield buffer
        finally:
            self._free.put(buffer)


def _decode_rows(
    photos: Sequence[bytes], spec: PrepareSpec, rows: BatchArray
) -> list[UnreadablePhotoError | None]:
    errors: list[UnreadablePhotoError | None] = []
    for data, row in zip(photos, rows, strict=True):
        try:
            decode_into(data, spec, row)
        except UnreadablePhotoError as exc:
            errors.append(exc)
        else:
            errors.append(None)
    return errors


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    """`count` rows as `parts` contiguous (start, stop) ranges of near-equal size."""
    parts = max(1, min(parts, count))
    bounds = [count * part // parts for part in range(parts + 1)]
    return list(itertools.pairwise(bounds))


class BatchDecoder:
    """Decodes a batch of photos into the first rows of a buffer, `workers` chunks at a time."""

    def __init__(self, pool: Executor, workers: int, spec: PrepareSpec) -> None:
        if spec.resize_to is None:
            raise ValueError("batch decoding needs a fixed model input size")
        self.pool = pool
        self.workers = max(1, workers)
        self.spec = spec

    def decode(
        self, photos: Sequence[bytes], out: BatchArray
    ) -> list[UnreadablePhotoError | None]:
        """Row i of `out` gets photo i; returns, per photo, its decode error or None.

        A bad photo fails only itself: its row is left as it was and the others decode.
        """
        if len(photos) > len(out):
            raise ValueError(f"{len(photos)} photos for a buffer of {len(out)} rows")
        futures = [
            self.pool.submit(_decode_rows, photos[start:stop], self.spec, out[start:stop])
            for start, stop in _chunks(len(photos), self.workers)
        ]
        errors: list[UnreadablePhotoError | None] = []
        for future in futures:
            errors.extend(future.result())
        return errors


def compact_rows(out: BatchArray | torch.Tensor, keep: Sequence[int]) -> int:
    """Move rows `keep` (ascending) to the front of `out`; returns how many rows are now live.

    Used when some photos of a batch failed: the forward then runs on good rows only.
    """
    for target, source in enumerate(keep):
        if target != source:
            out[target] = out[source]
    return len(keep)
