"""What the bot accepts as an upload, decided from the bytes themselves.

A file's name and the MIME type a Telegram client reports are chosen by the sender, so neither
is trusted: the type is sniffed from magic bytes and checked against an `UploadPolicy`.
Images are re-encoded afterwards by a `core.ports.images.ImageSanitizer` (metadata stripped).

Stdlib only: this module is the domain's rule, the decoders live at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import DomainError

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
GIF = "image/gif"
AVIF = "image/avif"
HEIC = "image/heic"
HEIF = "image/heif"
PDF = "application/pdf"

# Types that are pictures: an upload of one of these goes through the ImageSanitizer.
IMAGE_CONTENT_TYPES: frozenset[str] = frozenset({JPEG, PNG, WEBP, GIF, AVIF, HEIC, HEIF})

# File extensions for storage keys, by sniffed type (keys end with what the bytes are).
EXTENSIONS: dict[str, str] = {
    JPEG: "jpg",
    PNG: "png",
    WEBP: "webp",
    GIF: "gif",
    AVIF: "avif",
    HEIC: "heic",
    HEIF: "heif",
    PDF: "pdf",
}

_MIB = 1024 * 1024

# ISO base media file format (HEIF family) brands, see ISO/IEC 23008-12 and the AVIF spec.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
# Generic HEIF brands: the codec is only known from a more specific compatible brand.
_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"mif2"})
# A ftyp box listing more brands than this is not a photo we want to parse further.
_MAX_FTYP_BOX = 4096


class UploadRejectReason(StrEnum):
    """Why an upload was refused. Values are stable: dialogs map them to message ids."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    UNREADABLE_IMAGE = "unreadable_image"
    # The file is small but declares more pixels than we decode (a decompression bomb, or a
    # panorama far beyond what a vet needs); distinct so the message can say "too large".
    IMAGE_TOO_LARGE = "image_too_large"


class UploadRejectedError(DomainError):
    """An upload the bot refuses; `reason` plus the limits are all a message needs."""

    def __init__(
        self,
        reason: UploadRejectReason,
        *,
        max_bytes: int | None = None,
        allowed: frozenset[str] = frozenset(),
        detected: str | None = None,
        max_pixels: int | None = None,
    ) -> None:
        super().__init__(f"upload rejected: {reason.value}")
        self.reason = reason
        self.max_bytes = max_bytes
        self.allowed = allowed
        self.detected = detected
        self.max_pixels = max_pixels

    @property
    def max_mb(self) -> int | None:
        """The size limit in whole megabytes (MiB), as a message shows it."""
        return None if self.max_bytes is None else self.max_bytes // _MIB

    @property
    def message_args(self) -> dict[str, str | int]:
        """Arguments for the localized message (Fluent variables); only those that are known."""
        args: dict[str, str | int] = {"reason": self.reason.value}
        if self.max_mb is not None:
            args["max_mb"] = self.max_mb
        if self.allowed:
            args["allowed"] = ", ".join(sorted(EXTENSIONS.get(t, t).upper() for t in self.allowed))
        if self.max_pixels is not None:
            args["max_megapixels"] = self.max_pixels // 1_000_000
        return args


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    """The size limit and the sniffed types accepted for one kind of upload."""

    max_bytes: int
    allowed: frozenset[str]

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        unknown = self.allowed - EXTENSIONS.keys()
        if unknown:
            raise ValueError(f"types this module cannot sniff: {sorted(unknown)}")


# Only formats the installed Pillow re-encodes are accepted: the sanitizer must be able to strip
# their metadata. HEIC/HEIF is sniffed (so the refusal is "unsupported type", not "unreadable")
# but not accepted: Pillow needs the pillow-heif plugin for it, which the project does not ship.
# iPhone photos sent as a Telegram photo arrive as JPEG anyway; only "send as file" keeps HEIC.
# GIF is accepted; the sanitizer keeps the first frame of an animation.
PHOTO_POLICY = UploadPolicy(
    max_bytes=10 * _MIB,
    allowed=frozenset({JPEG, PNG, WEBP, GIF, AVIF}),
)
# 20 MB is also the Bot API's getFile limit: a bot cannot download a larger file anyway.
DOCUMENT_POLICY = UploadPolicy(
    max_bytes=20 * _MIB,
    allowed=PHOTO_POLICY.allowed | {PDF},
)


def sniff_content_type(data: bytes) -> str | None:
    """The MIME type the magic bytes of `data` announce, or None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    # Strictly at offset 0: readers tolerate junk before the header, but such polyglots are
    # exactly what a type check exists to refuse.
    if data.startswith(b"%PDF-"):
        return PDF
    return _sniff_iso_bmff(data)


def _sniff_iso_bmff(data: bytes) -> str | None:
    # Box layout: 4-byte big-endian size, b"ftyp", major brand, minor version, compatible brands.
    if len(data) < 16 or data[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(data[:4], "big")
    if box_size < 16 or box_size > min(len(data), _MAX_FTYP_BOX) or box_size % 4:
        return None
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, box_size, 4)}
    # The major brand decides; generic HEIF majors defer to the compatible brands.
    for brands in ({major}, compatible):
        if brands & _AVIF_BRANDS:
            return AVIF
        if brands & _HEIC_BRANDS:
            return HEIC
    if (compatible | {major}) & _HEIF_BRANDS:
        return HEIF
    # Other ftyp files (MP4, MOV, 3GP) are videos, not uploads we take.
    return None


def check_upload(data: bytes, policy: UploadPolicy) -> str:
    """The sniffed content type of an acceptable upload.

    Raises `UploadRejectedError` with `EMPTY`, `TOO_LARGE` or `UNSUPPORTED_TYPE`.
    """
    if not data:
        raise UploadRejectedError(UploadRejectReason.EMPTY, allowed=policy.allowed)
    if len(data) > policy.max_bytes:
        raise UploadRejectedError(
            UploadRejectReason.TOO_LARGE, max_bytes=policy.max_bytes, allowed=policy.allowed
        )
    content_type = sniff_content_type(data)
    if content_type is None or content_type not in policy.allowed:
        raise UploadRejectedError(
            UploadRejectReason.UNSUPPORTED_TYPE,
            max_bytes=policy.max_bytes,
            allowed=policy.allowed,
            detected=content_type,
        )
    return content_type
