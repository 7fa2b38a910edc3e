"""`telemed-pet ai predict | train | eval | bench` through `run_ai_cli`, on tiny local models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch", reason="the ai commands need the 'ai' extra (torch)")
pytest.importorskip("transformers", reason="the ai commands need the 'ai' extra (transformers)")

from PIL import Image

from ai.cli import run_ai_cli
from ai.photo_model import load_photo_model
from ai.tiny import save_tiny_checkpoint

COLOURS = {"wound_open": (200, 30, 30), "normal": (40, 180, 60)}


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two classes of coloured squares, 8 photos each, slightly varied."""
    root = tmp_path_factory.mktemp("photos")
    for label, (r, g, b) in COLOURS.items():
        (root / label).mkdir()
        for i in range(8):
            shade = (r + 3 * i, g - 2 * i, b + i)
            Image.new("RGB", (48, 40), shade).save(root / label / f"{i}.jpg")
    return root


@pytest.fixture(scope="module")
def trained(image_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trained") / "checkpoint"
    code = run_ai_cli(
        [
            "train",
            "--data",
            str(image_folder),
            "--out",
            str(out),
            "--preset",
            "tiny",
            "--image-size",
            "32",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--device",
            "cpu",
        ]
    )
    assert code == 0
    return out


def output(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


def test_predict_prints_findings_as_json(
    tmp_path: Path, image_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "vit")
    photo = image_folder / "normal" / "0.jpg"

    code = run_ai_cli(["predict", "--model", str(checkpoint), "--device", "cpu", str(photo)])

    result = output(capsys)
    assert code == 0
    assert result["model"].startswith("vit@")
    [entry] = result["results"]
    assert entry["image"] == str(photo)
    assert len(entry["findings"]) == 6
    assert {"label", "score"} <= entry["findings"][0].keys()


def test_predict_reports_an_unreadable_photo_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "vit")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a photo")

    code = run_ai_cli(["predict", "--model", str(checkpoint), str(bad)])

    assert code == 1
    assert output(capsys)["results"][0]["error"]["reason"] == "unsupported"


async def test_train_writes_a_checkpoint_the_worker_loads(
    trained: Path, image_folder: Path
) -> None:
    model = load_photo_model(trained, device="cpu")
    try:
        [findings] = await model.analyze([(image_folder / "wound_open" / "1.jpg").read_bytes()])
    finally:
        await model.aclose()

    assert {finding.label for finding in findings} == {"wound_open", "normal"}
    report = json.loads((trained / "train_report.json").read_text())
    assert report["classes"] == ["normal", "wound_open"]
    assert report["train_images"] + report["val_images"] == 16
    assert report["val_images"] >= 2


def test_eval_prints_per_class_metrics_and_ece(
    trained: Path, image_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_ai_cli(["eval", "--model", str(trained), "--data", str(image_folder)])

    result = output(capsys)
    assert code == 0
    assert result["images"] == 16
    assert set(result["per_class"]) <= {"normal", "wound_open"}
    for metrics in result["per_class"].values():
        assert {"precision", "recall", "f1", "support"} <= metrics.keys()
    assert 0.0 <= result["ece"] <= 1.0
    assert result["bins"] == 10


def test_bench_prints_the_throughput_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_ai_cli(
        [
            "bench",
            "--tiny",
            "tiny",
            "--device",
            "cpu",
            "--batch-sizes",
            "1,4",
            "--requests",
            "8",
            "--single-requests",
            "2",
            "--photo-size",
            "320x240",
        ]
    )

    result = output(capsys)
    assert code == 0
    for key in (
        "single_images_per_s",
        "batched_images_per_s",
        "raw_forward_images_per_s",
        "decode_ms_per_image",
    ):
        assert result[key] > 0
    assert result["batch_sizes"] == [1, 4]
    assert [row["batch_size"] for row in result["by_batch_size"]] == [1, 4]


def test_usage_errors_return_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_ai_cli(["predict"]) == 2
    assert run_ai_cli(["bench", "--tiny", "tiny", "--batch-sizes", "0"]) == 2
    assert "usage" in capsys.readouterr().err


def test_missing_model_is_a_clean_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_ai_cli(["predict", "--model", str(tmp_path), str(tmp_path / "x.jpg")]) == 1
    assert "no config.json" in capsys.readouterr().err
