"""Image ports: re-encode an uploaded picture so no metadata survives; measure its quality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.image_work import ImagePurpose
from core.photo_quality import PhotoStats


@dataclass(frozen=True, slots=True)
class SanitizedImage:
    """A re-encoded image: pixels only, upright, no EXIF/XMP/ICC or other metadata."""

    data: bytes
    content_type: str
    width: int
    height: int


class ImageSanitizer(Protocol):
    """Decodes an image and encodes its pixels again, dropping every metadata block.

    Owners' phone photos carry GPS coordinates, device serials and capture times in EXIF and
    XMP; re-encoding (rather than editing tags) is the only way to be sure none is kept.
    """

    def sanitize(self, data: bytes, purpose: ImagePurpose = ImagePurpose.PHOTO) -> SanitizedImage:
        """The sanitized image, with the EXIF orientation applied to the pixels.

        CPU-bound and synchronous: async callers run it on the process's
        `core.image_work.ImageWork`, which bounds how many decode at once.
        Raises `core.uploads.UploadRejectedError` with `UNREADABLE_IMAGE` when the data does
        not decode, or `IMAGE_TOO_LARGE` when it declares more pixels than `purpose` allows
        (`core.image_work.PixelLimits`), checked before any pixel is decoded.
        """
        ...


class PhotoQualityInspector(Protocol):
    """Measures a picture's size, exposure and sharpness, as `PhotoStats` defines them.

    It only measures: `core.photo_quality.assess` decides. Cheap by design (the picture is
    decoded at a reduced size), so it can run on every photo while the owner waits.
    """

    def measure(self, data: bytes) -> PhotoStats:
        """The statistics of `data`, a picture the `ImageSanitizer` produced.

        CPU-bound and synchronous: async callers run it on `core.image_work.ImageWork`.
        Raises `core.uploads.UploadRejectedError` with `UNREADABLE_IMAGE` when the data does
        not decode, or `IMAGE_TOO_LARGE` when it declares more pixels than it takes.
        """
        ...
