"""Metrics of `ai eval`: per-class precision/recall/F1 and expected calibration error."""

from __future__ import annotations

import pytest

from ai.evaluation import expected_calibration_error, per_class_metrics


def test_per_class_precision_recall_f1() -> None:
    truth = [0, 0, 0, 1, 1, 2]
    predicted = [0, 0, 1, 1, 0, 2]

    metrics = per_class_metrics(truth, predicted, ["a", "b", "c", "unused"])

    assert metrics["a"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    assert metrics["b"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert metrics["c"]["f1"] == 1.0
    assert "unused" not in metrics


def test_perfectly_calibrated_predictions_have_zero_ece() -> None:
    confidences = [0.75] * 4
    correct = [True, True, True, False]

    assert expected_calibration_error(confidences, correct) == 0.0


def test_overconfident_predictions_have_positive_ece() -> None:
    # Bin (0.9, 1.0]: confidence 0.95, accuracy 0.5 → gap 0.45 over all samples.
    assert expected_calibration_error([0.95, 0.95], [True, False]) == pytest.approx(0.45)


def test_ece_counts_confidence_one_and_empty_input() -> None:
    assert expected_calibration_error([1.0], [True]) == 0.0
    assert expected_calibration_error([], []) == 0.0
