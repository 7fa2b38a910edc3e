"""One user floods the bot while another asks for /help: the other's latency, measured.

Everything goes over real HTTP through the emulator's control API, as a person in the web chat
would, in one of two layouts:

- `measure_flood`: `telemed-pet sandbox` in this process (emulator, bot and both people on one
  event loop), as a developer runs it;
- `measure_flood_apart`: Telegram and the bot apart, as in production: the emulator in a process
  of its own, the bot in another (`telemed-pet run` polling it), the people in this one. The
  emulator's work for the flood (taking 500 messages over HTTP) is then not done on the bot's
  event loop, where Telegram's never is; what is left there is the bot's own work: fetching
  the flood's updates and dropping them.

Used by tests/e2e/test_sandbox_throttle.py (asserts) and benchmarks/bench_flood.py (prints).
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.run_modes import running_sandbox
from core.config import Settings
from sandbox.token import make_token
from tests.support.sandbox_person import SandboxPerson, text_of

# The other user's question: a command that reads the database, as most answers do.
QUESTION = "/help"
# Long enough for any answer under load; a missing answer fails the measurement.
ANSWER_WAIT_S = 30.0
# The flooder's chat counts as settled once the bot has written nothing there for this long
# (its answers there are paced at one a second).
QUIET_S = 3.0
# A pause before each measured question. The bot paces all its messages at Telegram's overall
# rate (OUTBOUND__GLOBAL_RATE_PER_S, 25/s): questions asked back to back (one every ~20-35 ms)
# ran into that pace, and their latency became the pace's 40 ms, in the baseline on some runs
# and not others (17 ms or 36 ms medians), whatever the flood did. 10 questions a second stay
# well under it.
QUESTION_GAP_S = 0.1
# Starting the emulator and the bot's process (imports, migrations) on a busy machine.
START_TIMEOUT_S = 60.0
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class FloodMeasurement:
    baseline_s: list[float]  # the other user's latencies before the flood
    flooded_s: list[float]  # ...while the flood was being sent
    flood_sent_s: float  # how long sending the flood took
    flooder_texts: list[str]  # what the flooder was sent, in order
    # How many of `flooded_s` were asked before the flood was all sent; the rest came after.
    asked_during_flood: int
    flood_messages: int  # how many the flooder sent: at least the asked-for number

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


# Each message sent as soon as the last one was taken: a script, not a person typing. It sends
# `messages`, and goes on until the file `enough` exists: the flood lasts until the measured
# questions are all asked, however fast this machine takes 500 messages.
_FLOODER = """
import os, sys, httpx
base_url, user_id, messages, question, enough = sys.argv[1:6]
sent = 0
with httpx.Client(base_url=base_url, timeout=60) as api:
    while sent < int(messages) or not os.path.exists(enough):
        text = f"{question} {sent}" if sent % 2 else question
        api.post(f"/sandbox/api/users/{user_id}/messages", json={"text": text}).raise_for_status()
        sent += 1
print(sent)
"""


async def _flood_from_elsewhere(base_url: str, user_id: int, messages: int, enough: Path) -> int:
    """Messages sent: at least `messages`, then on until `enough` exists."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _FLOODER,
        base_url,
        str(user_id),
        str(messages),
        QUESTION,
        str(enough),
        stdout=asyncio.subprocess.PIPE,
    )
    _stand_for_another_machine(process.pid)
    printed, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the flooder's process exited with {process.returncode}")
    return int(printed)


async def _flood_and_ask(
    api: httpx.AsyncClient,
    messages: int,
    samples: int,
    settle: Callable[[SandboxPerson], Awaitable[None]],
) -> FloodMeasurement:
    """Baseline first, then the flood with the other user asking throughout; `settle(flooder)`
    returns once every flood update has been handled, so the flooder's chat is read complete."""
    flooder = await SandboxPerson.join(api, "Flooder", "en")

    async def ask() -> float:
        # Each question from someone new: the bot paces answers to one chat at Telegram's
        # one message a second, which would otherwise be all that is measured.
        person = await SandboxPerson.join(api, "Other", "en")
        await asyncio.sleep(QUESTION_GAP_S)
        return await answer_latency(person)

    for _ in range(2):  # the first answers warm caches up: not measured
        await ask()
    await answer_latency(flooder)
    baseline = [await ask() for _ in range(samples)]

    with tempfile.TemporaryDirectory() as signals:
        enough = Path(signals) / "enough"
        started = time.perf_counter()
        # The flooder sends from a process of their own, as from their own device: their
        # client's work is not done on the loop that measures the other's latency.
        flood = asyncio.create_task(
            _flood_from_elsewhere(str(api.base_url), flooder.id, messages, enough)
        )
        flooded: list[float] = []
        asked_during_flood = 0
        # Asked while the flood is being sent, at least `samples` times: the flooder goes on
        # until told. Counted all the same: a flooder that stopped early shows here.
        while not flood.done() or len(flooded) < samples:
            if not flood.done():
                asked_during_flood += 1
            flooded.append(await ask())
            if len(flooded) >= samples:
                enough.touch()
        flood_messages = await flood
        flood_sent_s = time.perf_counter() - started
    await settle(flooder)
    flooder_texts = [text_of(m) for m in await flooder.bot_messages()]
    return FloodMeasurement(
        baseline, flooded, flood_sent_s, flooder_texts, asked_during_flood, flood_messages
    )


async def measure_flood(
    settings: Settings, *, messages: int = 500, samples: int = 15, settle: bool = True
) -> FloodMeasurement:
    """The flood through `telemed-pet sandbox` in this process.

    `settle`: wait for every flood update to be handled before reading the flooder's chat
    (without throttling, that is every answer paced at Telegram's one per second per chat).
    """
    async with (
        running_sandbox(settings, port=0) as sandbox,
        httpx.AsyncClient(base_url=sandbox.base_url, timeout=ANSWER_WAIT_S + 10) as api,
    ):

        async def handled(_flooder: SandboxPerson) -> None:
            if not settle:
                return
            # The bot has fetched every flood update once it answers a later question; then
            # its handlers still running are awaited (aiogram keeps them in this set and
            # offers no public way to wait for them).
            await answer_latency(await SandboxPerson.join(api, "Other", "en"))
            in_flight = list(sandbox.dispatcher._handle_update_tasks)
            await asyncio.gather(*in_flight, return_exceptions=True)

        return await _flood_and_ask(api, messages, samples, handled)


async def measure_flood_apart(
    data_dir: Path,
    *,
    messages: int = 500,
    samples: int = 15,
    env: dict[str, str] | None = None,
    settle: bool = True,
) -> FloodMeasurement:
    """The flood with the emulator and the bot (`telemed-pet run`, SQLite in `data_dir`) each
    in a process of its own; `env` adds settings for the bot (THROTTLE__ENABLED, REDIS_URL).

    `settle`: wait until the bot has written nothing to the flooder for QUIET_S.
    """
    async with (
        _telegram_and_bot_apart(data_dir, env or {}) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=ANSWER_WAIT_S + 10) as api,
    ):

        async def quiet(flooder: SandboxPerson) -> None:
            if settle:
                await _wait_until_quiet(flooder)

        return await _flood_and_ask(api, messages, samples, quiet)


async def _wait_until_quiet(person: SandboxPerson) -> None:
    """Until the bot has written nothing new to `person` for QUIET_S."""
    seen = len(await person.bot_messages())
    quiet_since = time.perf_counter()
    while time.perf_counter() - quiet_since < QUIET_S:
        await asyncio.sleep(0.25)
        now = len(await person.bot_messages())
        if now != seen:
            seen, quiet_since = now, time.perf_counter()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stand_for_another_machine(pid: int) -> None:
    """The lowest CPU priority for a process that stands for someone else's machine (Telegram's
    servers, a flooder's device): on a small test machine it then runs on what the bot leaves,
    instead of taking CPU the bot would have to itself in production."""
    os.setpriority(os.PRIO_PROCESS, pid, 19)


@contextmanager
def _process(
    command: list[str], cwd: Path, env: dict[str, str], log: Path, *, elsewhere: bool = False
) -> Iterator[None]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # nothing it starts outlives the measurement
        )
        if elsewhere:
            _stand_for_another_machine(process.pid)
        try:
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.returncode not in (0, -15):
            raise RuntimeError(f"{command[2]} exited with {process.returncode}: see {log}")


@asynccontextmanager
async def _telegram_and_bot_apart(data_dir: Path, overrides: dict[str, str]) -> AsyncIterator[str]:
    """The emulator's base URL, with the bot's process polling it and answering."""
    (data_dir / "var").mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Settings only from here: nothing of the caller's environment configures the bot.
    inherited = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env = {
        **inherited,
        "PYTHONPATH": str(PROJECT_ROOT),
        "BOT_TOKEN": make_token(),
        "BOT__API_BASE_URL": base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'var' / 'telemed.db'}",
        "STORAGE_URL": f"file://{data_dir / 'var' / 'files'}",
        **overrides,
    }
    emulator = [sys.executable, "-m", "tests.support.emulator_process", str(port)]
    bot = [sys.executable, "-m", "bot.cli", "run"]
    with (
        _process(emulator, PROJECT_ROOT, env, data_dir / "emulator.log", elsewhere=True),
        _process(bot, data_dir, env, data_dir / "bot.log"),
    ):
        async with httpx.AsyncClient(base_url=base_url, timeout=ANSWER_WAIT_S) as api:
            await _until_answering(api)
        yield base_url


async def _until_answering(api: httpx.AsyncClient) -> None:
    """Until the emulator takes requests and the bot answers a /start there."""
    deadline = time.perf_counter() + START_TIMEOUT_S
    while True:
        try:
            person = await SandboxPerson.join(api, "Warm-up", "en")
            break
        except httpx.TransportError:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.1)
    sent = await person.say("/start")
    response = await api.get(
        f"/sandbox/api/chats/{person.id}/messages",
        params={"after": sent, "wait": max(1.0, deadline - time.perf_counter())},
    )
    response.raise_for_status()
    if not any(m["from_bot"] for m in response.json()):
        raise RuntimeError(f"the bot did not answer within {START_TIMEOUT_S} s")
