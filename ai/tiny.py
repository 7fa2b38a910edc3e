"""Small ViT checkpoints with finding-code labels, built locally (nothing is downloaded).

Tests load them through the real path; benchmarks and `ai bench --tiny` time them; `ai train`
starts from the same shapes when no `--base` checkpoint is given. Weights are random (seeded).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import torch
from transformers import ViTConfig, ViTForImageClassification

from core.ports.photo_model import FINDING_CODES

Preset = Literal["tiny", "small", "base"]

# Shapes of the well-known ViT sizes; "tiny" is the test-sized model of STACK-NOTES.md.
PRESETS: dict[str, dict[str, int]] = {
    "tiny": {
        "image_size": 64,
        "patch_size": 16,
        "hidden_size": 48,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 96,
    },
    # ViT-S/16 (22 M parameters).
    "small": {
        "image_size": 224,
        "patch_size": 16,
        "hidden_size": 384,
        "num_hidden_layers": 12,
        "num_attention_heads": 6,
        "intermediate_size": 1536,
    },
    # ViT-B/16 (86 M parameters), the size of google/vit-base-patch16-224.
    "base": {
        "image_size": 224,
        "patch_size": 16,
        "hidden_size": 768,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "intermediate_size": 3072,
    },
}


def vit_config(
    labels: Sequence[str] = FINDING_CODES,
    *,
    preset: Preset | str = "tiny",
    image_size: int | None = None,
    multi_label: bool = False,
) -> ViTConfig:
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}: {', '.join(PRESETS)}")
    shape: dict[str, Any] = dict(PRESETS[preset])
    if image_size is not None:
        if image_size % shape["patch_size"]:
            raise ValueError(f"image size {image_size} is not a multiple of the patch size")
        shape["image_size"] = image_size
    return ViTConfig(
        **shape,
        # num_labels follows from id2label.
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
        problem_type="multi_label_classification"
        if multi_label
        else "single_label_classification",
    )


def image_side(config: Any) -> int:
    """The square input side of a ViT config (`image_size` may also be a pair there)."""
    size = config.image_size
    return int(size if isinstance(size, int) else size[0])


def write_processor_config(directory: Path, image_size: int) -> None:
    """The preprocessor_config.json of a ViT processor, written directly.

    Written as JSON rather than through an image-processor class because those classes differ
    between transformers 4 and 5 (and 5's default one needs torchvision); the file is the same.
    """
    config = {
        "image_processor_type": "ViTImageProcessor",
        "do_resize": True,
        "size": {"height": image_size, "width": image_size},
        "resample": 2,  # bilinear, as the published ViT checkpoints
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.5, 0.5, 0.5],
    }
    path = directory / "preprocessor_config.json"
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def save_tiny_checkpoint(
    directory: Path | str,
    *,
    labels: Sequence[str] = FINDING_CODES,
    preset: Preset | str = "tiny",
    image_size: int | None = None,
    multi_label: bool = False,
    seed: int = 0,
) -> Path:
    """Build a randomly initialised ViT and `save_pretrained` it (+ processor) in `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = vit_config(labels, preset=preset, image_size=image_size, multi_label=multi_label)
    torch.manual_seed(seed)
    model = ViTForImageClassification(config)
    model.save_pretrained(str(directory))
    write_processor_config(directory, image_side(config))
    return directory
