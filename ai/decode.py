"""Photo bytes → RGB PIL image, defended against decompression bombs and cheap to run.

Runs in a small thread pool before batching: PIL releases the GIL while it decodes, so decoding
overlaps the forward pass of the previous batch.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.photo_errors import UnreadablePhotoError

# Telegram sends photos of at most 1280 px per side and documents up to 20 MB through the Bot
# API; a 48 MP phone photo (8000×6000) is the largest honest input.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000

# Formats a phone or Telegram produces. Limiting the plugins PIL tries keeps rarely used,
# historically buggy decoders (TIFF, PSD, ...) away from untrusted bytes. The JPEG opener also
# yields "MPO" images (multi-picture JPEGs, common from phones).
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "BMP")


def decode_image(
    data: bytes,
    *,
    target_size: tuple[int, int] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Image.Image:
    """Decode `data` to an upright RGB image.

    `target_size` is (width, height) of the model input: JPEGs are then decoded at a reduced
    scale (`Image.draft`) that still covers it, which is several times cheaper than a full decode.
    Raises `UnreadablePhotoError` for anything that is not a usable image.
    """
    image = open_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    with pil_errors():
        if target_size is not None and image.format in ("JPEG", "MPO"):
            side = max(target_size)
            # A square request keeps both sides ≥ the target whatever the EXIF rotation.
            image.draft("RGB", (side, side))
        # One decoder call for the whole file instead of one per 64 KB block: each block
        # re-takes the GIL, and under a busy forward thread every re-take can wait a
        # switch interval (5 ms).
        image.decodermaxblock = max(image.decodermaxblock, len(data))
        image.load()
        return _to_rgb(ImageOps.exif_transpose(image))


def open_image(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> ImageFile.ImageFile:
    """`data`'s header read and checked, its pixels not decoded yet: a bomb is refused before
    anything is allocated. Raises `UnreadablePhotoError` as `decode_image` does."""
    if not data:
        raise UnreadablePhotoError("empty")
    if len(data) > max_bytes:
        raise UnreadablePhotoError("too_large", f"{len(data)} bytes > {max_bytes}")
    with pil_errors():
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        width, height = image.size
        if width <= 0 or height <= 0 or width * height > max_pixels:
            raise UnreadablePhotoError("too_many_pixels", f"{width}×{height}")
        return image


@contextmanager
def pil_errors() -> Iterator[None]:
    """PIL's ways of failing on untrusted bytes, as `UnreadablePhotoError` reasons."""
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is the check; PIL's warning would only add noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except UnreadablePhotoError:
        raise
    except UnidentifiedImageError as exc:
        raise UnreadablePhotoError("unsupported", str(exc)) from exc
    except Image.DecompressionBombError as exc:
        raise UnreadablePhotoError("too_many_pixels", str(exc)) from exc
    # Truncated or damaged files surface as any of these from the plugins.
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error) as exc:
        raise UnreadablePhotoError("corrupt", f"{type(exc).__name__}: {exc}") from exc


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # A transparent background turns black under a plain convert; owners expect white.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


@dataclass(frozen=True, slots=True)
class PrepareSpec:
    """What a decode worker needs to turn bytes into model input; picklable, torch-free.

    `resize_to` (width, height) is the model's exact input size when its processor is a plain
    resize + normalise; the result is then an HWC uint8 array. Otherwise the decoded image is
    returned and the checkpoint's processor handles it per batch.
    """

    target_size: tuple[int, int] | None
    resize_to: tuple[int, int] | None = None
    resample: int = int(Image.Resampling.BILINEAR)


def resize_for_model(image: Image.Image, spec: PrepareSpec) -> Any:
    # numpy comes with the 'ai' extra; the fake model and the bot import this module without it.
    import numpy as np

    if spec.resize_to is None:
        return image
    if image.size != spec.resize_to:
        image = image.resize(spec.resize_to, resample=Image.Resampling(spec.resample))
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def decode_and_prepare(data: bytes, spec: PrepareSpec) -> Any:
    """Decode + resize: everything per image that can run away from the forward thread.

    Returns an HWC uint8 numpy array, or the image when `spec.resize_to` is None.
    """
    return resize_for_model(decode_image(data, target_size=spec.target_size), spec)


def decode_into(data: bytes, spec: PrepareSpec, out: Any) -> None:
    """Decode + resize `data` straight into `out`, one HWC uint8 row of a batch buffer.

    The same pixels `decode_and_prepare` returns, without a per-image array to stack later.
    Needs `spec.resize_to` (the model's fixed input size) and `out` of that shape.
    """
    import numpy as np

    if spec.resize_to is None:
        raise ValueError("decode_into needs a fixed model input size (spec.resize_to)")
    image = decode_image(data, target_size=spec.target_size)
    if image.size != spec.resize_to:
        image = image.resize(spec.resize_to, resample=Image.Resampling(spec.resample))
    # One copy from PIL's storage into the row; `np.asarray` would allocate one more.
    out[...] = np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(out.shape)
