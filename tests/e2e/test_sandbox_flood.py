"""The bot's outbound path against the emulator's flood control and blocked users, over HTTP.

The emulator answers as Telegram does (sandbox/emulator/flood.py, blocking.py): 429 "Too Many
Requests: retry after N" with parameters.retry_after past its per-chat and overall rates, and
403 "Forbidden: bot was blocked by the user" to a user who blocked the bot. Its rates are
raised here so that hundreds of messages take seconds, and the bot's own per-chat pace is set
above the emulator's, so that 429s do happen and must be handled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError

from bot.factory import create_bot
from bot.ioc import create_container
from bot.outbound import ContainerBlockedUsers, OutboundMiddleware, RecipientBlockedError
from bot.run_modes import RunningSandbox, running_sandbox
from core.config import OutboundSection, Settings
from core.interactors.onboarding import GetUser, RegisterUser, TelegramProfile
from db.migrate import upgrade_to_head_async
from sandbox import create_sandbox_app, make_token
from sandbox.emulator.flood import FloodRates
from sandbox.testing import BackgroundServer, EmulatorServer
from tests.conftest import make_settings

# Telegram's rates (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-
# this) scaled up 100 times for the per-chat rate and 10 times overall.
EMULATOR_RATES = FloodRates(
    private_chat_per_second=100.0,
    private_chat_burst=50,
    overall_per_second=300.0,
    overall_burst=100,
)
# Per chat twice the emulator's rate: a queue of 200 to one chat meets 429s. Overall below the
# emulator's (50 + 250 t < 100 + 300 t in any window t), as production keeps under Telegram's.
BOT_PACE = OutboundSection(
    chat_rate_per_s=200.0, chat_burst=50, global_rate_per_s=250.0, global_burst=50
)
ONE_CHAT_MESSAGES = 200
OTHER_CHATS = 40
PER_OTHER_CHAT = 5


@dataclass(frozen=True)
class Flooded:
    server: EmulatorServer
    api: httpx.AsyncClient

    async def new_user(self, first_name: str = "Flooded") -> int:
        response = await self.api.post("/sandbox/api/users", json={"first_name": first_name})
        response.raise_for_status()
        return int(response.json()["id"])

    async def texts(self, chat_id: int) -> list[str]:
        response = await self.api.get(f"/sandbox/api/chats/{chat_id}/messages")
        response.raise_for_status()
        return [m["text"] for m in response.json() if m["from_bot"]]

    async def calls(self, method: str) -> list[dict[str, Any]]:
        response = await self.api.get("/sandbox/api/calls", params={"method": method})
        response.raise_for_status()
        return list(response.json())


@pytest.fixture(scope="module")
def flood_server() -> Iterator[EmulatorServer]:
    token = make_token()
    app = create_sandbox_app(token, flood_rates=EMULATOR_RATES)
    server = BackgroundServer(app)
    server.start()
    yield EmulatorServer(base_url=server.base_url, token=token, app=app)
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def flooded(flood_server: EmulatorServer) -> AsyncIterator[Flooded]:
    async with httpx.AsyncClient(base_url=flood_server.base_url, timeout=30) as api:
        yield Flooded(flood_server, api)


@pytest_asyncio.fixture(loop_scope="session")
async def paced_bot(flood_server: EmulatorServer) -> AsyncIterator[Bot]:
    bot = create_bot(
        flood_server.token,
        api_base_url=flood_server.base_url,
        outbound=OutboundMiddleware(BOT_PACE),
    )
    yield bot
    await bot.session.close()


async def test_a_flood_to_one_chat_and_forty_chats_at_once_loses_nothing(
    flooded: Flooded, paced_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    busy = await flooded.new_user("Busy")
    others = [await flooded.new_user(f"Other {n}") for n in range(OTHER_CHATS)]
    expected = {busy: [f"busy {n}" for n in range(ONE_CHAT_MESSAGES)]}
    expected |= {chat: [f"{chat} {n}" for n in range(PER_OTHER_CHAT)] for chat in others}

    async def send_in_order(chat_id: int, texts: list[str]) -> None:
        # Queued at once, as a burst of notices would be; the outbound path keeps the order.
        await asyncio.gather(*(paced_bot.send_message(chat_id, text) for text in texts))

    with caplog.at_level(logging.WARNING):
        await asyncio.wait_for(
            asyncio.gather(*(send_in_order(chat, texts) for chat, texts in expected.items())),
            timeout=60,
        )

    for chat, texts in expected.items():
        assert await flooded.texts(chat) == texts
    sends = await flooded.calls("sendMessage")
    refused = [call for call in sends if call["error_code"] == 429]
    assert refused, "the emulator never answered 429: the test proves nothing"
    assert all(call["ok"] or call["error_code"] == 429 for call in sends)
    # Every refused message came through on a retry: one success per message, no more.
    assert sum(call["ok"] for call in sends) == sum(len(texts) for texts in expected.values())
    flood_warnings = [r for r in caplog.records if r.name == "bot.outbound"]
    assert 1 <= len(flood_warnings) <= len(refused)  # once per incident at most


@pytest_asyncio.fixture(loop_scope="session")
async def blocked_users(tmp_path: Path) -> AsyncIterator[tuple[Settings, Any]]:
    settings = make_settings(tmp_path / "var" / "telemed.db")
    await upgrade_to_head_async(settings.database_url)
    container = create_container(settings)
    yield settings, container
    await container.close()


async def test_a_user_who_blocked_the_bot_gets_nothing_further_and_nothing_errors(
    flooded: Flooded,
    flood_server: EmulatorServer,
    blocked_users: tuple[Settings, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, container = blocked_users
    outbound = OutboundMiddleware(BOT_PACE, blocked_users=ContainerBlockedUsers(container))
    bot = create_bot(flood_server.token, api_base_url=flood_server.base_url, outbound=outbound)
    owner = await flooded.new_user("Leaving")
    async with container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(owner, "Leaving", None, "en"))
    await bot.send_message(owner, "your appointment is confirmed")
    blocked = await flooded.api.post(f"/sandbox/api/users/{owner}/block")
    blocked.raise_for_status()

    try:
        with caplog.at_level(logging.INFO):
            for notice in ("your appointment moved", "a reminder", "your check result"):
                # The first one meets Telegram's 403, the others are refused here.
                with pytest.raises(TelegramForbiddenError):
                    await bot.send_message(owner, notice)
    finally:
        await bot.session.close()

    # The first notice met Telegram's 403 and marked them; the others never left the bot.
    sends = await flooded.calls("sendMessage")
    to_owner = [c for c in sends if int(c["params"]["chat_id"]) == owner]
    assert [c["error_code"] for c in to_owner] == [None, 403]
    assert await flooded.texts(owner) == ["your appointment is confirmed"]
    async with container() as request:
        user = await (await request.get(GetUser))(owner)
    assert user is not None and user.blocked_bot_at is not None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([r for r in caplog.records if r.name == "bot.outbound"]) == 3  # mark + 2 skips


# --- the whole sandbox, as `telemed-pet sandbox` runs it ----------------------------------


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[RunningSandbox]:
    async with running_sandbox(make_settings(tmp_path / "var" / "telemed.db"), port=0) as running:
        yield running


async def _eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_blocking_stops_notices_and_writing_again_restarts_them(
    sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    container = sandbox.bot_app.container
    bot = sandbox.bot_app.bot
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=15) as api:
        created = await api.post("/sandbox/api/users", json={"first_name": "Ann"})
        owner = int(created.json()["id"])

        async def is_marked() -> bool:
            async with container() as request:
                user = await (await request.get(GetUser))(owner)
            return user is not None and user.blocked_bot_at is not None

        async def is_not_marked() -> bool:
            return not await is_marked()

        async def bot_texts() -> list[str]:
            response = await api.get(f"/sandbox/api/chats/{owner}/messages")
            return [m["text"] or "" for m in response.json() if m["from_bot"]]

        async def answered_after(count: int) -> bool:
            return len(await bot_texts()) > count

        await api.post(f"/sandbox/api/users/{owner}/messages", json={"text": "/start"})
        await _eventually(lambda: answered_after(0))

        with caplog.at_level(logging.INFO):
            # Telegram tells the bot (my_chat_member, status "kicked"): marked before any 403.
            await api.post(f"/sandbox/api/users/{owner}/block")
            await _eventually(is_marked)
            seen = len(await bot_texts())
            with pytest.raises(RecipientBlockedError):
                await bot.send_message(owner, "your appointment moved")

            # Writing again unblocks (Telegram's "Restart"): the mark goes, the bot answers,
            # and notices reach them again.
            await api.post(f"/sandbox/api/users/{owner}/messages", json={"text": "/start"})
            await _eventually(is_not_marked)
            await _eventually(lambda: answered_after(seen))
            await bot.send_message(owner, "your appointment moved")
            assert (await bot_texts())[-1] == "your appointment moved"

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
