"""Dialog steps per second: the product's bot against aiogram-dialog's own floor, same run.

    python benchmarks/bench_bot.py                        # SQLite, PostgreSQL + Redis; N 1,10,100
    python benchmarks/bench_bot.py --backends sqlite --users 1,10 --repeat 5
    python benchmarks/bench_bot.py --response-cache off   # without bot/response_types.py
    python benchmarks/bench_bot.py --users 100 --modes sandbox   # the floor and the sandbox only
    python benchmarks/bench_bot.py --users 100 --think-ms 2000   # people who read: p99 at a load
    python benchmarks/bench_bot.py --short                # seconds: does it still run? (CI)

Modes, measured interleaved (repetition → backend → N → mode) so a noisy neighbour hits all:

- `floor`: a minimal aiogram-dialog dialog (two windows, a getter, one button each way) on a
  Dispatcher with memory storage: click + render, no I/O. The cost of the frameworks alone.
- `in_process`: the product's Dispatcher (tests/support/chatting.py's way: aiogram-dialog's
  BotClient, a mock message manager keeping each chat's window, an in-memory Bot session), on
  the backend's database and FSM storage. Windows go to the message manager, not the Bot API,
  so bot/response_types.py plays no part here.
- `sandbox`: `telemed-pet sandbox` in this process (emulator, bot polling it over HTTP, the
  backend), each user driven over HTTP through the control API (tests/support/sandbox_person);
  a step ends when the chat shows the expected window. `sandbox_no_response_cache`: the same
  sandbox with the KeepResponseTypes session middleware removed (`--response-cache both`).

A step is one update: the mix is /pets (the pet list), the pet's card, its medical card (the
records list), back to the card, /check and the check's first question for that pet. N users
step concurrently, each through the sequence from the start; `--steps` per measurement in all.
Telegram's rates (the emulator's flood control, the bot's outbound pacing) and throttling are
lifted: they would measure Telegram's limits, not the bot. Users, pets and records are seeded
through the product's interactors. SQLite lives in a temporary directory; PostgreSQL is a
throw-away database on --database-url's server (dropped afterwards), Redis --redis-url.

Prints one JSON object: per backend, N and mode the median steps/s over repetitions, p50/p95/p99
of all step latencies, and the ratio to the floor's steps/s in the same repetition (median).
Nothing is asserted; figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa
from aiogram import Bot, Dispatcher
from aiogram.filters import CommandStart
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.api.entities import NewMessage, OldMessage
from aiogram_dialog.test_tools import BotClient, MockMessageManager
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_dialog.widgets.kbd import SwitchTo
from aiogram_dialog.widgets.text import Const, Format
from dishka import AsyncContainer
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.factory import create_dispatcher, create_fsm
from bot.ioc import create_container
from bot.response_types import KeepResponseTypes
from bot.run_modes import RunningSandbox, running_sandbox
from core.config import OutboundSection, Settings, ThrottleSection
from core.enums import Sex, Species
from core.interactors.onboarding import ChooseLanguage, GiveConsent, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, VaccinationDraft
from db.migrate import upgrade_to_head_async
from sandbox.emulator.flood import FloodControl, FloodRates
from tests.support.recording_session import RecordingSession
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
PET = "Rex"
# In-process users: far from the emulator's ids, so both share one database.
IN_PROCESS_FIRST_ID = 7_000_000_000
STEP_WAIT_S = 30.0
# What is lifted: Telegram's published rates would cap every figure at ~30 messages/s.
NO_FLOOD_LIMIT = FloodRates(1e9, 10**9, 1e9, 10**9, 1e9, 10**9)
NO_PACING = OutboundSection(
    chat_rate_per_s=1e9, chat_burst=10**9, global_rate_per_s=1e9, global_burst=10**9
)


@dataclass(frozen=True)
class Step:
    """One update: a command sent, or a button pressed; `shows` is in the window it leads to."""

    name: str
    shows: str
    send: str | None = None
    press: str | None = None


STEPS = (
    Step("pet list", "My pets", send="/pets"),
    Step("pet card", "Species:", press=PET),
    Step("records list", "medical card", press="Medical card"),
    Step("back to the card", "Species:", press="Back"),
    Step("symptom check: which pet", "Which pet", send="/check"),
    Step("symptom check: first question", "important things first", press=PET),
)


@dataclass
class Measurement:
    steps: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    # Steps that never showed their window (an update the bot failed, a timeout): counted, the
    # user's round abandoned (the next one starts from /pets), the run goes on.
    failed: list[str] = field(default_factory=list)

    @property
    def steps_per_s(self) -> float:
        return self.steps / self.seconds if self.seconds else 0.0


class StepFailedError(RuntimeError):
    pass


StepRunner = Callable[[int, Step], Awaitable[None]]  # (user index, step)


async def measure(
    users: int, steps: int, run_step: StepRunner, think_s: float = 0.0
) -> Measurement:
    """`users` concurrent users, each going through STEPS from the start until `steps` in all.

    `think_s` 0: a closed loop — each user's next step the moment the last one shows, so the
    latency is N / throughput by Little's law, whatever the bot does. Above 0: each user reads
    for a random while (exponential, that mean) before the next step, as people do; the
    offered load is then about N / think_s steps/s, and the latency is the bot's own plus the
    queueing at that load."""
    rounds = max(1, math.ceil(steps / (users * len(STEPS))))
    result = Measurement()
    thinking = random.Random(users)  # seeded: the same pauses, drawn in the users' order

    async def user(index: int) -> None:
        for _ in range(rounds):
            for step in STEPS:
                if think_s:
                    await asyncio.sleep(thinking.expovariate(1 / think_s))
                started = time.perf_counter()
                try:
                    await run_step(index, step)
                except (StepFailedError, httpx.HTTPError) as error:
                    result.failed.append(f"{type(error).__name__}: {error}")
                    break
                result.latencies_ms.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(user(index) for index in range(users)))
    result.seconds = time.perf_counter() - began
    result.steps = len(result.latencies_ms)
    return result


# --- in-process dialogs ------------------------------------------------------------------------


class WindowPerChat(MockMessageManager):
    """aiogram-dialog's mock message manager, keeping only each chat's last window (its
    history would grow with every step, and one list cannot tell concurrent users apart)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # aiogram-dialog's is untyped
        self.windows: dict[int, Message] = {}

    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        shown = await super().show_message(bot, new_message, old_message)
        self.windows[new_message.chat.id] = self.sent_messages.pop()
        self.answered_callbacks.clear()
        return shown

    async def remove_kbd(self, *args: Any, **kwargs: Any) -> Message | None:
        removed = await super().remove_kbd(*args, **kwargs)
        self.sent_messages.clear()
        return removed


class DialogUsers:
    """BotClients of one Dispatcher, one per user, and what each one's chat shows."""

    def __init__(self, dp: Dispatcher, bot: Bot, messages: WindowPerChat, ids: list[int]):
        self.messages = messages
        self.ids = ids
        self.clients = [BotClient(dp, user_id=uid, chat_id=uid, bot=bot) for uid in ids]

    async def send(self, index: int, text: str) -> None:
        await self.clients[index].send(text)

    async def press(self, index: int, label: str) -> None:
        window = self.messages.windows[self.ids[index]]
        await self.clients[index].click(window, InlineButtonTextLocator(f".*{label}"))

    def shows(self, index: int, fragment: str) -> bool:
        window = self.messages.windows.get(self.ids[index])
        return window is not None and fragment in (window.text or window.caption or "")


class FloorSG(StatesGroup):
    LIST = State()
    CARD = State()


async def _floor_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"name": PET, "user": dialog_manager.event.from_user.id}  # type: ignore[union-attr]


def build_floor_dispatcher(messages: WindowPerChat) -> Dispatcher:
    dp = Dispatcher(storage=MemoryStorage(), events_isolation=SimpleEventIsolation())
    dialog = Dialog(
        Window(
            Format("My pets, user {user}"),
            SwitchTo(Format("{name}"), id="open", state=FloorSG.CARD),
            state=FloorSG.LIST,
            getter=_floor_getter,
        ),
        Window(
            Format("{name}: Species: dog"),
            SwitchTo(Const("Back"), id="back", state=FloorSG.LIST),
            state=FloorSG.CARD,
            getter=_floor_getter,
        ),
    )

    async def start(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(FloorSG.LIST, mode=StartMode.RESET_STACK)

    dp.message.register(start, CommandStart())
    dp.include_router(dialog)
    setup_dialogs(dp, message_manager=messages)
    return dp


@asynccontextmanager
async def floor_users(count: int) -> AsyncIterator[DialogUsers]:
    messages = WindowPerChat()
    bot = Bot("123456:TEST-token", session=RecordingSession())
    users = DialogUsers(build_floor_dispatcher(messages), bot, messages, list(range(1, count + 1)))
    for index in range(count):
        await users.send(index, "/start")
    yield users


def floor_step(users: DialogUsers) -> StepRunner:
    # The floor has two windows: every product step is one click there, alternating.
    async def run(index: int, step: Step) -> None:
        await users.press(index, PET if users.shows(index, "My pets") else "Back")

    return run


@asynccontextmanager
async def product_users(settings: Settings, count: int) -> AsyncIterator[DialogUsers]:
    messages = WindowPerChat()
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    container = create_container(settings, bot=bot)
    storage, isolation = create_fsm(settings)
    dp = create_dispatcher(
        settings, container, storage=storage, events_isolation=isolation, message_manager=messages
    )
    await dp.emit_startup(bot=bot, dispatcher=dp)
    ids = [IN_PROCESS_FIRST_ID + n for n in range(count)]
    try:
        for telegram_id in ids:
            await seed_owner(container, telegram_id)
        yield DialogUsers(dp, bot, messages, ids)
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await container.close()
        await storage.close()


def product_step(users: DialogUsers) -> StepRunner:
    async def run(index: int, step: Step) -> None:
        if step.send is not None:
            await users.send(index, step.send)
        else:
            assert step.press is not None
            await users.press(index, step.press)
        if not users.shows(index, step.shows):
            raise StepFailedError(
                f"in-process user {index}: {step.name} did not show {step.shows!r}"
            )
        # Without this the recorded calls (command menus, answers) grow for the whole run.
        users_session(users).reset()

    return run


def users_session(users: DialogUsers) -> RecordingSession:
    session = users.clients[0].bot.session
    assert isinstance(session, RecordingSession)
    return session


# --- seeding, through the product's interactors ------------------------------------------------


async def seed_owner(container: AsyncContainer, telegram_id: int) -> None:
    """An owner who chose English, consented, and has a dog with one vaccination on record."""
    profile = TelegramProfile(telegram_id, f"Owner {telegram_id}", None, "en")
    async with container() as request:
        await (await request.get(RegisterUser))(profile)
    async with container() as request:
        await (await request.get(ChooseLanguage))(telegram_id, "en")
    async with container() as request:
        await (await request.get(GiveConsent))(profile)
    async with container() as request:
        draft = PetDraft(name=PET, species=Species.DOG, sex=Sex.MALE)
        pet = await (await request.get(AddPet))(telegram_id, draft)
    async with container() as request:
        vaccination = VaccinationDraft(product="Nobivac DHPPi", given_on=date(2026, 1, 5))
        await (await request.get(AddRecord))(telegram_id, pet.id, vaccination)


# --- the sandbox over HTTP ---------------------------------------------------------------------


class SandboxUsers:
    def __init__(self, sandbox: RunningSandbox, api: httpx.AsyncClient) -> None:
        self.sandbox = sandbox
        self.api = api
        self.people: list[SandboxPerson] = []
        self.revisions: list[int] = []
        # Per user, the bot message that showed the last step's window (as the control API
        # returned it): its buttons are what the next press looks for.
        self.windows: list[dict[str, Any] | None] = []

    async def add(self, count: int) -> None:
        for _ in range(count - len(self.people)):
            person = await SandboxPerson.join(self.api, f"Owner {len(self.people)}", "en")
            await seed_owner(self.sandbox.bot_app.container, person.id)
            self.people.append(person)
            self.revisions.append(0)
            self.windows.append(None)

    async def step(self, index: int, step: Step) -> None:
        person = self.people[index]
        if step.send is not None:
            await person.say(step.send)
        else:
            assert step.press is not None
            await self._press(index, step.press)
        await self._wait_for(index, step)

    async def _press(self, index: int, label: str) -> None:
        # The window the last step showed carries the button, as a person's client shows it:
        # no read of the whole chat per press (its history grows with every step of the run).
        person = self.people[index]
        window = self.windows[index]
        candidates = [window] if window is not None else []
        if not any(label in text for message in candidates for text in button_texts(message)):
            response = await self.api.get(
                f"/sandbox/api/chats/{person.id}/messages", params={"after": 0}
            )
            response.raise_for_status()
            candidates = list(reversed(response.json()))
        for message in candidates:
            labels = [text for text in button_texts(message) if label in text]
            if message["from_bot"] and not message["deleted"] and labels:
                pressed = await self.api.post(
                    f"/sandbox/api/users/{person.id}/callbacks",
                    json={"message_id": message["message_id"], "button_text": labels[0]},
                )
                pressed.raise_for_status()
                return
        raise StepFailedError(f"sandbox user {index}: no button {label!r}")

    async def _wait_for(self, index: int, step: Step) -> None:
        person = self.people[index]
        deadline = time.perf_counter() + STEP_WAIT_S
        while time.perf_counter() < deadline:
            response = await self.api.get(
                f"/sandbox/api/chats/{person.id}/messages",
                params={"revision_after": self.revisions[index], "wait": 1},
            )
            response.raise_for_status()
            messages = response.json()
            # Past every change returned, the user's own message too: waiting after only the
            # bot's would get that message back at once, again and again until the bot answers.
            if messages:
                self.revisions[index] = max(m["revision"] for m in messages)
            changed = [m for m in messages if m["from_bot"]]
            shown = [m for m in changed if not m["deleted"] and step.shows in text_of(m)]
            if shown:
                self.windows[index] = shown[-1]
                return
        raise StepFailedError(f"sandbox user {index}: {step.name} did not show {step.shows!r}")


def set_response_cache(bot: Bot, enabled: bool) -> None:
    """Add or remove bot/response_types.py's middleware on a live bot (a removed one takes its
    strong references with it: the classes are freed at the next GC, as without the fix)."""
    middleware = bot.session.middleware
    for registered in [m for m in middleware if isinstance(m, KeepResponseTypes)]:
        middleware.unregister(registered)
    if enabled:
        middleware(KeepResponseTypes())


@asynccontextmanager
async def sandbox_users(settings: Settings, count: int) -> AsyncIterator[SandboxUsers]:
    async with (
        running_sandbox(settings, port=0) as sandbox,
        httpx.AsyncClient(base_url=sandbox.base_url, timeout=STEP_WAIT_S + 10) as api,
    ):
        sandbox.app.state.emulator.flood = FloodControl(NO_FLOOD_LIMIT)
        users = SandboxUsers(sandbox, api)
        await users.add(count)
        yield users


# --- backends, the run, the report -------------------------------------------------------------


@asynccontextmanager
async def backend_settings(backend: str, args: argparse.Namespace) -> AsyncIterator[Settings]:
    common: dict[str, Any] = {
        "throttle": ThrottleSection(enabled=False),
        "outbound": NO_PACING,
    }
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            yield Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'telemed.db'}",
                storage_url=f"file://{Path(tmp) / 'files'}",
                **common,
            )
            return
        admin_url = make_url(args.database_url)
        database = f"telemed_bench_{uuid.uuid4().hex[:10]}"
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
        database_url = admin_url.set(database=database).render_as_string(hide_password=False)
        try:
            await upgrade_to_head_async(database_url)
            yield Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=database_url,
                redis_url=args.redis_url,
                storage_url=f"file://{Path(tmp) / 'files'}",
                **common,
            )
        finally:
            async with admin.connect() as connection:
                await connection.execute(
                    sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                )
            await admin.dispose()


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def summarise(runs: list[Measurement], floors: list[Measurement]) -> dict[str, Any]:
    latencies = sorted(ms for run in runs for ms in run.latencies_ms)
    ratios = [run.steps_per_s / floor.steps_per_s for run, floor in zip(runs, floors, strict=True)]
    return {
        "steps_per_s": round(statistics.median(run.steps_per_s for run in runs), 1),
        "ratio_to_floor": round(statistics.median(ratios), 4),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "steps": sum(run.steps for run in runs),
        "failed_steps": sum(len(run.failed) for run in runs),
        "first_failures": sorted({text for run in runs for text in run.failed})[:3],
        "per_repetition_steps_per_s": [round(run.steps_per_s, 1) for run in runs],
    }


async def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    most = max(args.users)
    sandbox_modes = {
        "on": [("sandbox", True)],
        "off": [("sandbox_no_response_cache", False)],
        "both": [("sandbox", True), ("sandbox_no_response_cache", False)],
    }[args.response_cache]
    results: dict[int, dict[str, list[Measurement]]] = {n: {} for n in args.users}
    started = time.perf_counter()
    async with AsyncExitStack() as stack:
        settings = await stack.enter_async_context(backend_settings(backend, args))
        floor = await stack.enter_async_context(floor_users(most))
        sandbox = await stack.enter_async_context(sandbox_users(settings, most))
        product = await stack.enter_async_context(product_users(settings, most))
        setup_s = time.perf_counter() - started
        runners: list[tuple[str, StepRunner, bool | None]] = [
            ("floor", floor_step(floor), None),
            *([("in_process", product_step(product), None)] if "in_process" in args.modes else []),
            *(
                (name, sandbox.step, cache)
                for name, cache in sandbox_modes
                if "sandbox" in args.modes
            ),
        ]
        # One pass through the steps per user, unmeasured: caches, first-use imports.
        for _, runner, cache in runners:
            if cache is not None:
                set_response_cache(sandbox.sandbox.bot, cache)
            await measure(most, 1, runner)
        for _ in range(args.repeat):
            for users in args.users:
                for name, runner, cache in runners:
                    if cache is not None:
                        set_response_cache(sandbox.sandbox.bot, cache)
                    measured = await measure(users, args.steps, runner, args.think_ms / 1000)
                    results[users].setdefault(name, []).append(measured)
        set_response_cache(sandbox.sandbox.bot, True)
    return {
        "backend": "SQLite" if backend == "sqlite" else "PostgreSQL + Redis",
        "setup_s": round(setup_s, 1),
        "by_users": {
            str(users): {name: summarise(runs, by_mode["floor"]) for name, runs in by_mode.items()}
            for users, by_mode in results.items()
        },
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    backends = [await run_backend(backend, args) for backend in args.backends]
    return {
        "steps": [step.name for step in STEPS],
        "steps_per_measurement": args.steps,
        "repeat": args.repeat,
        "think_ms": args.think_ms,
        "response_cache": args.response_cache,
        "backends": backends,
        "run_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--users", default="1,10,100", help="concurrent users, comma-separated")
    parser.add_argument("--steps", type=int, default=300, help="steps per measurement (at least)")
    parser.add_argument(
        "--modes", default="in_process,sandbox", help="besides the floor, measured always"
    )
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="each user's mean pause between steps (0: a closed loop; see `measure`)",
    )
    parser.add_argument(
        "--response-cache",
        choices=("on", "off", "both"),
        default="both",
        help="the sandbox with bot/response_types.py's middleware, without it, or both",
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help="a server for a throw-away database"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="REDIS_URL for postgres")
    parser.add_argument("--short", action="store_true", help="a breakage check: seconds (CI)")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    if args.short:
        args.backends, args.users, args.steps, args.repeat = "sqlite", "1,2", 12, 1
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = set(args.backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown backends: {sorted(unknown)}")
    args.modes = {name.strip() for name in args.modes.split(",")}
    args.users = [int(n) for n in args.users.split(",")]
    text = json.dumps(asyncio.run(run(args)), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
