"""Fixtures for end-to-end tests through the sandbox: one emulator server per session."""

import itertools
import zlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from playwright.async_api import expect

from sandbox import create_sandbox_app, make_token
from sandbox.testing import BackgroundServer, EmulatorServer, SandboxUser
from tests.support.hostile_names import HOSTILE_NAMES, Cast

_user_names = itertools.count(1)

# Browser assertions wait for a reply; 5 s (Playwright's default) is too short on a loaded
# 2-core CI machine. An upper bound, not a timing: a passing wait returns at once.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    token = make_token()
    server = BackgroundServer(create_sandbox_app(token))
    server.start()
    yield EmulatorServer(base_url=server.base_url, token=token, app=server.app)
    server.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def emulator_bot(emulator_server: EmulatorServer) -> AsyncIterator[Bot]:
    """A real aiogram Bot whose API server is the emulator."""
    api = TelegramAPIServer.from_base(emulator_server.base_url)
    bot = Bot(emulator_server.token, session=AiohttpSession(api=api))
    yield bot
    await bot.session.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def control_api(emulator_server: EmulatorServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the control API (``/sandbox/api/...``)."""
    async with httpx.AsyncClient(base_url=emulator_server.base_url, timeout=30) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox_user(control_api: httpx.AsyncClient) -> SandboxUser:
    """A fresh Telegram user with its own private chat, so tests never share a chat."""
    first_name = f"Owner {next(_user_names)}"
    response = await control_api.post(
        "/sandbox/api/users", json={"first_name": first_name, "language_code": "ru"}
    )
    response.raise_for_status()
    body = response.json()
    return SandboxUser(id=body["id"], chat_id=body["chat_id"], first_name=first_name)


@pytest.fixture(params=["plain", "hostile"])
def cast(request: pytest.FixtureRequest) -> Cast:
    """The names of a walk's people and pets: the walk's own, or hostile ones (markup, bidi
    overrides, zero-width characters, emoji, 64 characters; tests/support/hostile_names.py).

    Each walk starts at its own place in the hostile list (by its name, so the same names on
    every run): the walks spread the names over their roles. Every hostile name is also a
    first name in the onboarding walk, and a pet's name through the pets dialog, the card and
    the medical card in test_sandbox_medical_card.py."""
    start = zlib.crc32(request.node.originalname.encode()) % len(HOSTILE_NAMES)
    return Cast(hostile=request.param == "hostile", start=start)
