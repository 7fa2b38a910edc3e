"""Bounds on decoding pictures: pixels per image, and decodes running at once in a process.

A few hundred KB of PNG can declare 49 megapixels and cost ~600 MB once decoded; six of them
at once took a bot process to 1.5 GB and made other users wait seconds. Two bounds together
keep memory and latency flat whatever arrives:

- `PixelLimits`: caps checked on the image header, before a pixel is decoded. A JPEG is decoded
  at 1/2, 1/4 or 1/8 scale (its DCT allows it), so its declared size may be large; formats that
  decode whole (PNG, WebP, GIF, AVIF) get a lower cap, as do pictures kept as documents.
- `ImageWork`: one small thread pool per process that every decode goes through, so at most
  `concurrency` pictures are in memory at once and none is decoded on the event loop.

Stdlib only: the decoders live at the edges (db.storage.images, db.storage.photo_quality).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")

# A 48 MP phone photo (8000×6000) passes; as a JPEG it is decoded at half scale (12 MP).
DEFAULT_MAX_PIXELS = 50_000_000
# A picture decoded whole costs 3-4 bytes per pixel several times over while it is converted:
# 16 MP (a 4000×4000 scan or any phone screenshot) is ~64 MB decoded.
DEFAULT_MAX_FULL_DECODE_PIXELS = 16_000_000
# A scan or a receipt kept in the medical card: an A4 page at 400 dpi is 15.5 MP.
DEFAULT_MAX_DOCUMENT_PIXELS = 24_000_000
# Each running decode holds up to ~150 MB; two keep a bot replica's peak within ~300 MB extra
# and leave a core to the event loop on a small host.
DEFAULT_CONCURRENCY = 2


class ImagePurpose(StrEnum):
    """What a picture is for: a photo (checks, pet photos) or a document in the medical card."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class PixelLimits:
    """Declared-size caps, checked on the header before any pixel is decoded."""

    # Any picture, whatever its format (JPEGs are decoded at a reduced scale).
    max_pixels: int = DEFAULT_MAX_PIXELS
    # Pictures in a format that has no reduced decode: their full size is what memory holds.
    max_full_decode_pixels: int = DEFAULT_MAX_FULL_DECODE_PIXELS
    # Pictures kept as medical-card documents (scans, receipts), shown as images later.
    max_document_pixels: int = DEFAULT_MAX_DOCUMENT_PIXELS

    def __post_init__(self) -> None:
        if min(self.max_pixels, self.max_full_decode_pixels, self.max_document_pixels) <= 0:
            raise ValueError("pixel limits must be positive")

    def cap(self, purpose: ImagePurpose, *, reducible: bool) -> int:
        """The most pixels a picture may declare; `reducible`: its format decodes at 1/2-1/8."""
        cap = self.max_pixels if reducible else min(self.max_pixels, self.max_full_decode_pixels)
        if purpose is ImagePurpose.DOCUMENT:
            cap = min(cap, self.max_document_pixels)
        return cap


class ImageWork:
    """The process's one pool for image decoding: bounded, and off the event loop.

    Created once per process (the composition root's APP scope) and shared by every interactor
    that decodes, so the bound holds for the process, not per request. Jobs beyond
    `concurrency` wait in the queue holding only their (already size-checked) bytes.
    """

    def __init__(self, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self._executor = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="image-work"
        )

    async def run(self, fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """`fn(*args, **kwargs)` on the pool; the caller waits without blocking the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Stop taking jobs; queued ones are cancelled, running ones finish on their own."""
        self._executor.shutdown(wait=False, cancel_futures=True)
