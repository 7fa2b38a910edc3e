"""A flood from one user, over real HTTP (issue #10, "No rate limiting": 500 messages from one
chat raised another user's latency from ~0.01 s to 5.6 s).

One run measures the other user's /help latency before the flood (baseline) and while one user
sends 500 messages (tests/support/flood.py); production defaults otherwise (THROTTLE__*,
OUTBOUND__*, the emulator's Telegram rates). The ratio is the issue's requirement; the
figures with and without throttling are printed by benchmarks/bench_flood.py.

Telegram and the bot run apart, as in production: the emulator in a process of its own, the
bot (`telemed-pet run`) in another. In the one-process sandbox the emulator's cost of taking
the flood — a script posting as fast as it is answered — lands on the bot's event loop and
sets the ratio, not the bot: issue #14 measured 3.4–4.5× there on a 2-core machine whatever
the bot did, and 1.3–1.6× apart (benchmarks/README.md, `bench_flood.py --layout both`). The
emulator and the flooder stand for other people's machines and run at the lowest CPU priority.

The questions are asked one after another while the flood is sent: the flooder sends 500
messages and goes on until the last question is asked (on a fast machine 500 were once all
taken before the third question, and the rest were asked after the flood). The median alone
would not see one question stalled for seconds — the test once passed while a flooder's paced
answers held SQLite's write lock for 16 s (benchmarks/README.md): no question may wait that
long.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.chatting import load_texts
from tests.support.flood import measure_flood_apart

FLOOD_MESSAGES = 500
SAMPLES = 15
# The bound: the other user's median latency within twice the baseline.
MAX_RATIO = 2.0
# No single question stalls behind the flood (the write-lock stall above: 7.6-16 s).
MAX_SINGLE_WAIT_S = 5.0


async def test_a_flood_from_one_user_leaves_another_users_latency_within_twice_the_baseline(
    tmp_path: Path,
) -> None:
    notice = str((await load_texts()).get("msg-throttled", "en"))

    measured = await measure_flood_apart(tmp_path, messages=FLOOD_MESSAGES, samples=SAMPLES)

    print(
        f"baseline median {measured.baseline_median_s:.4f} s, "
        f"flooded median {measured.flooded_median_s:.4f} s, ratio {measured.ratio:.2f}, "
        f"{measured.asked_during_flood} of {len(measured.flooded_s)} asked during the flood "
        f"of {measured.flood_messages} messages, slowest {max(measured.flooded_s):.3f} s"
    )
    assert measured.unanswered == 0
    assert measured.asked_during_flood >= SAMPLES
    assert measured.flood_messages >= FLOOD_MESSAGES
    assert max(measured.flooded_s) <= MAX_SINGLE_WAIT_S
    assert measured.ratio <= MAX_RATIO
    # The flooder is told once: not once per dropped message.
    assert measured.flooder_texts.count(notice) == 1
    # ...and most of the flood was dropped (the burst and the refill were answered).
    assert len(measured.flooder_texts) < FLOOD_MESSAGES // 5
