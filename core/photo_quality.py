"""Whether an owner's check photo shows enough to judge by: a rule over measured statistics.

No model: an edge (`core.ports.images.PhotoQualityInspector`) measures a few numbers, this
module decides. A refused photo costs the owner another shot, and a refused good photo annoys
them for nothing, so every threshold below is set to refuse only pictures with next to nothing
in them (a covered lens, a blown-out flash, a thumbnail, a shot taken while moving); a
borderline photo is accepted and left to the vet and the model.

Calibration (tests/unit/test_photo_quality_inspector.py, synthetic photo-like JPEGs): see the
comment at each threshold for the values measured there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Statistics are measured on the picture scaled down so that its longer side is at most this
# many pixels: detail is then judged relative to the whole frame, as a person looking at the
# photo on a phone judges it, and the sharpness of a 12 MP and of a 1 MP shot compare.
MEASURE_SIDE_PX = 512

# A shorter side below this has too little for a vet to see, and is below the photo model's
# 224 px input (upscaling adds nothing). Phone photos are well over 1000 px and even Telegram's
# medium preview is 320 px, so 200 refuses only icons, stickers and cropped thumbnails.
MIN_SIDE_PX = 200

# Too dark: even the brightest 2 % of the picture is below this luma (0-255), i.e. nothing in
# it reaches a dark grey. A dim but usable photo keeps some highlights: measured, a photo-like
# picture at 30 % brightness has them at 57 (accepted), at 20 % at 38, at 10 % at 19, near-black
# at 12 and black at 0 (all refused). Phones expose dark subjects (a black cat) up, so they pass.
DARK_HIGHLIGHTS = 50

# Too bright (washed out): even the darkest 2 % of the picture is above this luma. Mirrors the
# dark rule: tripled brightness (the shadows at 187) is accepted, five times (239) and a white
# frame (255) are refused. A white dog on snow still has a dark nose, eyes or shadow.
BRIGHT_SHADOWS = 205

# Blurred: the spread (standard deviation) of the luma Laplacian, in grey levels, at
# MEASURE_SIDE_PX. Sharp photo-like pictures measured 9 (a 4000x3000 original, its grain
# averaged away by the downscale) to 43 (320x240), a low-contrast one 4.5; after a Gaussian blur
# of radius 6 at 640 px about 1.3 (radius 3: 1.7), a flat single-colour frame 0. A moderate blur
# (radius 2 at 640 px: 2.5) passes on purpose: the vet may still see enough, and real photos
# add sensor noise that reads as detail, so a lower bound errs towards accepting.
MIN_SHARPNESS = 2.0


class PhotoProblem(StrEnum):
    """Why a photo is of no use; values are stable, the edges map them to message ids."""

    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRED = "blurred"


@dataclass(frozen=True, slots=True)
class PhotoStats:
    """What an inspector measured on one picture.

    `width`/`height` are the picture's own pixels. The luma values (ITU-R 601, 0-255) and
    `sharpness` are measured at `MEASURE_SIDE_PX`: `shadows` and `highlights` are the 2nd and
    98th percentiles of the luma (2 % so a few stray pixels, a glint or a dead pixel, do not
    count), `sharpness` the standard deviation of the 4-neighbour Laplacian of the luma.
    """

    width: int
    height: int
    mean_luminance: float
    shadows: float
    highlights: float
    sharpness: float

    @property
    def min_side(self) -> int:
        return min(self.width, self.height)

    @property
    def spread(self) -> float:
        """The contrast: how far apart the darkest and the brightest parts are, in luma."""
        return self.highlights - self.shadows


def assess(stats: PhotoStats) -> tuple[PhotoProblem, ...]:
    """Every problem of the photo, the one to tell the owner first; empty when it is usable."""
    problems: list[PhotoProblem] = []
    if stats.min_side < MIN_SIDE_PX:
        problems.append(PhotoProblem.TOO_SMALL)
    exposure_ok = True
    if stats.highlights < DARK_HIGHLIGHTS:
        problems.append(PhotoProblem.TOO_DARK)
        exposure_ok = False
    elif stats.shadows > BRIGHT_SHADOWS:
        problems.append(PhotoProblem.TOO_BRIGHT)
        exposure_ok = False
    # In a black or white frame the Laplacian is small because there is no light to vary, not
    # because of focus: "blurred" would send the owner after the wrong fix.
    if exposure_ok and stats.sharpness < MIN_SHARPNESS:
        problems.append(PhotoProblem.BLURRED)
    return tuple(problems)
