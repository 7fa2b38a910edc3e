"""`telemed-pet ai predict | train | eval | bench`: model tooling. JSON on stdout, logs on stderr.

`bot.cli` hands `argv` (after `ai`) to `run_ai_cli`; the heavy imports (torch, transformers)
happen inside each command so `--help` stays instant.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.photo_errors import UnreadablePhotoError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _emit(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def parse_int_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.replace(",", " ").split())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected integers like 1,8,32: {text!r}") from exc
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("batch sizes must be ≥ 1")
    return values


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT: {text!r}") from exc
    return (width, height)


def quiet_transformers() -> None:
    # Weight-loading progress bars would interleave with the JSON a script parses.
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="telemed-pet ai", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True)
    device_help = "auto (CUDA+bf16 when present, else CPU float32), cpu or cuda[:N]"
    decode_help = "where JPEGs are decoded: auto (the GPU when torchvision can), host or device"

    predict = commands.add_parser("predict", help="print findings for image files as JSON")
    predict.add_argument("--model", type=Path, required=True, help="checkpoint directory")
    predict.add_argument("--device", default="auto", help=device_help)
    predict.add_argument(
        "--decode", default="auto", choices=("auto", "host", "device"), help=decode_help
    )
    predict.add_argument("images", nargs="+", type=Path, metavar="IMAGE")

    train = commands.add_parser("train", help="fine-tune a ViT on DIR/<label>/*.jpg")
    train.add_argument("--data", type=Path, required=True, help="ImageFolder-style directory")
    train.add_argument("--out", type=Path, required=True, help="where the checkpoint goes")
    train.add_argument("--base", type=Path, help="local checkpoint to start from")
    train.add_argument(
        "--preset",
        default="small",
        choices=("tiny", "small", "base"),
        help="ViT shape without --base",
    )
    train.add_argument("--image-size", type=int, help="input size without --base")
    train.add_argument("--epochs", type=int, default=3)
    train.add_argument("--batch-size", type=int, default=16)
    train.add_argument("--lr", type=float, help="default 5e-5 with --base, 3e-4 without")
    train.add_argument("--weight-decay", type=float, default=0.05)
    train.add_argument("--val-fraction", type=float, default=0.2)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default="auto", help=device_help)

    evaluate = commands.add_parser("eval", help="per-class precision/recall/F1 and ECE as JSON")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--data", type=Path, required=True, help="ImageFolder-style directory")
    evaluate.add_argument("--batch-size", type=int, default=32)
    evaluate.add_argument("--bins", type=int, default=10, help="calibration bins")
    evaluate.add_argument("--device", default="auto", help=device_help)

    bench = commands.add_parser("bench", help="worker-path vs raw forward throughput as JSON")
    source = bench.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", type=Path, help="checkpoint directory")
    source.add_argument(
        "--tiny",
        choices=("tiny", "small", "base"),
        help="build a random ViT of this size in a temporary directory",
    )
    bench.add_argument("--device", default="auto", help=device_help)
    bench.add_argument("--batch-sizes", type=parse_int_list, default=(1, 8, 32))
    bench.add_argument("--requests", type=int, default=128, help="concurrent requests per size")
    bench.add_argument("--single-requests", type=int, default=32)
    bench.add_argument("--photo-size", type=parse_size, default=(1280, 960), help="WIDTHxHEIGHT")
    bench.add_argument("--max-wait-ms", type=float, default=5.0)
    bench.add_argument("--decode-workers", type=int)
    return parser


def run_ai_cli(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # --help or a usage error; argparse already printed
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        print(
            f"telemed-pet ai: needs the 'ai' extra (torch, transformers): {exc}", file=sys.stderr
        )
        return EXIT_FAILED
    quiet_transformers()
    from ai.classifier import ModelLoadError
    from ai.dataset import DatasetError
    from ai.labels import LabelMappingError
    from ai.photo_model import NoFindingLabelsError

    handlers = {"predict": _predict, "train": _train, "eval": _eval, "bench": _bench}
    try:
        return handlers[args.command](args)
    except (ModelLoadError, DatasetError, LabelMappingError, NoFindingLabelsError) as exc:
        print(f"telemed-pet ai {args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except RuntimeError as exc:  # e.g. --device cuda without CUDA
        print(f"telemed-pet ai {args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _predict(args: argparse.Namespace) -> int:
    from ai.photo_model import load_photo_model

    async def run() -> tuple[str, list[dict[str, Any]]]:
        model = load_photo_model(args.model, device=args.device, decode=args.decode)
        try:

            async def one(path: Path) -> dict[str, Any]:
                try:
                    data = await asyncio.to_thread(path.read_bytes)
                    findings = (await model.analyze([data]))[0]
                except (OSError, UnreadablePhotoError) as exc:
                    reason = (
                        exc.reason if isinstance(exc, UnreadablePhotoError) else "unreadable_file"
                    )
                    return {"image": str(path), "error": {"reason": reason, "message": str(exc)}}
                return {
                    "image": str(path),
                    "findings": [{"label": f.label, "score": f.score} for f in findings],
                }

            # Concurrent requests: the micro-batcher turns them into few forward passes.
            results = await asyncio.gather(*(one(path) for path in args.images))
            return model.name, list(results)
        finally:
            await model.aclose()

    name, results = asyncio.run(run())
    _emit({"model": name, "results": results})
    return EXIT_FAILED if any("error" in result for result in results) else EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from ai.training import TrainOptions, train

    report = train(
        TrainOptions(
            data=args.data,
            out=args.out,
            base=args.base,
            preset=args.preset,
            image_size=args.image_size,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            weight_decay=args.weight_decay,
            val_fraction=args.val_fraction,
            seed=args.seed,
            device=args.device,
        )
    )
    _emit(report)
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from ai.classifier import ImageClassifier, Prepared
    from ai.dataset import DatasetError, scan_image_folder
    from ai.evaluation import expected_calibration_error, per_class_metrics
    from ai.labels import normalize_label

    classifier = ImageClassifier.load(args.model, device=args.device)
    dataset = scan_image_folder(args.data, min_classes=1)
    by_name = {label: i for i, label in enumerate(classifier.labels)}
    by_normalized = {normalize_label(label): i for i, label in enumerate(classifier.labels)}
    missing = [
        c for c in dataset.classes if c not in by_name and normalize_label(c) not in by_normalized
    ]
    if missing:
        raise DatasetError(
            f"class folder(s) {missing} are not labels of the model {list(classifier.labels)}"
        )

    def target(label: str) -> int:
        return by_name[label] if label in by_name else by_normalized[normalize_label(label)]

    def load(path: Path) -> Prepared | UnreadablePhotoError | OSError:
        try:
            return classifier.decode_and_prepare(path.read_bytes())
        except (UnreadablePhotoError, OSError) as exc:
            return exc

    truth: list[int] = []
    predicted: list[int] = []
    confidences: list[float] = []
    skipped: list[str] = []
    samples = list(dataset.samples)
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="eval-decode") as pool:
        for start in range(0, len(samples), args.batch_size):
            chunk = samples[start : start + args.batch_size]
            loaded = list(pool.map(load, [sample.path for sample in chunk]))
            items: list[Prepared] = []
            for sample, item in zip(chunk, loaded, strict=True):
                if isinstance(item, Exception):
                    skipped.append(str(sample.path))
                    continue
                items.append(item)
                truth.append(target(sample.label))
            if not items:
                continue
            probs = classifier.probabilities(items)
            top, index = probs.max(dim=-1)
            predicted += [int(i) for i in index]
            confidences += [float(c) for c in top]

    correct = [t == p for t, p in zip(truth, predicted, strict=True)]
    per_class = per_class_metrics(truth, predicted, classifier.labels)
    f1s = [float(metrics["f1"]) for metrics in per_class.values()]
    _emit(
        {
            "model": classifier.name,
            "images": len(truth),
            "skipped": skipped,
            "accuracy": round(sum(correct) / len(correct), 4) if correct else None,
            "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None,
            "ece": expected_calibration_error(confidences, correct, args.bins),
            "bins": args.bins,
            "per_class": per_class,
        }
    )
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from ai.bench import BenchOptions, run_bench

    options = BenchOptions(
        model=args.model,
        tiny=args.tiny or "small",
        device=args.device,
        batch_sizes=args.batch_sizes,
        requests=args.requests,
        single_requests=args.single_requests,
        photo_size=args.photo_size,
        max_wait_ms=args.max_wait_ms,
        decode_workers=args.decode_workers,
    )
    _emit(run_bench(options))
    return EXIT_OK


def main() -> None:  # `python -m ai.cli ...`, handy before bot.cli wires `telemed-pet ai`
    raise SystemExit(run_ai_cli(sys.argv[1:]))


if __name__ == "__main__":
    main()
