"""JPEG photos decoded on the model's device (nvJPEG through TorchCodec) and resized there.

On a GPU host the batch path's ceiling is the host's JPEG decode: ~6.6 ms per 1280-px photo per
core, so 16 vCPUs feed at most ~2,400–3,000 images/s against ViT-S's ~12,800 of raw forward
(benchmarks/README.md). Here the host only reads each photo's header (no pixels) and the device
decodes the whole batch in one call, then resizes it: the photos of one size (Telegram's photos
mostly share one) in one interpolation.

What stays on the host, per photo, is the header: the same byte and pixel limits as the host
path (ai/decode.py), the format and the EXIF orientation (applied on the device, as
`ImageOps.exif_transpose` does on the host). A photo that is not a JPEG the device decodes (PNG,
WebP, GIF from documents; CMYK JPEGs) is decoded on the host as before and uploaded into its
row; so is one the device refuses, which then fails, if it is damaged, with the host decoder's
own reason — only its own request.

The decoder comes from the `gpu` extra (TorchCodec, built for the CUDA torch in use; torchvision's
deprecated decoder serves where only it is installed); without one, photos decode on the host
(ai/batch_decode.py). `AI__DECODE` picks: `auto` (the device when the model runs on CUDA and a
decoder is there), `host`, or `device` (which fails at start-up without a decoder).
"""

from __future__ import annotations

import logging
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import torch
from PIL import Image

from ai.decode import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PIXELS,
    PrepareSpec,
    decode_into,
    open_image,
)
from core.photo_errors import UnreadablePhotoError

log = logging.getLogger(__name__)

DecodeMode = Literal["auto", "host", "device"]


class JpegDecoder(Protocol):
    """(photos as 1-D uint8 tensors of their bytes, device) → one (3, H, W) uint8 RGB tensor per
    photo on that device; raises if any photo cannot be decoded."""

    # TorchCodec turns photos upright by their EXIF orientation itself (CPU and CUDA alike);
    # torchvision does not. Whichever does not, `DeviceBatchDecoder` does it after.
    applies_exif_orientation: bool

    def __call__(self, photos: list[torch.Tensor], device: torch.device) -> list[torch.Tensor]: ...


# EXIF orientation → the same transform `ImageOps.exif_transpose` applies, on a (3, H, W)
# tensor: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
# 8 rotate 90° counter-clockwise (torch.rot90 with k > 0 turns counter-clockwise on (H, W)).
_ORIENT: dict[int, Callable[[torch.Tensor], torch.Tensor]] = {
    2: lambda x: x.flip(2),
    3: lambda x: x.flip(1, 2),
    4: lambda x: x.flip(1),
    5: lambda x: x.transpose(1, 2),
    6: lambda x: torch.rot90(x, -1, dims=(1, 2)),
    7: lambda x: x.transpose(1, 2).flip(1, 2),
    8: lambda x: torch.rot90(x, 1, dims=(1, 2)),
}
# What the device decodes: baseline and progressive JPEGs in colour or grey (mode RGB asks for
# three channels either way). Anything else takes the host path.
_DEVICE_FORMATS = frozenset({"JPEG", "MPO"})
_DEVICE_MODES = frozenset({"RGB", "L"})
_EXIF_ORIENTATION = 0x0112
_RESIZE_CHUNK = 32


class DeviceDecodeUnavailableError(RuntimeError):
    """`AI__DECODE=device` was asked for where torchvision cannot decode JPEGs."""


class _TorchCodec:
    applies_exif_orientation = True

    def __init__(self) -> None:
        from torchcodec.decoders import decode_jpeg

        self._decode_jpeg = decode_jpeg

    def __call__(self, photos: list[torch.Tensor], device: torch.device) -> list[torch.Tensor]:
        return list(self._decode_jpeg(photos, mode="RGB", device=device))


class _TorchVision:
    applies_exif_orientation = False

    def __init__(self) -> None:
        from torchvision.io import ImageReadMode, decode_jpeg

        self._decode_jpeg = decode_jpeg
        self._rgb = ImageReadMode.RGB

    def __call__(self, photos: list[torch.Tensor], device: torch.device) -> list[torch.Tensor]:
        with warnings.catch_warnings():
            # Deprecated in favour of TorchCodec since 0.29; still the decoder where it is alone.
            warnings.simplefilter("ignore", DeprecationWarning)
            decoded = self._decode_jpeg(photos, mode=self._rgb, device=device)
        return list(decoded) if isinstance(decoded, list | tuple) else [decoded]


# Batched `decode_jpeg` (nvJPEG on CUDA), in order of preference: TorchCodec (0.16+) is where
# PyTorch's image decoding lives now; torchvision's (deprecated since 0.29) is the fallback.
JPEG_DECODERS: dict[str, Callable[[], JpegDecoder]] = {
    "torchcodec": _TorchCodec,
    "torchvision": _TorchVision,
}


def available_jpeg_decoder(names: Sequence[str] = tuple(JPEG_DECODERS)) -> JpegDecoder | None:
    """The first of `names` that loads, or None.

    A package built for another torch fails at load with OSError ('Could not load this
    library') or RuntimeError ('operator torchvision::nms does not exist'), not ImportError:
    any of these means that decoder is not there.
    """
    for name in names:
        try:
            decoder = JPEG_DECODERS[name]()
        except (ImportError, RuntimeError, OSError) as error:
            log.debug("%s cannot decode JPEGs here: %s", name, error)
            continue
        log.debug("JPEGs can be decoded on the device by %s", name)
        return decoder
    return None


def use_device_decode(
    mode: DecodeMode, *, on_cuda: bool, available: bool, bilinear: bool = True
) -> bool:
    """Whether photos decode on the model's device. `device` where it cannot fails loudly.

    `bilinear`: the checkpoint's processor resizes bilinearly, the one filter the device path
    reproduces; another (bicubic, say) keeps photos on the host.
    """
    if mode == "host":
        return False
    if mode == "device":
        if not available:
            raise DeviceDecodeUnavailableError(
                "AI__DECODE=device needs TorchCodec (or torchvision) built for the installed "
                "torch (the `gpu` extra); use auto or host"
            )
        if not bilinear:
            raise DeviceDecodeUnavailableError(
                "AI__DECODE=device resizes bilinearly, and this checkpoint's processor asks for "
                "another filter; use auto or host"
            )
        return True
    return on_cuda and available and bilinear


def resizes_bilinearly(spec: PrepareSpec) -> bool:
    return Image.Resampling(spec.resample) == Image.Resampling.BILINEAR


@dataclass(frozen=True, slots=True)
class _Header:
    device_decodes: bool
    orientation: int


def read_header(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> _Header:
    """The header only, with the host path's limits: raises `UnreadablePhotoError` as it does."""
    image = open_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    device_decodes = image.format in _DEVICE_FORMATS and image.mode in _DEVICE_MODES
    if not device_decodes:
        return _Header(device_decodes=False, orientation=1)
    try:
        orientation = int(image.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # EXIF PIL cannot read: the host decoder will say whether that matters
        return _Header(device_decodes=False, orientation=1)
    return _Header(True, orientation if orientation in _ORIENT else 1)


class DeviceBatchDecoder:
    """Decodes a batch of photos into the first rows of an (N, H, W, 3) uint8 device buffer.

    The rows are what the host path writes for the same photos up to the resampling (the host
    decodes JPEGs at a reduced DCT scale first, the device at full size; both then resize with
    an antialiased bilinear filter), so `Preprocessor.pixel_values_from_batch` takes them as is.
    """

    def __init__(self, spec: PrepareSpec, device: torch.device, decode_jpeg: JpegDecoder) -> None:
        if spec.resize_to is None:
            raise ValueError("batch decoding needs a fixed model input size")
        if not resizes_bilinearly(spec):
            raise ValueError("device decoding resizes bilinearly: the checkpoint asks otherwise")
        self.spec = spec
        self.device = device
        self._decode_jpeg = decode_jpeg
        width, height = spec.resize_to
        self._size = (height, width)

    def decode(
        self, photos: Sequence[bytes], out: torch.Tensor
    ) -> list[UnreadablePhotoError | None]:
        """Row i of `out` gets photo i; returns, per photo, its error or None.

        A bad photo fails only itself: its row is left as it was and the others decode.
        """
        if len(photos) > len(out):
            raise ValueError(f"{len(photos)} photos for a buffer of {len(out)} rows")
        errors: list[UnreadablePhotoError | None] = [None] * len(photos)
        on_device: list[int] = []
        orientations: list[int] = []
        on_host: list[int] = []
        for index, data in enumerate(photos):
            try:
                header = read_header(data)
            except UnreadablePhotoError as error:
                errors[index] = error
                continue
            if header.device_decodes:
                on_device.append(index)
                orientations.append(header.orientation)
            else:
                on_host.append(index)
        decoded, refused = self._decode_on_device([photos[i] for i in on_device])
        upright: dict[int, torch.Tensor] = {}
        turn = not self._decode_jpeg.applies_exif_orientation
        for position, image in decoded.items():
            orient = _ORIENT.get(orientations[position]) if turn else None
            upright[on_device[position]] = image if orient is None else orient(image)
        self._resize_into(upright, out)
        for index in sorted(on_host + [on_device[position] for position in refused]):
            errors[index] = self._decode_on_host(photos[index], out[index])
        return errors

    def _decode_on_device(self, photos: list[bytes]) -> tuple[dict[int, torch.Tensor], list[int]]:
        """Position → decoded image; positions the device refused go back to the host."""
        if not photos:
            return {}, []
        tensors = [torch.frombuffer(bytearray(data), dtype=torch.uint8) for data in photos]
        try:
            return dict(enumerate(self._decode_jpeg(tensors, self.device))), []
        except Exception:  # which photo? one at a time tells
            log.debug("batched device decode failed; decoding %d photos one by one", len(photos))
        decoded: dict[int, torch.Tensor] = {}
        refused: list[int] = []
        for position, tensor in enumerate(tensors):
            try:
                decoded[position] = self._decode_jpeg([tensor], self.device)[0]
            except Exception:  # the host decoder names what is wrong
                refused.append(position)
        return decoded, refused

    def _resize_into(self, images: dict[int, torch.Tensor], out: torch.Tensor) -> None:
        """Resize to the model's input, one interpolation per size, into `out`'s rows.

        At most `_RESIZE_CHUNK` photos per interpolation: a full-size photo is ~15 MB as float,
        so a batch of 256 in one call would hold ~4 GB of device memory for a moment.
        """
        by_size: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        for index, image in images.items():
            by_size[(image.shape[1], image.shape[2])].append(index)
        for size, same_size in by_size.items():
            for start in range(0, len(same_size), _RESIZE_CHUNK):
                indices = same_size[start : start + _RESIZE_CHUNK]
                batch = torch.stack([images[index] for index in indices])
                if size != self._size:
                    resized = torch.nn.functional.interpolate(
                        batch.float(),
                        size=self._size,
                        mode="bilinear",
                        antialias=True,
                        align_corners=False,
                    )
                    batch = resized.round_().clamp_(0, 255).to(torch.uint8)
                rows = torch.tensor(indices, device=out.device)
                out.index_copy_(0, rows, batch.permute(0, 2, 3, 1))

    def _decode_on_host(self, data: bytes, row: torch.Tensor) -> UnreadablePhotoError | None:
        # A row of its own per photo: two batches may be decoding at once (rare path, no pool).
        host_row = np.empty(tuple(row.shape), dtype=np.uint8)
        try:
            decode_into(data, self.spec, host_row)
        except UnreadablePhotoError as error:
            return error
        row.copy_(torch.from_numpy(host_row))
        return None
