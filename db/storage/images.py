"""ImageSanitizer on Pillow: decode, apply orientation, re-encode pixels only as JPEG.

Output is always JPEG (RGB, quality 88). A PNG/WebP/GIF with transparency is flattened onto
white: the pictures are clinical photos and scans, where transparency carries no meaning, and
one output type keeps every consumer (Telegram, the Mini App, the photo model) simple. Text in
screenshots stays legible at this quality.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps, features

from core.image_work import ImagePurpose, PixelLimits
from core.ports.images import SanitizedImage
from core.uploads import AVIF, GIF, JPEG, PNG, WEBP, UploadRejectedError, UploadRejectReason

DEFAULT_MAX_SIDE = 4096  # plenty for a vet; Telegram's own "photo" tops out at 2560
DEFAULT_QUALITY = 88
# A JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that keeps its long side at least
# this: Telegram's own photo size, so a reduced decode never shows less than a chat photo does.
# A 48 MP photo (8000×6000) then decodes as 4000×3000: a quarter of the memory.
DRAFT_MIN_SIDE = 2560
# Formats whose decoder can skip detail (JPEG's DCT scaling); the others decode whole. "MPO" is
# the multi-picture JPEG phones write, opened by the JPEG plugin.
_REDUCIBLE_FORMATS = frozenset({"JPEG", "MPO"})
# Modes that resize directly, so a big picture is shrunk before any converted copy is made.
_RESIZABLE_MODES = frozenset({"RGB", "RGBA", "L", "LA", "CMYK"})
_WHITE = (255, 255, 255)

# Pillow format name -> content type. Image.open gets only these: Pillow can parse dozens of
# formats (EPS even runs Ghostscript), and nothing else should ever see untrusted bytes.
_FORMATS: dict[str, str] = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF, "AVIF": AVIF}
# Formats that need an optional codec library compiled into Pillow.
_CODEC_MODULES: dict[str, str] = {"WEBP": "webp", "AVIF": "avif"}
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})


def _available(pillow_format: str) -> bool:
    module = _CODEC_MODULES.get(pillow_format)
    if module is None:
        return True
    try:
        return bool(features.check_module(module))
    except ValueError:  # a Pillow too old to know the module at all
        return False


class PillowImageSanitizer:
    """Re-encodes images with Pillow; see the module docstring for the output.

    Memory is bounded per picture: the declared size is checked against `PixelLimits` before
    any pixel is decoded, JPEGs decode at a reduced scale, and a picture is shrunk before it is
    rotated or converted. Concurrency is the caller's (`core.image_work.ImageWork`).
    """

    def __init__(
        self,
        *,
        limits: PixelLimits | None = None,
        max_side: int = DEFAULT_MAX_SIDE,
        quality: int = DEFAULT_QUALITY,
    ) -> None:
        self._limits = limits or PixelLimits()
        self._max_side = max_side
        self._quality = quality
        self._formats = [name for name in _FORMATS if _available(name)]

    @property
    def readable_types(self) -> frozenset[str]:
        """Content types this sanitizer decodes with the installed Pillow."""
        return frozenset(_FORMATS[name] for name in self._formats)

    def sanitize(self, data: bytes, purpose: ImagePurpose = ImagePurpose.PHOTO) -> SanitizedImage:
        try:
            with Image.open(io.BytesIO(data), formats=self._formats) as image:
                return self._sanitize(image, purpose)
        except UploadRejectedError:
            raise
        except Image.DecompressionBombError:
            # Pillow's own guard (2 x MAX_IMAGE_PIXELS) fired before ours could.
            raise self._too_large(self._limits.cap(purpose, reducible=False)) from None
        except Exception as error:
            # Pillow's plugins raise many types on malformed input (OSError, SyntaxError,
            # ValueError, struct.error, EOFError...); to the user they all mean "unreadable".
            raise UploadRejectedError(UploadRejectReason.UNREADABLE_IMAGE) from error

    def _sanitize(self, image: Image.Image, purpose: ImagePurpose) -> SanitizedImage:
        width, height = image.size
        reducible = image.format in _REDUCIBLE_FORMATS
        cap = self._limits.cap(purpose, reducible=reducible)
        # Checked on the declared size, before any pixel is decoded: a few KB of PNG can
        # declare gigapixels.
        if width * height > cap:
            raise self._too_large(cap)
        if reducible:
            scale = draft_scale(width, height)
            if scale > 1:
                # Pillow picks the largest DCT scale that keeps both sides >= the request.
                image.draft(None, (width // scale, height // scale))
        # Frame 0 of an animation (GIF, WebP) is what open() selected; load decodes only it.
        image.load()
        icc_profile = image.info.get("icc_profile")
        if image.mode in _RESIZABLE_MODES:
            # Shrink first (in place, the full-size buffer is freed): rotating and converting
            # then copy the small picture, not the decoded one.
            image.thumbnail((self._max_side, self._max_side), Image.Resampling.LANCZOS)
        image = self._upright(image)
        image = self._to_rgb_or_rgba(image, icc_profile)
        image.thumbnail((self._max_side, self._max_side), Image.Resampling.LANCZOS)
        # A fresh canvas holds pixels only: no info dict, EXIF, XMP or ICC can ride along.
        canvas = Image.new("RGB", image.size, _WHITE)
        canvas.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
        buffer = io.BytesIO()
        # No optimize=True: libjpeg's optimizing pass holds the GIL for the whole encode (~0.4 s
        # for 12 MP here), stalling the event loop; plain Huffman tables cost ~5% in size.
        canvas.save(buffer, "JPEG", quality=self._quality)
        return SanitizedImage(
            data=buffer.getvalue(), content_type=JPEG, width=canvas.width, height=canvas.height
        )

    @staticmethod
    def _upright(image: Image.Image) -> Image.Image:
        try:
            # In place: without it Pillow returns a full copy even of an upright picture.
            ImageOps.exif_transpose(image, in_place=True)
        except Exception:
            # A corrupt EXIF block must not cost the owner a good photo; keep it as stored.
            return image
        return image

    @staticmethod
    def _to_rgb_or_rgba(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
        if image.mode in _SIXTEEN_BIT_MODES:
            # convert("L") would clip every value above 255 to white; scale 16 bits to 8.
            image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
            "transparency" in image.info
        )
        target = "RGBA" if has_alpha else "RGB"
        if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
            converted = _to_srgb(image, icc_profile, target)
            if converted is not None:
                return converted
        # convert() to the same mode is a full copy: skip it.
        return image if image.mode == target else image.convert(target)

    @staticmethod
    def _too_large(cap: int) -> UploadRejectedError:
        return UploadRejectedError(UploadRejectReason.IMAGE_TOO_LARGE, max_pixels=cap)


def draft_scale(width: int, height: int, min_side: int = DRAFT_MIN_SIDE) -> int:
    """The largest JPEG decode scale divisor (8, 4, 2 or 1) keeping the long side >= min_side."""
    long_side = max(width, height)
    for scale in (8, 4, 2):
        if long_side // scale >= min_side and min(width, height) // scale >= 1:
            return scale
    return 1


def _to_srgb(image: Image.Image, icc_profile: bytes, target: str) -> Image.Image | None:
    """The image in sRGB per its embedded profile, or None when the profile is unusable.

    The profile itself is dropped with the rest of the metadata, so colours of wide-gamut
    (Display P3) and CMYK photos are converted now rather than shown wrong later.
    """
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if converted is None:  # only with inPlace=True, which is not used
        return None
    return converted if converted.mode == target else converted.convert(target)
