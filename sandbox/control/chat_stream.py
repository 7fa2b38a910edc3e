"""The web chat page's one connection: a WebSocket that pushes a chat's changed messages.

A browser opens at most six HTTP/1.1 connections per host, shared by all its tabs; a page
that held a long poll per tab let a few tabs starve the rest (each reply then waited for
someone else's poll to end). WebSockets do not count against that limit, so every tab keeps
one open and its sends (short POSTs) always find a free connection.

Each frame is a JSON list of message views (sandbox/control/views.py), the messages created,
edited or deleted since the last frame; the first frame holds everything after
``revision_after``, so a page that reconnects passes the last revision it saw and misses
nothing. The long-poll route (``GET /chats/{id}/messages?wait=``) stays for tests and tools.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from sandbox.control.views import message_view
from sandbox.emulator.state import EmulatorState

router = APIRouter(prefix="/sandbox/api")

# Close code for "no such chat" (4000–4999 are the application's own).
CHAT_NOT_FOUND_CLOSE: int = 4404
# Any wait would do: a change or the page going away ends it sooner.
_IDLE_WAIT_S = 30.0


@router.websocket("/chats/{chat_id}/stream")
async def chat_stream(websocket: WebSocket, chat_id: int, revision_after: int = 0) -> None:
    state: EmulatorState = websocket.app.state.emulator
    await websocket.accept()
    if chat_id not in state.chats:
        await websocket.close(CHAT_NOT_FOUND_CLOSE, f"chat {chat_id} not found")
        return
    # The page sends nothing; reading is how a closed tab (or a stopping server) is noticed
    # at once, and then the pushing stops.
    closed = asyncio.create_task(_until_closed(websocket))
    pushing = asyncio.create_task(_push_changes(websocket, state, chat_id, revision_after))
    try:
        await asyncio.wait({closed, pushing}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (closed, pushing):
            task.cancel()
            # A send to a page that has just gone away fails (uvicorn: OSError); nothing is
            # left to tell it.
            with contextlib.suppress(
                asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError
            ):
                await task


async def _push_changes(
    websocket: WebSocket, state: EmulatorState, chat_id: int, revision: int
) -> None:
    chat = state.chats[chat_id]
    first = True
    while True:
        changed = [message for message in chat.messages if message.revision > revision]
        if changed or first:
            # An empty first frame tells the page the stream is live.
            await websocket.send_json([message_view(message) for message in changed])
            revision = max([revision, *(message.revision for message in changed)])
            first = False
        # Checked and then awaited with no await between: no change can slip past
        # (sandbox/emulator/signals.py).
        await state.messages_changed.wait(_IDLE_WAIT_S)


async def _until_closed(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        while True:
            await websocket.receive_text()
