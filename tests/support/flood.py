"""One user floods the sandbox while another asks for /help: the other's latency, measured.

Everything goes over real HTTP through the sandbox's control API, as a person in the web chat
would; the bot polls the emulator as in `telemed-pet sandbox`. Used by
tests/e2e/test_sandbox_throttle.py (asserts) and benchmarks/bench_flood.py (prints).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass

import httpx

from bot.run_modes import running_sandbox
from core.config import Settings
from tests.support.sandbox_person import SandboxPerson, text_of

# The other user's question: a command that reads the database, as most answers do.
QUESTION = "/help"
# Long enough for any answer under load; a missing answer fails the measurement.
ANSWER_WAIT_S = 30.0


@dataclass(frozen=True)
class FloodMeasurement:
    baseline_s: list[float]  # the other user's latencies before the flood
    flooded_s: list[float]  # ...while the flood was being sent
    flood_sent_s: float  # how long sending the flood took
    flooder_texts: list[str]  # what the flooder was sent, in order
    # How many of `flooded_s` were asked before the flood was all sent; the rest came after.
    asked_during_flood: int

    @property
    def baseline_median_s(self) -> float:
        return statistics.median(self.baseline_s)

    @property
    def flooded_median_s(self) -> float:
        return statistics.median(self.flooded_s)

    @property
    def unanswered(self) -> int:
        return sum(math.isinf(latency) for latency in self.baseline_s + self.flooded_s)

    @property
    def ratio(self) -> float:
        return self.flooded_median_s / self.baseline_median_s


async def answer_latency(person: SandboxPerson, text: str = QUESTION) -> float:
    """Seconds from sending `text` to the bot's first message after it; infinity when none
    came within ANSWER_WAIT_S."""
    started = time.perf_counter()
    sent = await person.say(text)
    response = await person.api.get(
        f"/sandbox/api/chats/{person.id}/messages", params={"after": sent, "wait": ANSWER_WAIT_S}
    )
    response.raise_for_status()
    if not any(m["from_bot"] for m in response.json()):
        return math.inf
    return time.perf_counter() - started


async def _flood(person: SandboxPerson, messages: int) -> None:
    for n in range(messages):
        await person.say(f"{QUESTION} {n}" if n % 2 else QUESTION)


async def measure_flood(
    settings: Settings, *, messages: int = 500, samples: int = 15, settle: bool = True
) -> FloodMeasurement:
    """Baseline first, then the flood with the other user asking throughout, in one sandbox.

    `settle`: wait for every flood update to be handled before reading the flooder's chat
    (without throttling, that is every answer paced at Telegram's one per second per chat).
    """
    async with (
        running_sandbox(settings, port=0) as sandbox,
        httpx.AsyncClient(base_url=sandbox.base_url, timeout=ANSWER_WAIT_S + 10) as api,
    ):
        flooder = await SandboxPerson.join(api, "Flooder", "en")

        async def ask() -> float:
            # Each question from someone new: the bot paces answers to one chat at Telegram's
            # one message a second, which would otherwise be all that is measured.
            return await answer_latency(await SandboxPerson.join(api, "Other", "en"))

        for _ in range(2):  # the first answers warm caches up: not measured
            await ask()
        await answer_latency(flooder)
        baseline = [await ask() for _ in range(samples)]

        started = time.perf_counter()
        flood = asyncio.create_task(_flood(flooder, messages))
        flooded: list[float] = []
        asked_during_flood = 0
        # Asked while the flood is being sent, at least `samples` times.
        while not flood.done() or len(flooded) < samples:
            if not flood.done():
                asked_during_flood += 1
            flooded.append(await ask())
        await flood
        flood_sent_s = time.perf_counter() - started
        if settle:
            # The bot has fetched every flood update once it answers a later question; then
            # its handlers still running are awaited (aiogram keeps them in this set and
            # offers no public way to wait for them), so the flooder's chat is read complete.
            await ask()
            in_flight = list(sandbox.dispatcher._handle_update_tasks)
            await asyncio.gather(*in_flight, return_exceptions=True)
        flooder_texts = [text_of(m) for m in await flooder.bot_messages()]
    return FloodMeasurement(baseline, flooded, flood_sent_s, flooder_texts, asked_during_flood)
