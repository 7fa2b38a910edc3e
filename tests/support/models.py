"""Photo-model checkpoints for tests, built locally through the real save/load path."""

from __future__ import annotations

from pathlib import Path
from typing import cast


def save_wound_model(directory: Path) -> Path:
    """A tiny ViT that sees an open wound in every photo, deterministically.

    Random weights would make the finding a coin toss; zeroing the head and biasing it keeps
    the whole real path (loading, preprocessing, forward, label mapping) and fixes the answer.
    """
    import torch
    from transformers import ViTForImageClassification

    from ai.tiny import save_tiny_checkpoint

    save_tiny_checkpoint(directory, labels=("wound_open", "normal"))
    model = ViTForImageClassification.from_pretrained(str(directory), local_files_only=True)
    head = cast(torch.nn.Linear, model.classifier)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.copy_(torch.tensor([4.0, 0.0]))
    model.save_pretrained(str(directory))
    return directory
