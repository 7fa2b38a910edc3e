"""One chat floods the bot: another user's /help latency, with and without throttling.

    python benchmarks/bench_flood.py                    # 500 messages, 15 samples per phase
    python benchmarks/bench_flood.py --messages 200 --samples 9
    python benchmarks/bench_flood.py --redis-url redis://127.0.0.1:6379/15
    python benchmarks/bench_flood.py --throttle on --repeat 3   # the bound only, minutes less
    python benchmarks/bench_flood.py --throttle on --layout both --repeat 3

`--layout sandbox` (default): each run is one `telemed-pet sandbox` in this process (emulator,
bot polling it, SQLite in a temporary directory). `--layout apart`: the emulator and the bot
(`telemed-pet run`) each in a process of their own, as Telegram and the bot are in production
(what tests/e2e/test_sandbox_throttle.py asserts on). Either way driven over real HTTP
(tests/support/flood.py), the flooder from a process of its own: the other user's median
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
from tests.support.flood import (
    ANSWER_WAIT_S,
    FloodMeasurement,
    measure_flood,
    measure_flood_apart,
)


async def _measure(throttled: bool, layout: str, args: argparse.Namespace) -> FloodMeasurement:
    # Without throttling, settling would mean waiting for ~all answers at 1/s: skipped.
    with tempfile.TemporaryDirectory() as tmp:
        if layout == "apart":
            env = {"THROTTLE__ENABLED": str(throttled).lower()}
            if args.redis_url:
                env["REDIS_URL"] = args.redis_url
            return await measure_flood_apart(
                Path(tmp), messages=args.messages, samples=args.samples, env=env, settle=throttled
            )
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'telemed.db'}",
            storage_url=f"file://{Path(tmp) / 'files'}",
            redis_url=args.redis_url,
            throttle=ThrottleSection(enabled=throttled),
        )
        return await measure_flood(
            settings, messages=args.messages, samples=args.samples, settle=throttled
        )


async def _run(throttled: bool, layout: str, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    measured = await _measure(throttled, layout, args)
    run_s = time.perf_counter() - started
    notice = str((await load_texts()).get("msg-throttled", "en"))
    return {
        "layout": layout,
        "throttle": throttled,
        "baseline_median_s": round(measured.baseline_median_s, 4),
        "flooded_median_s": round(measured.flooded_median_s, 4),
        "ratio": round(measured.ratio, 2),
        "flooded_max_s": round(max(measured.flooded_s), 4),
        "other_user_samples": len(measured.flooded_s),
        "asked_during_flood": measured.asked_during_flood,
        "flood_messages": measured.flood_messages,
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
    parser.add_argument("--layout", choices=("sandbox", "apart", "both"), default="sandbox")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved")
    args = parser.parse_args()
    modes = {"on": (True,), "off": (False,), "both": (True, False)}[args.throttle]
    layouts = ("sandbox", "apart") if args.layout == "both" else (args.layout,)
    runs = [
        await _run(throttled, layout, args)
        for _ in range(args.repeat)
        for throttled in modes
        for layout in layouts
    ]
    print(json.dumps({"messages": args.messages, "runs": runs}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
