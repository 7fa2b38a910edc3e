"""`/miniapp/api/appointments/{id}/call/signal`: the call page's WebSocket (Starlette side).

The token comes in the first message, not the URL: URLs end up in access logs and proxies.
Admission follows JoinConsultation exactly (a participant, the window open, the room made),
each check in a short request scope of its own, so no database session is held for the
length of a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from dishka import AsyncContainer
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from core.clock import Clock
from core.consultation_errors import (
    CallNotOpenError,
    CallRoomNotReadyError,
    ConsultationAccessDeniedError,
    ConsultationNotFoundError,
)
from core.interactors.consultation_lifecycle import JoinConsultation
from core.interactors.miniapp_session import AuthenticateMiniApp
from core.miniapp_auth import SessionTokenError
from webapp.miniapp.signalling.relay import SignalRelay
from webapp.miniapp.signalling.room_hub import (
    MAX_MESSAGE_BYTES,
    ClientGoneError,
    CloseCode,
    RoomMember,
    Seat,
    UnsupportedFrameError,
    parse_message,
)

logger = logging.getLogger(__name__)

# bot.video.builtin.PROVIDER, the one provider whose pages signal through us (the webapp
# depends on core, not on the bot's adapters).
BUILTIN_PROVIDER: Final = "builtin"
SIGNAL_ROUTE: Final = "/appointments/{appointment_id:int}/call/signal"
# A page sends its token right after the socket opens; a socket that says nothing is dropped.
AUTH_TIMEOUT_S: Final = 10.0


def signal_path(appointment_id: int, prefix: str) -> str:
    return f"{prefix}/appointments/{appointment_id}/call/signal"


class StarletteLink:
    """`ClientLink` over Starlette's WebSocket."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket

    async def receive_text(self) -> str:
        try:
            message = await self._websocket.receive()
        except (RuntimeError, WebSocketDisconnect):
            raise ClientGoneError from None
        if message["type"] == "websocket.disconnect":
            raise ClientGoneError
        text = message.get("text")
        if text is None:
            raise UnsupportedFrameError
        return str(text)

    async def send(self, message: dict[str, Any]) -> None:
        try:
            await self._websocket.send_text(json.dumps(message, separators=(",", ":")))
        except (RuntimeError, WebSocketDisconnect, OSError):
            raise ClientGoneError from None

    async def close(self, code: int) -> None:
        if self._websocket.application_state is WebSocketState.DISCONNECTED:
            return
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await self._websocket.close(code)


class RefusedError(Exception):
    def __init__(self, code: CloseCode) -> None:
        super().__init__(code.name)
        self.code = code


async def _token(link: StarletteLink) -> str:
    try:
        async with asyncio.timeout(AUTH_TIMEOUT_S):
            text = await link.receive_text()
    except (TimeoutError, ClientGoneError, UnsupportedFrameError):
        raise RefusedError(CloseCode.BAD_TOKEN) from None
    message = parse_message(text) if len(text) <= MAX_MESSAGE_BYTES else None
    token = message.get("token") if message is not None else None
    if message is None or message.get("type") != "auth" or not isinstance(token, str):
        raise RefusedError(CloseCode.BAD_TOKEN)
    return token


async def admit(container: AsyncContainer, token: str, appointment_id: int) -> Seat:
    """The caller's seat in the room, or `RefusedError` with the contract's close code."""
    async with container() as request:
        authenticate = await request.get(AuthenticateMiniApp)
        try:
            telegram_id = await authenticate(token)
        except SessionTokenError:
            raise RefusedError(CloseCode.BAD_TOKEN) from None
    async with container() as request:
        join = await request.get(JoinConsultation)
        try:
            ticket = await join(telegram_id, appointment_id)
        except (ConsultationAccessDeniedError, ConsultationNotFoundError):
            raise RefusedError(CloseCode.FORBIDDEN) from None
        except CallNotOpenError:
            raise RefusedError(CloseCode.NOT_OPEN) from None
        except CallRoomNotReadyError:
            raise RefusedError(CloseCode.ROOM_NOT_READY) from None
    if ticket.credentials.provider != BUILTIN_PROVIDER:
        raise RefusedError(CloseCode.FORBIDDEN)  # a hosted provider signals by itself
    return Seat(
        appointment_id=appointment_id,
        room=ticket.credentials.room_id,
        side=ticket.role,
        closes_at=ticket.access.call_window.closes_at,
    )


def build_signal_endpoint(container: AsyncContainer) -> Callable[[WebSocket], Awaitable[None]]:
    """The WebSocket endpoint, bound to the process's container (its relay is app-scoped)."""

    async def signal(websocket: WebSocket) -> None:
        """Signalling of one call page: `auth` first, then `signal`/`ping`; see
        `webapp.miniapp.signalling.room_hub` for what the server sends."""
        appointment_id = int(websocket.path_params["appointment_id"])
        await websocket.accept()
        link = StarletteLink(websocket)
        try:
            seat = await admit(container, await _token(link), appointment_id)
        except RefusedError as refusal:
            logger.info(
                "signalling of appointment %s refused: %s", appointment_id, refusal.code.name
            )
            await link.close(refusal.code)
            return
        relay = await container.get(SignalRelay)
        clock = await container.get(Clock)
        member = RoomMember(link, relay, seat, clock)
        logger.info("signalling of appointment %s: %s joined", appointment_id, seat.side.value)
        try:
            code = await member.run()
        except Exception as error:
            # The relay failed (Redis gone): the page reconnects, maybe to another replica.
            logger.warning(
                "signalling of appointment %s failed: %s", appointment_id, type(error).__name__
            )
            code = CloseCode.INTERNAL
        logger.info(
            "signalling of appointment %s: %s left (%s)",
            appointment_id,
            seat.side.value,
            code.name,
        )
        await link.close(code)

    return signal
