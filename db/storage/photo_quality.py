"""PhotoQualityInspector on Pillow: luma statistics and a Laplacian, on a reduced decode.

Cheap on purpose: a JPEG is decoded straight to luma at 1/2, 1/4 or 1/8 scale (`Image.draft`),
then scaled to `MEASURE_SIDE_PX`; a 12 MP photo costs a few milliseconds and a few hundred KB.
"""

from __future__ import annotations

import io

from PIL import Image, ImageFilter, ImageStat

from core.photo_quality import MEASURE_SIDE_PX, PhotoStats
from core.uploads import UploadRejectedError, UploadRejectReason

DEFAULT_MAX_PIXELS = 50_000_000  # as the sanitizer: its output always fits
# The sanitizer's output (JPEG) and the lossless format a test or a tool may hand over. Nothing
# else should reach this decoder: untrusted bytes are the sanitizer's to open.
_FORMATS = ["JPEG", "PNG"]
_SHADOWS_PERCENTILE = 0.02
_HIGHLIGHTS_PERCENTILE = 0.98
# The 4-neighbour Laplacian. Offset 128 keeps its negative half inside 0-255 (only the steepest
# edges, beyond ±127, are clipped, which does not matter for a lower bound on sharpness).
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)


class PillowPhotoQualityInspector:
    """Measures `PhotoStats` with Pillow; see the module docstring for the cost."""

    def __init__(self, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self._max_pixels = max_pixels

    def measure(self, data: bytes) -> PhotoStats:
        try:
            with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
                width, height = image.size
                if width * height > self._max_pixels:
                    raise UploadRejectedError(
                        UploadRejectReason.IMAGE_TOO_LARGE, max_pixels=self._max_pixels
                    )
                luma = _reduced_luma(image)
        except UploadRejectedError:
            raise
        except Image.DecompressionBombError:
            raise UploadRejectedError(
                UploadRejectReason.IMAGE_TOO_LARGE, max_pixels=self._max_pixels
            ) from None
        except Exception as error:
            # As in the sanitizer: Pillow raises many types on malformed input.
            raise UploadRejectedError(UploadRejectReason.UNREADABLE_IMAGE) from error
        histogram = luma.histogram()
        return PhotoStats(
            width=width,
            height=height,
            mean_luminance=ImageStat.Stat(luma).mean[0],
            shadows=_percentile(histogram, _SHADOWS_PERCENTILE),
            highlights=_percentile(histogram, _HIGHLIGHTS_PERCENTILE),
            sharpness=_sharpness(luma),
        )


def _reduced_luma(image: Image.Image) -> Image.Image:
    side = (MEASURE_SIDE_PX, MEASURE_SIDE_PX)
    if image.format == "JPEG":
        # Decode only the luma plane, at the smallest DCT scale that still covers `side`.
        image.draft("L", side)
    luma = image.convert("L")
    # LANCZOS, as the sanitizer: an antialiased downscale, so the Laplacian sees the picture's
    # edges and not aliasing. A picture smaller than `side` is measured as it is, not enlarged.
    luma.thumbnail(side, Image.Resampling.LANCZOS)
    return luma


def _percentile(histogram: list[int], fraction: float) -> float:
    """The lowest luma with at least `fraction` of the pixels at or below it."""
    wanted = fraction * sum(histogram)
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return float(level)
    return 255.0  # pragma: no cover - the loop always reaches the total


def _sharpness(luma: Image.Image) -> float:
    if luma.width < 3 or luma.height < 3:
        return 0.0
    edges = luma.filter(_LAPLACIAN)
    # Pillow copies the outermost pixels unfiltered: they are luma, not Laplacian values.
    inner = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    return float(ImageStat.Stat(inner).stddev[0])
