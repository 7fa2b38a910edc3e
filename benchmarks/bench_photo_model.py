"""Photo-model throughput: the worker path (decode pool → micro-batcher → forward thread)
against bare batched forward passes, on a randomly initialised ViT built on the spot.

    python benchmarks/bench_photo_model.py                       # CPU, ViT-S/16, float32
    python benchmarks/bench_photo_model.py --device cuda         # GPU, bf16, batch 1…256
    python benchmarks/bench_photo_model.py --tiny-size base      # ViT-B/16
    python benchmarks/bench_photo_model.py --zero-cost           # the pipeline's own ceiling

Needs only torch, transformers, pillow and numpy next to this repository (no install, no
network): it puts the repository root on sys.path. Prints one JSON object; nothing is asserted.
Figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ai.bench import BenchOptions, run_bench
from ai.bench_ceiling import DEFAULT_BATCH_SIZES, DEFAULT_REQUESTS, CeilingOptions, run_ceiling
from ai.cli import parse_int_list, parse_size, quiet_transformers

# A CPU with two cores runs ViT-S at ~15 images/s: a short sweep. A GPU gets the full sweep and
# enough requests that every batch size runs many batches.
# (batch sizes, concurrent requests per size, one-at-a-time requests)
CPU_DEFAULTS: tuple[tuple[int, ...], int, int] = ((1, 4, 16), 64, 16)
GPU_DEFAULTS: tuple[tuple[int, ...], int, int] = ((1, 2, 4, 8, 16, 32, 64, 128, 256), 2048, 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cpu", help="cpu, cuda[:N] or auto")
    parser.add_argument("--tiny-size", default="small", choices=("tiny", "small", "base"))
    parser.add_argument("--model", type=Path, help="a real checkpoint instead of a built one")
    parser.add_argument("--batch-sizes", type=parse_int_list)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--single-requests", type=int)
    parser.add_argument("--photo-size", type=parse_size, default=(1280, 960))
    parser.add_argument("--max-wait-ms", type=float, default=5.0)
    parser.add_argument("--decode-workers", type=int)
    parser.add_argument("--decode-in", choices=("threads", "processes"), default="threads")
    parser.add_argument("--pipeline", choices=("batch", "per_image"), default="batch")
    parser.add_argument(
        "--decode",
        choices=("auto", "host", "device"),
        default="auto",
        help="where the batch path decodes JPEGs: auto (GPU when torchvision can), host, device",
    )
    parser.add_argument(
        "--zero-cost",
        action="store_true",
        help="a forward that returns at once: both pipelines, interleaved, at batch 1/16/64",
    )
    parser.add_argument("--repetitions", type=int, default=3, help="with --zero-cost")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    quiet_transformers()
    if args.zero_cost:
        ceiling = CeilingOptions(
            model=args.model,
            device=args.device,
            batch_sizes=args.batch_sizes or DEFAULT_BATCH_SIZES,
            requests=args.requests or DEFAULT_REQUESTS,
            repetitions=args.repetitions,
            photo_size=args.photo_size,
            max_wait_ms=args.max_wait_ms,
            decode_workers=args.decode_workers,
            decode=args.decode,
        )
        emit(run_ceiling(ceiling), args.out)
        return
    batch_sizes, requests, single_requests = CPU_DEFAULTS if args.device == "cpu" else GPU_DEFAULTS
    options = BenchOptions(
        model=args.model,
        tiny=args.tiny_size,
        device=args.device,
        batch_sizes=args.batch_sizes or batch_sizes,
        requests=args.requests or requests,
        single_requests=args.single_requests or single_requests,
        photo_size=args.photo_size,
        max_wait_ms=args.max_wait_ms,
        decode_workers=args.decode_workers,
        decode_processes=args.decode_in == "processes",
        pipeline=args.pipeline,
        decode=args.decode,
    )
    emit(run_bench(options), args.out)


def emit(figures: dict[str, Any], out: Path | None) -> None:
    text = json.dumps(figures, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
