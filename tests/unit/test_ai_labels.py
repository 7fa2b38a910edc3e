"""Model labels → finding codes: identity for codes, overrides from the checkpoint, no crashes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ai.labels import (
    LABELS_FILE,
    LabelMappingError,
    build_label_map,
    load_label_map,
    write_label_overrides,
)
from core.ports.photo_model import FINDING_CODES


def test_labels_that_are_finding_codes_map_to_themselves() -> None:
    label_map = build_label_map(dict(enumerate(FINDING_CODES)))

    assert label_map.codes == FINDING_CODES
    assert label_map.dropped_labels == ()


def test_label_spelling_is_normalised() -> None:
    label_map = build_label_map({0: "Wound Open", 1: "eye-abnormal", 2: " NORMAL "})

    assert label_map.codes == ("wound_open", "eye_abnormal", "normal")


def test_unknown_labels_are_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ai.labels"):
        label_map = build_label_map({0: "normal", 1: "tabby cat"})

    assert label_map.codes == ("normal", None)
    assert label_map.dropped_labels == ("tabby cat",)
    assert "tabby cat" in caplog.text


def test_overrides_win_and_null_silences_a_label(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ai.labels"):
        label_map = build_label_map(
            {0: "laceration", 1: "normal", 2: "background"},
            {"laceration": "wound_open", "normal": "unusable_photo", "background": None},
        )

    assert label_map.codes == ("wound_open", "unusable_photo", None)
    assert caplog.text == ""


def test_id2label_from_json_has_string_keys() -> None:
    label_map = build_label_map({"1": "swelling", "0": "normal"})

    assert label_map.labels == ("normal", "swelling")


def test_override_to_an_unknown_finding_code_is_refused() -> None:
    with pytest.raises(LabelMappingError, match="broken_leg"):
        build_label_map({0: "fracture"}, {"fracture": "broken_leg"})


def test_labels_file_in_checkpoint_is_read(tmp_path: Path) -> None:
    (tmp_path / LABELS_FILE).write_text(json.dumps({"red_eye": "eye_abnormal"}))

    label_map = load_label_map(tmp_path, {0: "red_eye", 1: "normal"})

    assert label_map.codes == ("eye_abnormal", "normal")


@pytest.mark.parametrize("content", ["{not json", '["a"]', '{"a": 1}'])
def test_malformed_labels_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    (tmp_path / LABELS_FILE).write_text(content)

    with pytest.raises(LabelMappingError, match=LABELS_FILE):
        load_label_map(tmp_path, {0: "normal"})


def test_written_overrides_round_trip(tmp_path: Path) -> None:
    mapping = write_label_overrides(tmp_path, ["normal", "Skin Lesion", "other"])

    assert mapping == {"normal": "normal", "Skin Lesion": "skin_lesion", "other": None}
    assert load_label_map(tmp_path, dict(enumerate(mapping))).codes == (
        "normal",
        "skin_lesion",
        None,
    )
