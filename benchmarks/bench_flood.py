"""One chat floods the bot: another user's /help latency, with and without throttling.

    python benchmarks/bench_flood.py                    # 500 messages, 15 samples per phase
    python benchmarks/bench_flood.py --messages 200 --samples 9
    python benchmarks/bench_flood.py --redis-url redis://127.0.0.1:6379/15
    python benchmarks/bench_flood.py --throttle on --repeat 3   # the bound only, minutes less

Each run is one `telemed-pet sandbox` in this process (emulator, bot polling it, SQLite in a
temporary directory), driven over real HTTP (tests/support/flood.py): the other user's median
latency before the flood (baseline), then while one user sends `--messages` messages as fast as
the control API takes them. The ratio flooded / baseline is measured within one run; the two
runs differ only in THROTTLE__ENABLED. Production pacing of answers (OUTBOUND__* defaults) and
the emulator's Telegram rates are kept. A question not answered within 30 s counts as
infinitely slow (median and ratio may then read "Infinity").

Prints one JSON object; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import Settings, ThrottleSection
from tests.support.chatting import load_texts
from tests.support.flood import ANSWER_WAIT_S, measure_flood


async def _run(throttled: bool, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "telemed.db"
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{database}",
            storage_url=f"file://{Path(tmp) / 'files'}",
            redis_url=args.redis_url,
            throttle=ThrottleSection(enabled=throttled),
        )
        started = time.perf_counter()
        # Without throttling, settling would mean waiting for ~all answers at 1/s: skipped.
        measured = await measure_flood(
            settings, messages=args.messages, samples=args.samples, settle=throttled
        )
        run_s = time.perf_counter() - started
    notice = str((await load_texts()).get("msg-throttled", "en"))
    return {
        "throttle": throttled,
        "baseline_median_s": round(measured.baseline_median_s, 4),
        "flooded_median_s": round(measured.flooded_median_s, 4),
        "ratio": round(measured.ratio, 2),
        "flooded_max_s": round(max(measured.flooded_s), 4),
        "other_user_samples": len(measured.flooded_s),
        "asked_during_flood": measured.asked_during_flood,
        "flood_sent_s": round(measured.flood_sent_s, 2),
        "unanswered_within_s": {str(ANSWER_WAIT_S): measured.unanswered},
        "run_s": round(run_s, 1),
        "flooder_messages_received": len(measured.flooder_texts),
        "flooder_notices": measured.flooder_texts.count(notice),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--redis-url", default=None, help="count attempts in Redis (else memory)")
    # Without throttling, most questions wait the full 30 s: that run takes minutes.
    parser.add_argument("--throttle", choices=("on", "off", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, one after another")
    args = parser.parse_args()
    modes = {"on": (True,), "off": (False,), "both": (True, False)}[args.throttle]
    runs = [await _run(throttled, args) for _ in range(args.repeat) for throttled in modes]
    print(json.dumps({"messages": args.messages, "runs": runs}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
