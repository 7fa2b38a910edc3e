"""Decode amplification (issue #10): N large pictures at once, the bounded path against the
unbounded one from before, each in a fresh interpreter: peak RSS growth and event-loop lag.

    python benchmarks/bench_decode.py                 # six 49 MP PNGs, six 48 MP JPEGs
    python benchmarks/bench_decode.py --copies 3

The pictures are made on the spot (a mostly flat 7000×7000 PNG of ~160 KB, a tiled photo-like
8000×6000 JPEG of ~6 MB); the measuring code is tests/support/decode_load.py, which the
integration test tests/integration/test_decode_bounds.py also runs. Prints one JSON object;
nothing is asserted. Figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.decode_load import flat_png, measure, phone_jpeg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=6, help="pictures decoded at once")
    arguments = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        pictures = {
            "png_49mp": (Path(folder) / "flat.png", flat_png),
            "jpeg_48mp": (Path(folder) / "phone.jpg", phone_jpeg),
        }
        for name, (path, make) in pictures.items():
            path.write_bytes(make())
            before = measure(path, "unbounded", arguments.copies)
            after = measure(path, "bounded", arguments.copies)
            results[name] = {
                "unbounded": before,
                "bounded": after,
                "growth_ratio": round(after["growth_mib"] / max(before["growth_mib"], 0.1), 4),
                "lag_max_ratio": round(after["lag_max_ms"] / max(before["lag_max_ms"], 0.1), 4),
            }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
