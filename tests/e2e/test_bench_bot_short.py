"""benchmarks/bench_bot.py still runs: `--short` as a subprocess, its JSON shape checked.

For breakage only: the figures of a short run on a shared machine mean nothing, so none is
compared with anything (benchmarks are read, never asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODES = {"floor", "in_process", "sandbox", "sandbox_no_response_cache"}
FIGURES = {"steps_per_s", "ratio_to_floor", "p50_ms", "p95_ms", "p99_ms", "steps"}


def test_short_run_prints_every_mode_for_every_user_count() -> None:
    finished = subprocess.run(
        [sys.executable, "benchmarks/bench_bot.py", "--short"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
    report = json.loads(finished.stdout)

    assert report["repeat"] == 1
    assert len(report["steps"]) == 6
    [backend] = report["backends"]
    assert backend["backend"] == "SQLite"
    assert set(backend["by_users"]) == {"1", "2"}
    for by_mode in backend["by_users"].values():
        assert set(by_mode) == MODES
        for figures in by_mode.values():
            assert set(figures) >= FIGURES
            assert figures["steps"] >= 12
            assert figures["steps_per_s"] > 0
            assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
        assert by_mode["floor"]["ratio_to_floor"] == 1.0
