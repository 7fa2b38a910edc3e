"""Several large pictures decoded at once: peak memory and event-loop lag, in a fresh process.

Used by tests/integration/test_decode_bounds.py and benchmarks/bench_decode.py. Each
measurement runs in its own interpreter (`python -m tests.support.decode_load ...`) so one
path's peak cannot hide another's: peak memory is read after imports and after the file is read
(the baseline), and again when every decode has finished (the peak), from VmHWM (see
`_peak_mib`). Pillow allocates pixels with malloc, out of tracemalloc's sight, hence the
whole-process figure.

Two paths decode the same bytes, `copies` times at once, as concurrent uploads would:
- `bounded`: today's `StoreCheckPhoto` (sanitizer + quality inspector on the process's
  `ImageWork`, pixel caps from the header, reduced JPEG decode);
- `unbounded`: the path before issue #10, kept here as the reference: each upload on its own
  `asyncio.to_thread`, the picture decoded whole, rotated and converted at full size, then
  shrunk (what db/storage/images.py did).

While they run, a probe sleeps 5 ms in a loop on the event loop and records how late each
wake-up is: what any other user's update would wait on top of its own work.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageDraw, ImageOps

from tests.photos import jpeg_bytes, realistic_image

Path_ = Literal["bounded", "unbounded"]
PROBE_INTERVAL_S = 0.005
# What the sanitizer before issue #10 let through and how it shrank (db/storage/images.py).
_OLD_MAX_PIXELS = 50_000_000
_OLD_MAX_SIDE = 4096
_REPO_ROOT = Path(__file__).resolve().parent.parent.parent
_MEASURED_MODULES = (
    "core.interactors.symptom_check",
    "db.storage.images",
    "db.storage.photo_quality",
)


def flat_png(width: int = 7000, height: int = 7000) -> bytes:
    """A mostly flat RGB PNG: 49 MP declared in ~160 KB (the hostile test's file was 190 KB)."""
    image = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for i in range(8):
        box = (i * 800, i * 700, i * 800 + 600, i * 700 + 500)
        draw.rectangle(box, fill=(40 + i * 20, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def phone_jpeg(width: int = 8000, height: int = 6000) -> bytes:
    """A 48 MP photo-like JPEG under the 10 MiB photo limit (a realistic picture, tiled)."""
    tile = realistic_image(1000, 750, seed=3)
    image = Image.new("RGB", (width, height))
    for x in range(0, width, tile.width):
        for y in range(0, height, tile.height):
            image.paste(tile, (x, y))
    return jpeg_bytes(image, quality=70)


def measure(image_path: Path, path: Path_, copies: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its JSON result."""
    completed = subprocess.run(
        [sys.executable, "-m", "tests.support.decode_load", str(image_path), path, str(copies)],
        cwd=_REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"decode load ({path}) failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


class _KeptBlobs:
    """Just enough BlobStorage for StoreCheckPhoto: what it stores is kept, as a store would."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[key] = data


def _sanitize_as_before(data: bytes) -> bytes:
    """The sanitizer as it was before issue #10, step by step (metadata handling left out)."""
    from core.uploads import UploadRejectedError, UploadRejectReason

    with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"]) as image:
        if image.width * image.height > _OLD_MAX_PIXELS:
            raise UploadRejectedError(UploadRejectReason.IMAGE_TOO_LARGE)
        if image.format == "JPEG":
            image.draft(None, (_OLD_MAX_SIDE, _OLD_MAX_SIDE))
        image.load()
        # One name rebound step by step, as before: each copy frees the one before it.
        picture = ImageOps.exif_transpose(image)  # a full copy even when upright
        picture = picture.convert("RGB")  # and another
        picture.thumbnail((_OLD_MAX_SIDE, _OLD_MAX_SIDE), Image.Resampling.LANCZOS)
        canvas = Image.new("RGB", picture.size, (255, 255, 255))
        canvas.paste(picture)
        buffer = io.BytesIO()
        canvas.save(buffer, "JPEG", quality=88, optimize=True)
        return buffer.getvalue()


async def _decode_all(data: bytes, path: Path_, copies: int) -> dict[str, int]:
    from core.image_work import ImageWork
    from core.interactors.symptom_check import StoreCheckPhoto
    from core.photo_errors import UnusablePhotoError
    from core.uploads import UploadRejectedError
    from db.storage.images import PillowImageSanitizer
    from db.storage.photo_quality import PillowPhotoQualityInspector

    outcome = {"stored": 0, "refused_too_large": 0, "unusable": 0}
    work = ImageWork()
    inspector = PillowPhotoQualityInspector()
    storage: Any = _KeptBlobs()
    store = StoreCheckPhoto(storage, PillowImageSanitizer(), inspector, work)

    async def one(index: int) -> None:
        try:
            if path == "bounded":
                await store(1000 + index, data)
            else:
                clean = await asyncio.to_thread(_sanitize_as_before, data)
                await asyncio.to_thread(inspector.measure, clean)
            outcome["stored"] += 1
        except UploadRejectedError:
            outcome["refused_too_large"] += 1
        except UnusablePhotoError:
            outcome["unusable"] += 1

    try:
        await asyncio.gather(*(one(index) for index in range(copies)))
    finally:
        work.close()
    return outcome


async def _run(data: bytes, path: Path_, copies: int) -> dict[str, Any]:
    lags: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(PROBE_INTERVAL_S)
            lags.append(time.perf_counter() - started - PROBE_INTERVAL_S)

    probing = asyncio.create_task(probe())
    started = time.perf_counter()
    try:
        outcome = await _decode_all(data, path, copies)
    finally:
        done.set()
        await probing
    return {
        **outcome,
        "wall_s": round(time.perf_counter() - started, 3),
        "lag_max_ms": round(max(lags, default=0.0) * 1000, 1),
        "lag_p50_ms": round(statistics.median(lags) * 1000, 2) if lags else 0.0,
    }


def _peak_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    VmHWM, not `ru_maxrss`: Linux folds the parent's peak into the child's `ru_maxrss` at
    exec, so a child of a 600 MB pytest would start at 600 MB and hide any smaller growth.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(image_path: Path, path: Path_, copies: int) -> None:
    # Everything the run imports is imported before the baseline, so the growth is pixels.
    for module in _MEASURED_MODULES:
        importlib.import_module(module)

    data = image_path.read_bytes()
    baseline = _peak_mib()
    result = asyncio.run(_run(data, path, copies))
    result.update(
        path=path,
        copies=copies,
        file_kib=round(len(data) / 1024, 1),
        baseline_mib=round(baseline, 1),
        growth_mib=round(_peak_mib() - baseline, 1),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("image", type=Path)
    parser.add_argument("path", choices=["bounded", "unbounded"])
    parser.add_argument("copies", type=int)
    arguments = parser.parse_args()
    _child(arguments.image, arguments.path, arguments.copies)
