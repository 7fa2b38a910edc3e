"""Fine-tune an image classifier on a clinic's labelled photos; plain torch, no Trainer.

The photos go through the production decoder and preprocessing (`decode_image`,
`Preprocessor`), so the model sees in training exactly what it will see in the worker.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForImageClassification, ViTForImageClassification

from ai.classifier import Prepared, Preprocessor, load_processor
from ai.dataset import Sample, scan_image_folder
from ai.decode import decode_image
from ai.device import choose_device, configure_threads
from ai.labels import write_label_overrides
from ai.tiny import image_side, vit_config, write_processor_config
from core.photo_errors import UnreadablePhotoError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrainOptions:
    data: Path
    out: Path
    base: Path | None = None
    preset: str = "small"
    image_size: int | None = None
    epochs: int = 3
    batch_size: int = 16
    # None: 5e-5 from a pretrained base, 3e-4 from scratch (ViT from scratch needs more).
    lr: float | None = None
    weight_decay: float = 0.05
    val_fraction: float = 0.2
    seed: int = 0
    device: str = "auto"


def _load_split(
    samples: list[Sample], classes: tuple[str, ...], preprocessor: Preprocessor
) -> tuple[list[Prepared], list[int], list[str]]:
    # Decoded once and kept as uint8 at model size (150 KB per 224² photo): a clinic's few
    # thousand photos fit in memory, and epochs then cost only the forward/backward.
    items: list[Prepared] = []
    targets: list[int] = []
    skipped: list[str] = []
    index = {label: i for i, label in enumerate(classes)}
    for sample in samples:
        try:
            image = decode_image(sample.path.read_bytes(), target_size=preprocessor.input_size)
        except (UnreadablePhotoError, OSError) as exc:
            log.warning("skipping %s: %s", sample.path, exc)
            skipped.append(str(sample.path))
            continue
        items.append(preprocessor.prepare(image))
        targets.append(index[sample.label])
    return items, targets, skipped


def _build_model(options: TrainOptions, classes: tuple[str, ...]) -> Any:
    id2label = dict(enumerate(classes))
    label2id = {label: i for i, label in enumerate(classes)}
    if options.base is not None:
        return AutoModelForImageClassification.from_pretrained(
            str(options.base),
            local_files_only=True,
            num_labels=len(classes),
            id2label=id2label,
            label2id=label2id,
            problem_type="single_label_classification",
            # The base's head has other classes; a fresh head replaces it.
            ignore_mismatched_sizes=True,
        )
    config = vit_config(classes, preset=options.preset, image_size=options.image_size)
    return ViTForImageClassification(config)


def _evaluate(
    model: Any,
    pixels: Callable[[list[Prepared]], torch.Tensor],
    items: list[Prepared],
    targets: list[int],
    batch_size: int,
    device: torch.device,
) -> tuple[float, float]:
    if not items:
        return (math.nan, math.nan)
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.inference_mode():
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            labels = torch.tensor(targets[start : start + batch_size], device=device)
            logits = model(pixel_values=pixels(batch)).logits.float()
            loss_sum += float(torch.nn.functional.cross_entropy(logits, labels, reduction="sum"))
            correct += int((logits.argmax(dim=-1) == labels).sum())
    return loss_sum / len(items), correct / len(items)


def train(options: TrainOptions) -> dict[str, Any]:
    """Train, keep the epoch with the best validation accuracy, write a loadable checkpoint."""
    dataset = scan_image_folder(options.data)
    classes = dataset.classes
    train_samples, val_samples = dataset.split(options.val_fraction, options.seed)
    choice = choose_device(options.device)
    if not choice.is_cuda:
        configure_threads()
    random.seed(options.seed)
    torch.manual_seed(options.seed)

    options.out.mkdir(parents=True, exist_ok=True)
    model = _build_model(options, classes)
    if options.base is not None:
        load_processor(options.base).save_pretrained(str(options.out))
    else:
        write_processor_config(options.out, image_side(model.config))
    preprocessor = Preprocessor(load_processor(options.out), choice.device)
    # float32 master weights whatever the base was saved in; bf16 only through autocast on CUDA.
    model.to(choice.device, dtype=torch.float32)

    train_items, train_targets, skipped = _load_split(train_samples, classes, preprocessor)
    val_items, val_targets, skipped_val = _load_split(val_samples, classes, preprocessor)
    if not train_items:
        raise ValueError(f"{options.data}: no readable training images")

    def pixels(batch: list[Prepared]) -> torch.Tensor:
        return preprocessor.pixel_values(batch, torch.float32)

    lr = options.lr if options.lr is not None else (5e-5 if options.base else 3e-4)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=options.weight_decay)
    steps_per_epoch = math.ceil(len(train_items) / options.batch_size)
    total_steps = max(1, steps_per_epoch * options.epochs)
    warmup = max(1, total_steps // 10)

    def schedule(step: int) -> float:
        # Linear warm-up then cosine decay: the usual recipe for fine-tuning a ViT.
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total_steps - warmup)
        return 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    history: list[dict[str, float | int]] = []
    best_state: dict[str, torch.Tensor] | None = None
    best_key: tuple[float, float] | None = None
    best_epoch = 0
    order = list(range(len(train_items)))
    for epoch in range(1, options.epochs + 1):
        model.train()
        random.shuffle(order)
        loss_sum = 0.0
        for start in range(0, len(order), options.batch_size):
            chosen = order[start : start + options.batch_size]
            batch = pixels([train_items[i] for i in chosen])
            # Horizontal flips: a wound on the left paw is a wound on the right one.
            flip = torch.rand(batch.shape[0], device=batch.device) < 0.5
            batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(-1), batch)
            labels = torch.tensor([train_targets[i] for i in chosen], device=choice.device)
            with torch.autocast(
                device_type=choice.device.type, dtype=torch.bfloat16, enabled=choice.is_cuda
            ):
                logits = model(pixel_values=batch).logits
            loss = torch.nn.functional.cross_entropy(logits.float(), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            loss_sum += float(loss.detach()) * len(chosen)
        val_loss, val_accuracy = _evaluate(
            model, pixels, val_items, val_targets, options.batch_size, choice.device
        )
        record: dict[str, float | int] = {
            "epoch": epoch,
            "train_loss": round(loss_sum / len(train_items), 4),
            "val_loss": round(val_loss, 4),
            "val_accuracy": round(val_accuracy, 4),
        }
        history.append(record)
        log.info("epoch %s", record)
        # Without a validation split the last epoch is kept.
        key = (val_accuracy, -val_loss) if val_items else (float(epoch), 0.0)
        if best_key is None or key > best_key:
            best_key, best_epoch = key, epoch
            best_state = copy.deepcopy(model.state_dict())

    assert best_state is not None
    model.load_state_dict(best_state)
    model.to("cpu")
    model.save_pretrained(str(options.out))
    mapping = write_label_overrides(options.out, list(classes))
    report: dict[str, Any] = {
        "out": str(options.out),
        "classes": list(classes),
        "finding_codes": mapping,
        "train_images": len(train_items),
        "val_images": len(val_items),
        "skipped": skipped + skipped_val,
        "device": choice.describe()["device"],
        "base": str(options.base) if options.base else None,
        "preset": None if options.base else options.preset,
        "image_size": image_side(model.config),
        "lr": lr,
        "epochs": history,
        "best_epoch": best_epoch,
    }
    (options.out / "train_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return report
