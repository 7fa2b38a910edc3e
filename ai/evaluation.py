"""Classification metrics for `ai eval`: per-class precision/recall/F1 and calibration error."""

from __future__ import annotations

from collections.abc import Sequence


def per_class_metrics(
    truth: Sequence[int], predicted: Sequence[int], labels: Sequence[str]
) -> dict[str, dict[str, float | int]]:
    """Precision, recall, F1 and support of every label that occurs in truth or predictions."""
    result: dict[str, dict[str, float | int]] = {}
    for index, label in enumerate(labels):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == index and p == index)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != index and p == index)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == index and p != index)
        support = tp + fn
        if support == 0 and fp == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    return result


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """ECE over equal-width confidence bins: Σ |bin| / n · |accuracy − mean confidence|.

    Bins are (lo, hi], the first also takes 0, so a confidence of exactly 1.0 counts.
    """
    n = len(confidences)
    if n == 0:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0.0)]
        if not members:
            continue
        accuracy = sum(1 for i in members if correct[i]) / len(members)
        confidence = sum(confidences[i] for i in members) / len(members)
        total += len(members) / n * abs(accuracy - confidence)
    return round(total, 4)
