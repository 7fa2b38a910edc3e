"""The signalling socket in the sandbox: its Mini App API is mounted on an app that is already
serving, and without REDIS_URL the relay is the in-process one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import Settings
from tests.conftest import make_settings
from tests.support.webapp_replicas import seed_call, sign_in

RECEIVE_TIMEOUT_S = 10


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("signal-sandbox")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


async def _receive(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), RECEIVE_TIMEOUT_S))
    return message


async def test_owner_and_vet_signal_through_the_sandbox(sandbox: RunningSandbox) -> None:
    # The sandbox's own settings: its database, its call windows.
    call = await seed_call(await sandbox.bot_app.container.get(Settings), sandbox.token)
    path = f"/miniapp/api/appointments/{call.appointment_id}/call/signal"
    ws_url = "ws" + sandbox.base_url.removeprefix("http") + path
    async with httpx.AsyncClient(timeout=30) as http:
        tokens = {
            who: await sign_in(http, sandbox.base_url, who, sandbox.token)
            for who in (call.owner, call.vet)
        }
    async with connect(ws_url) as owner, connect(ws_url) as vet:
        await owner.send(json.dumps({"type": "auth", "token": tokens[call.owner]}))
        assert (await _receive(owner))["role"] == "owner"
        await vet.send(json.dumps({"type": "auth", "token": tokens[call.vet]}))
        assert await _receive(vet) == {
            "type": "welcome",
            "role": "vet",
            "peer": True,
            "polite": False,
        }
        assert await _receive(owner) == {"type": "peer", "present": True}
        await vet.send(json.dumps({"type": "signal", "data": {"sdp": "offer"}}))
        assert await _receive(owner) == {"type": "signal", "data": {"sdp": "offer"}}
