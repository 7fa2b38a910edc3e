"""A monkey in the sandbox: a seeded random walk through the whole bot, over HTTP.

A user with a hostile name adds a pet with a hostile name, then at every step presses a button
of the newest bot message, or a stale one of an older message, types something (hostile text,
numbers, commands), or sends a photo, a document or a location. Whatever it does, Telegram
must refuse none of the bot's calls (400 in the emulator's call log), no apology or traceback
may reach the chat, every pressed button must be answered (no spinner left: the control API
returns the bot's answerCallbackQuery, or null after 10 s), every message must be answered
(DESIGN.md: "Unknown input in any state gets a short, localized hint — never silence"), and
the bot must still answer /start at the end.

The seed is printed; `TELEMED_MONKEY_SEED=<seed>` replays a walk, `TELEMED_MONKEY_STEPS` sets
its length (300 by default).
"""

from __future__ import annotations

import asyncio
import bisect
import io
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import OutboundSection
from sandbox.emulator.flood import FloodControl, FloodRates
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.chatting import load_texts
from tests.support.clean_run import apology_texts, displayed, last_call_id, refused_calls
from tests.support.hostile_names import HOSTILE_NAMES, shown
from tests.support.sandbox_person import SandboxPerson, keyboard, text_of

STEPS = int(os.environ.get("TELEMED_MONKEY_STEPS") or 300)
# Telegram's flood rates (1 message a second in a private chat) would make 300 steps take
# minutes. Both the emulator's limits and the bot's own pacing are raised far above what the
# walk needs; flood control itself is tested in test_sandbox_flood.py.
UNLIMITED_FLOOD = FloodRates(
    private_chat_per_second=10_000.0,
    private_chat_burst=10_000,
    overall_per_second=10_000.0,
    overall_burst=10_000,
)
UNPACED = OutboundSection(
    chat_rate_per_s=10_000.0, chat_burst=10_000, global_rate_per_s=10_000.0, global_burst=10_000
)
# The bot has this long to handle one action; then it counts as hanging.
REACTION_TIMEOUT_S = 10.0
IDLE_POLL_S = 0.01
# The invariants that need the call log are also checked every this many steps.
CHECK_EVERY = 50

HOSTILE_TEXTS = (
    *HOSTILE_NAMES,
    "<",
    "&amp;",
    "<a href='javascript:alert(1)'>x</a>",
    "<code>",
    "*bold* _it_ [link](http://x)",
    "\u202e\u202d",
    "🐶" * 300,
    "a" * 4096,
    "мой пёс съел шоколад",
    "собаку вырвало два раза",
)
NUMBERS = ("0", "-1", "3", "3.5", "4,2 кг", "999999999999", "2 дня", "12.03.2021", "31.02.2020")
COMMANDS = (
    "/start",
    "/check",
    "/book",
    "/pets",
    "/help",
    "/cancel",
    "/appointments",
    "/records",
    "/language",
    "/start vet_bogus",
)
MOSCOW = {"latitude": 55.7558, "longitude": 37.6173}

Message = dict[str, Any]


def _pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


# (file name, bytes, content type): what a user may attach instead of what the bot asked for.
DOCUMENTS = (
    ("report.pdf", _pdf(), "application/pdf"),
    ("sticker.webp", b"RIFF\x1a\x00\x00\x00WEBPVP8 not really", "image/webp"),
    ("notes.txt", "<b>не HTML</b> & co".encode(), "text/plain"),
)
PHOTO = realistic_jpeg(640, 480)


def _callback_buttons(message: Message) -> list[dict[str, Any]]:
    return [button for row in keyboard(message) for button in row if "callback_data" in button]


class UpdatesInFlight(BaseMiddleware):
    """Which updates the bot has finished handling, and how many it is handling now.

    The walk waits for the bot to be idle after each action, as a person reads the answer
    before tapping again: what the monkey sees next is what the bot answered, so a seed
    replays the same walk. `track` puts it outside every other middleware of the dispatcher
    (which runs in this process), aiogram's error handling included.
    """

    @classmethod
    def track(cls, dispatcher: Dispatcher) -> UpdatesInFlight:
        tracker = cls()
        others = list(dispatcher.update.outer_middleware)
        for middleware in others:
            dispatcher.update.outer_middleware.unregister(middleware)
        dispatcher.update.outer_middleware.register(tracker)
        for middleware in others:
            dispatcher.update.outer_middleware.register(middleware)
        return tracker

    def __init__(self) -> None:
        self.handling = 0
        self.finished: set[int] = set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self.handling += 1
        try:
            return await handler(event, data)
        finally:
            self.handling -= 1
            self.finished.add(int(getattr(event, "update_id", 0)))


@dataclass
class Monkey:
    api: httpx.AsyncClient
    user_id: int
    rng: random.Random
    updates: UpdatesInFlight
    revision: int = 0
    trail: list[str] = field(default_factory=list)
    # When each action began (the clock of the call log's "time"), to name a call's action.
    began: list[float] = field(default_factory=list)

    def where(self) -> str:
        return " → ".join(self.trail[-int(os.environ.get("TELEMED_MONKEY_TRAIL") or 12) :])

    def action_at(self, moment: float) -> str:
        index = bisect.bisect_right(self.began, moment) - 1
        return f"step {index + 1}, {self.trail[index]}" if index >= 0 else "before the walk"

    async def chat(self) -> list[Message]:
        response = await self.api.get(f"/sandbox/api/chats/{self.user_id}/messages")
        response.raise_for_status()
        return list(response.json())

    async def _bot_changed(self) -> bool:
        """Whether the bot sent, edited or deleted a message since the last look."""
        response = await self.api.get(
            f"/sandbox/api/chats/{self.user_id}/messages",
            params={"revision_after": self.revision},
        )
        response.raise_for_status()
        changed = list(response.json())
        self.revision = max([self.revision, *(m["revision"] for m in changed)])
        return any(m["from_bot"] for m in changed)

    async def _idle_after(self, update_id: int) -> None:
        """Until the bot has handled `update_id` and whatever it started (aiogram-dialog's
        background updates start a moment later, so idleness must hold twice)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REACTION_TIMEOUT_S
        quiet_checks = 0
        while quiet_checks < 2:
            await asyncio.sleep(IDLE_POLL_S)
            idle = update_id in self.updates.finished and self.updates.handling == 0
            quiet_checks = quiet_checks + 1 if idle else 0
            assert loop.time() < deadline, (
                f"update {update_id} finished: {update_id in self.updates.finished}, "
                f"{self.updates.handling} being handled {REACTION_TIMEOUT_S} s after: "
                f"{self.where()}"
            )

    async def press(self, message: Message, button: dict[str, Any]) -> None:
        self.trail.append(f"press {button['text']!r} on {message['message_id']}")
        response = await self.api.post(
            f"/sandbox/api/users/{self.user_id}/callbacks",
            json={"message_id": message["message_id"], "data": button["callback_data"]},
        )
        response.raise_for_status()
        # The control API waits 10 s for answerCallbackQuery: null means the spinner stays.
        assert response.json()["answer"] is not None, f"callback left unanswered: {self.where()}"
        await self._idle_after(response.json()["update_id"])
        await self._bot_changed()

    async def say(self, text: str) -> None:
        self.trail.append(f"say {text[:40]!r}")
        await self._send(json={"text": text})

    async def send_location(self) -> None:
        self.trail.append("location")
        await self._send(json={"location": MOSCOW})

    async def send_file(self, kind: str, name: str, data: bytes, content_type: str) -> None:
        self.trail.append(f"{kind} {name}")
        await self._send(files={kind: (name, data, content_type)})

    async def _send(self, **request: Any) -> None:
        response = await self.api.post(f"/sandbox/api/users/{self.user_id}/messages", **request)
        response.raise_for_status()
        await self._idle_after(response.json()["update_id"])
        # DESIGN.md: "Unknown input in any state gets a short, localized hint — never silence".
        assert await self._bot_changed(), f"the bot kept silent after: {self.where()}"

    async def step(self) -> None:
        self.began.append(time.time())
        await self._step()

    async def _step(self) -> None:
        chat = [m for m in await self.chat() if m["from_bot"] and not m["deleted"]]
        latest = chat[-1] if chat else None
        older = [m for m in chat[:-1] if _callback_buttons(m)]
        roll = self.rng.random()
        if roll < 0.5 and latest is not None and _callback_buttons(latest):
            await self.press(latest, self.rng.choice(_callback_buttons(latest)))
        elif roll < 0.58 and older:
            stale = self.rng.choice(older)
            await self.press(stale, self.rng.choice(_callback_buttons(stale)))
        elif roll < 0.68:
            await self.say(self.rng.choice(HOSTILE_TEXTS))
        elif roll < 0.76:
            await self.say(self.rng.choice(NUMBERS))
        elif roll < 0.86:
            await self.say(self.rng.choice(COMMANDS))
        elif roll < 0.91:
            await self.send_file("photo", "photo.jpg", PHOTO, "image/jpeg")
        elif roll < 0.96:
            await self.send_file("document", *self.rng.choice(DOCUMENTS))
        else:
            await self.send_location()


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[RunningSandbox]:
    settings = make_settings(tmp_path / "var" / "telemed.db", outbound=UNPACED)
    async with running_sandbox(settings, port=0) as running:
        running.app.state.emulator.flood = FloodControl(UNLIMITED_FLOOD)
        yield running


async def _seeded() -> int:
    chosen = os.environ.get("TELEMED_MONKEY_SEED")
    seed = int(chosen) if chosen else random.SystemRandom().randrange(2**32)
    print(f"monkey seed: {seed} (replay: TELEMED_MONKEY_SEED={seed})")
    return seed


async def test_a_monkey_meets_no_error_no_silence_and_no_spinner(
    sandbox: RunningSandbox, texts: FluentRuntimeCore, caplog: pytest.LogCaptureFixture
) -> None:
    seed = await _seeded()
    rng = random.Random(seed)
    user_name, pet_name = rng.sample(HOSTILE_NAMES, 2)
    sorry = apology_texts(texts)
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_checked = await last_call_id(api)
        person = await SandboxPerson.join(api, user_name, "en")
        await person.onboard("English", "Continue", "I agree")
        await person.say("/pets")
        await person.press(texts.get("btn-pet-add", "en"))
        await person.wait_for_text(displayed(texts.get("msg-pet-ask-name", "en")))
        await person.say(pet_name)
        await person.press(texts.get("lbl-pet-species-dog", "en"))
        skip = texts.get("btn-pet-skip", "en", mode="add")
        await person.press(skip)  # breed
        await person.press(texts.get("btn-pet-sex-male", "en"))
        await person.press(texts.get("btn-pet-neutered-unknown", "en"))
        for _ in range(3):  # birth date, weight, photo
            await person.press(skip)
        # Stored without invisible or direction characters (core/plain_text.py).
        await person.wait_for_text(
            displayed(texts.get("msg-pet-added", "en", name=shown(pet_name)))
        )

        monkey = Monkey(api, person.id, rng, UpdatesInFlight.track(sandbox.dispatcher))
        with caplog.at_level(logging.ERROR):
            for step in range(1, STEPS + 1):
                await monkey.step()
                if step % CHECK_EVERY == 0 or step == STEPS:
                    refused = await refused_calls(api, after=calls_checked)
                    assert not refused, f"seed {seed}: Telegram refused " + "; ".join(
                        f"{c['method']} {c['params']} ({c['description']}) at "
                        f"{monkey.action_at(c['time'])}"
                        for c in refused
                    )
                    calls_checked = await last_call_id(api)

            # Still responsive: /start is answered, whatever state the walk left behind.
            await monkey.say("/start")

        said = [text_of(m) for m in await monkey.chat() if m["from_bot"]]
        assert not [t for t in said if t in sorry or "Traceback" in t], (seed, monkey.where())
        # aiogram-dialog logs every getter that raises, also a pet the walk has deleted, which
        # bot.handlers.errors answers as designed; what it does not expect, it logs itself.
        errors = [
            r.getMessage()
            for r in caplog.records
            if r.levelno >= logging.ERROR and r.name != "aiogram_dialog.window"
        ]
        assert not errors, (seed, errors)
