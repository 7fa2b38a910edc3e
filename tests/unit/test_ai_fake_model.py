"""FakePhotoModel: deterministic, satisfies the port, raises what the real model raises."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ai.labels import build_label_map
from ai.photo_model import FakePhotoModel, to_findings
from core.photo_errors import UnreadablePhotoError
from core.ports.photo_model import FINDING_CODES, PhotoModel
from core.triage.model import ImageFinding


def jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, "JPEG")
    return buffer.getvalue()


async def test_fixed_findings_are_returned_sorted() -> None:
    photo = jpeg((1, 2, 3))
    model: PhotoModel = FakePhotoModel({photo: [("normal", 0.2), ("wound_open", 0.9)]})

    result = await model.analyze([photo])

    assert result == [[ImageFinding("wound_open", 0.9), ImageFinding("normal", 0.2)]]


async def test_other_photos_get_stable_findings_from_their_bytes() -> None:
    model = FakePhotoModel()
    photos = [jpeg((200, 0, 0)), jpeg((0, 200, 0))]

    first = await model.analyze(photos)
    again = await FakePhotoModel().analyze(photos)

    assert first == again
    assert all(findings[0].label in FINDING_CODES for findings in first)
    assert model.calls == [2]


async def test_undecodable_photo_raises_the_real_error() -> None:
    with pytest.raises(UnreadablePhotoError) as info:
        await FakePhotoModel().analyze([jpeg((1, 1, 1)), b"garbage"])

    assert info.value.index == 1


def test_softmax_scores_of_labels_sharing_a_code_add_up() -> None:
    label_map = build_label_map(
        {0: "cut", 1: "bite", 2: "normal", 3: "cat"}, {"cut": "wound_open", "bite": "wound_open"}
    )

    findings = to_findings([0.3, 0.4, 0.2, 0.1], label_map, multi_label=False)

    assert findings == [ImageFinding("wound_open", 0.7), ImageFinding("normal", 0.2)]


def test_sigmoid_scores_of_labels_sharing_a_code_take_the_maximum() -> None:
    label_map = build_label_map({0: "cut", 1: "bite"}, {"cut": "wound_open", "bite": "wound_open"})

    findings = to_findings([0.6, 0.8], label_map, multi_label=True)

    assert findings == [ImageFinding("wound_open", 0.8)]
