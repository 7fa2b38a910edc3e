"""benchmarks/bench_reminders.py still runs: `--short` as a subprocess, its JSON shape checked,
and every reminder it seeded sent exactly once (the database and the emulator agree).

The exactly-once check is correctness, so it is asserted; the figures of a short run on a
shared machine mean nothing, so none is compared with anything (benchmarks are read, never
asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"msgs_per_s", "p50_ms_per_msg", "p99_ms_per_msg", "messages", "retry_after_answers"}
LIMITS = {
    "reminders",
    "wall_s",
    "msgs_per_s",
    "share_of_telegram_30_per_s",
    "most_in_any_1s",
    "retry_after_answers",
    "report",
    "check",
}


def assert_sent_once(check: dict[str, Any], rows: int) -> None:
    assert check["rows"] == rows
    assert check["db_sent"] == rows
    assert check["db_cancelled"] == check["db_pending"] == 0
    assert check["emulator_shown_once"] == rows
    assert check["emulator_shown_twice_or_more"] == check["emulator_in_wrong_chat"] == 0
    assert check["sent_exactly_once"] is True


def test_short_run_sends_every_reminder_once_and_prints_both_modes() -> None:
    finished = subprocess.run(
        [sys.executable, "benchmarks/bench_reminders.py", "--short"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
    report = json.loads(finished.stdout)

    assert report["modes"] == ["limits", "throughput"]
    [backend] = report["backends"]
    assert backend["backend"] == "SQLite"

    throughput = backend["throughput"]
    rows = throughput["rows_per_repetition"]
    for mode in ("plain", "reminders"):
        assert set(throughput[mode]) >= FIGURES
        assert throughput[mode]["messages"] == rows * report["repeat"]
        assert throughput[mode]["msgs_per_s"] > 0
        assert throughput[mode]["p50_ms_per_msg"] <= throughput[mode]["p99_ms_per_msg"]
    assert [r["sent"] for r in throughput["reminders"]["reports"]] == [rows] * report["repeat"]
    assert throughput["ratio_reminders_to_plain"] > 0
    # The measured rows and the warm-up's.
    assert_sent_once(throughput["check"], rows * report["repeat"] + throughput["warm_up_rows"])

    limits = backend["limits"]
    assert set(limits) >= LIMITS
    assert limits["report"] == {
        "sent": limits["reminders"],
        "failed": 0,
        "skipped": {},
        "handed_back": 0,
    }
    assert limits["msgs_per_s"] > 0
    assert_sent_once(limits["check"], limits["reminders"])
