"""The web chat's WebSocket (sandbox/control/chat_stream.py), over real HTTP: what has changed
comes at once, later changes follow, and a page that reconnects with the revision it saw last
gets exactly what it missed."""

import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from sandbox.control.chat_stream import CHAT_NOT_FOUND_CLOSE
from sandbox.testing import EmulatorServer, SandboxUser


def _stream_url(server: EmulatorServer, chat_id: int, revision_after: int = 0) -> str:
    base = server.base_url.replace("http://", "ws://")
    return f"{base}/sandbox/api/chats/{chat_id}/stream?revision_after={revision_after}"


async def _frame(socket: ClientConnection) -> list[dict[str, Any]]:
    return list(json.loads(await socket.recv(decode=True)))


async def _say(api: httpx.AsyncClient, user: SandboxUser, text: str) -> None:
    response = await api.post(f"/sandbox/api/users/{user.id}/messages", json={"text": text})
    response.raise_for_status()


async def test_the_stream_sends_the_chat_then_its_changes_and_resumes_after_a_revision(
    emulator_server: EmulatorServer, control_api: httpx.AsyncClient, sandbox_user: SandboxUser
) -> None:
    await _say(control_api, sandbox_user, "первое")
    async with connect(_stream_url(emulator_server, sandbox_user.chat_id)) as socket:
        first = await _frame(socket)
        assert [message["text"] for message in first] == ["первое"]
        await _say(control_api, sandbox_user, "второе")
        second = await _frame(socket)
        assert [message["text"] for message in second] == ["второе"]
    seen = second[-1]["revision"]

    await _say(control_api, sandbox_user, "пока никто не смотрел")
    async with connect(_stream_url(emulator_server, sandbox_user.chat_id, seen)) as socket:
        missed = await _frame(socket)
    assert [message["text"] for message in missed] == ["пока никто не смотрел"]

    # A page that saw everything gets an empty first frame: the stream is live.
    async with connect(_stream_url(emulator_server, sandbox_user.chat_id, 10**9)) as socket:
        assert await _frame(socket) == []


async def test_a_stream_for_an_unknown_chat_closes_with_its_own_code(
    emulator_server: EmulatorServer,
) -> None:
    async with connect(_stream_url(emulator_server, 999_999_999_999)) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == CHAT_NOT_FOUND_CLOSE
