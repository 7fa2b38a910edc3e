"""An ImageFolder-style dataset (`DIR/<label>/*.jpg`) read with PIL — no torchvision."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"})


class DatasetError(ValueError):
    """The dataset directory cannot be used (missing, fewer than two classes, no images)."""


@dataclass(frozen=True, slots=True)
class Sample:
    path: Path
    label: str


@dataclass(frozen=True, slots=True)
class ImageFolder:
    root: Path
    classes: tuple[str, ...]
    samples: tuple[Sample, ...]

    def split(self, val_fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
        """Per class, so every class with two or more images is in both halves."""
        rng = random.Random(seed)
        train: list[Sample] = []
        val: list[Sample] = []
        for label in self.classes:
            items = [sample for sample in self.samples if sample.label == label]
            rng.shuffle(items)
            n_val = 0
            if val_fraction > 0 and len(items) >= 2:
                n_val = min(len(items) - 1, max(1, round(len(items) * val_fraction)))
            val += items[:n_val]
            train += items[n_val:]
        return train, val


def scan_image_folder(root: Path, *, min_classes: int = 2) -> ImageFolder:
    if not root.is_dir():
        raise DatasetError(f"{root}: not a directory")
    samples: list[Sample] = []
    classes: list[str] = []
    for class_dir in sorted(path for path in root.iterdir() if path.is_dir()):
        files = sorted(
            path
            for path in class_dir.iterdir()
            if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES
        )
        if files:
            classes.append(class_dir.name)
            samples += [Sample(path, class_dir.name) for path in files]
    if len(classes) < min_classes:
        raise DatasetError(
            f"{root}: found {len(classes)} class folder(s) with images, need {min_classes} "
            "(layout: DIR/<label>/*.jpg)"
        )
    return ImageFolder(root, tuple(classes), tuple(samples))
