"""The photo quality rule: which measured statistics make a check photo unusable, and why."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from core.photo_errors import PhotoError, UnusablePhotoError
from core.photo_quality import (
    BRIGHT_SHADOWS,
    DARK_HIGHLIGHTS,
    MIN_SHARPNESS,
    MIN_SIDE_PX,
    PhotoProblem,
    PhotoStats,
    assess,
)

# Roughly what a sharp, well-lit 640x480 phone-like photo measures.
GOOD = PhotoStats(
    width=640, height=480, mean_luminance=130.0, shadows=80.0, highlights=190.0, sharpness=27.0
)


def _with(**changes: float) -> PhotoStats:
    return dataclasses.replace(GOOD, **changes)  # type: ignore[arg-type]


def test_a_sharp_well_lit_photo_has_no_problem() -> None:
    assert assess(GOOD) == ()


def test_a_thumbnail_is_too_small() -> None:
    assert assess(_with(width=100, height=80)) == (PhotoProblem.TOO_SMALL,)


def test_the_shorter_side_decides_too_small() -> None:
    assert assess(_with(width=4000, height=MIN_SIDE_PX - 1)) == (PhotoProblem.TOO_SMALL,)
    assert assess(_with(width=MIN_SIDE_PX, height=4000)) == ()


def test_a_photo_with_no_highlights_is_too_dark() -> None:
    dark = _with(mean_luminance=8.0, shadows=4.0, highlights=DARK_HIGHLIGHTS - 1, sharpness=1.0)
    assert assess(dark) == (PhotoProblem.TOO_DARK,)


def test_a_dim_photo_that_keeps_some_highlights_is_accepted() -> None:
    dim = _with(mean_luminance=39.0, shadows=24.0, highlights=DARK_HIGHLIGHTS + 7, sharpness=7.0)
    assert assess(dim) == ()


def test_a_night_shot_with_a_lamp_in_it_is_not_too_dark() -> None:
    # Mostly black, but what the lamp lights is visible: not ours to refuse.
    assert assess(_with(mean_luminance=20.0, shadows=0.0, highlights=255.0)) == ()


def test_a_photo_with_no_shadows_is_too_bright() -> None:
    washed_out = _with(mean_luminance=250.0, shadows=BRIGHT_SHADOWS + 1, highlights=255.0)
    assert assess(washed_out) == (PhotoProblem.TOO_BRIGHT,)


def test_a_bright_photo_that_keeps_some_shadows_is_accepted() -> None:
    assert assess(_with(mean_luminance=244.0, shadows=187.0, highlights=255.0)) == ()


def test_a_photo_without_fine_detail_is_blurred() -> None:
    assert assess(_with(sharpness=MIN_SHARPNESS - 0.1)) == (PhotoProblem.BLURRED,)
    assert assess(_with(sharpness=MIN_SHARPNESS)) == ()


@pytest.mark.parametrize(
    ("exposure", "problem"),
    [
        ({"shadows": 0.0, "highlights": 0.0}, PhotoProblem.TOO_DARK),
        ({"shadows": 255.0, "highlights": 255.0}, PhotoProblem.TOO_BRIGHT),
    ],
    ids=["black", "white"],
)
def test_a_black_or_white_frame_is_not_also_called_blurred(
    exposure: dict[str, float], problem: PhotoProblem
) -> None:
    # No light, no Laplacian: "hold the phone still" would be the wrong advice.
    assert assess(_with(sharpness=0.0, **exposure)) == (problem,)


def test_every_problem_is_reported_the_most_basic_first() -> None:
    tiny_flat = _with(width=100, height=80, sharpness=0.0)
    assert assess(tiny_flat) == (PhotoProblem.TOO_SMALL, PhotoProblem.BLURRED)
    tiny_black = _with(width=100, height=80, shadows=0.0, highlights=0.0, sharpness=0.0)
    assert assess(tiny_black) == (PhotoProblem.TOO_SMALL, PhotoProblem.TOO_DARK)


def test_stats_give_the_shorter_side_and_the_spread() -> None:
    assert GOOD.min_side == 480
    assert GOOD.spread == 110.0


def test_unusable_photo_error_tells_the_first_problem() -> None:
    error = UnusablePhotoError([PhotoProblem.TOO_SMALL, PhotoProblem.BLURRED])
    assert isinstance(error, PhotoError)
    assert error.problem is PhotoProblem.TOO_SMALL
    assert error.problems == (PhotoProblem.TOO_SMALL, PhotoProblem.BLURRED)
    assert str(error) == "unusable photo: too_small, blurred"


def test_unusable_photo_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        UnusablePhotoError([])


def test_unusable_photo_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(UnusablePhotoError((PhotoProblem.TOO_DARK,))))
    assert isinstance(error, UnusablePhotoError)
    assert error.problems == (PhotoProblem.TOO_DARK,)
