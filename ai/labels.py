"""A checkpoint's own labels → the finding codes the triage rules read.

Precedence: `telemed_labels.json` in the checkpoint directory (a JSON object, model label →
finding code, or null to ignore a label on purpose), then labels that already are finding codes
(compared after normalising case, spaces and hyphens). Anything else is dropped with a warning:
a checkpoint with an extra class must not take the worker down.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.ports.photo_model import FINDING_CODES

LABELS_FILE = "telemed_labels.json"

log = logging.getLogger(__name__)


class LabelMappingError(ValueError):
    """`telemed_labels.json` is unreadable or names a finding code that does not exist."""


def normalize_label(label: str) -> str:
    return "_".join(label.strip().lower().replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class LabelMap:
    """Finding code per output index of the model; None = that output is ignored."""

    codes: tuple[str | None, ...]
    labels: tuple[str, ...]

    @property
    def mapped_codes(self) -> frozenset[str]:
        return frozenset(code for code in self.codes if code is not None)

    @property
    def dropped_labels(self) -> tuple[str, ...]:
        return tuple(
            label for label, code in zip(self.labels, self.codes, strict=True) if code is None
        )


def build_label_map(
    id2label: Mapping[int, str] | Mapping[str, str],
    overrides: Mapping[str, str | None] | None = None,
) -> LabelMap:
    """Map each output index to a finding code. `id2label` keys may be ints or digit strings."""
    by_index = {int(index): str(label) for index, label in id2label.items()}
    if sorted(by_index) != list(range(len(by_index))):
        raise LabelMappingError(f"id2label indices are not 0..n-1: {sorted(by_index)}")
    overrides = dict(overrides or {})
    for label, code in overrides.items():
        if code is not None and code not in FINDING_CODES:
            raise LabelMappingError(
                f"{LABELS_FILE}: label {label!r} maps to unknown finding code {code!r}; "
                f"known: {', '.join(FINDING_CODES)}"
            )
    labels = tuple(by_index[i] for i in range(len(by_index)))
    codes: list[str | None] = []
    for label in labels:
        if label in overrides:
            codes.append(overrides[label])
            continue
        normalized = normalize_label(label)
        if normalized in FINDING_CODES:
            codes.append(normalized)
        else:
            log.warning("model label %r is not a finding code and is ignored", label)
            codes.append(None)
    unused = set(overrides) - set(labels)
    if unused:
        log.warning("%s names labels the model does not have: %s", LABELS_FILE, sorted(unused))
    return LabelMap(codes=tuple(codes), labels=labels)


def read_label_overrides(checkpoint_dir: Path) -> dict[str, str | None] | None:
    path = checkpoint_dir / LABELS_FILE
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelMappingError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict) or not all(
        isinstance(key, str) and (value is None or isinstance(value, str))
        for key, value in raw.items()
    ):
        raise LabelMappingError(f"{path}: expected an object of label → finding code or null")
    return raw


def load_label_map(
    checkpoint_dir: Path, id2label: Mapping[int, str] | Mapping[str, str]
) -> LabelMap:
    return build_label_map(id2label, read_label_overrides(checkpoint_dir))


def write_label_overrides(checkpoint_dir: Path, labels: list[str]) -> dict[str, str | None]:
    """Write the mapping a trained checkpoint ships with: finding codes to themselves, rest null.

    A clinic whose folders are named otherwise edits the file; null keeps a class silent.
    """
    mapping: dict[str, str | None] = {}
    for label in labels:
        normalized = normalize_label(label)
        mapping[label] = normalized if normalized in FINDING_CODES else None
    path = checkpoint_dir / LABELS_FILE
    path.write_text(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return mapping
