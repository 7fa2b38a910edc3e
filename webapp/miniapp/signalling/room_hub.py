"""One admitted connection in its room: the welcome, the relay both ways, presence, the
replacement of an older connection of the same side, and the end of the call window.

Framework-free: the WebSocket is behind `ClientLink`, so the rules are tested without a server
(webapp/miniapp/signalling/socket.py adapts Starlette's WebSocket).

What the page sees, after its `{"type": "auth", "token"}`:
- `{"type": "welcome", "role", "peer", "polite"}` first: `peer` says whether the other side
  holds a connection now; the owner is the polite side of perfect negotiation.
- `{"type": "peer", "present": true}` each time a connection of the other side arrives, also
  when one was there already (the other page reloaded: drop the old RTCPeerConnection and
  negotiate afresh); `{"present": false}` when it goes (not when it is replaced).
- `{"type": "signal", "data"}`: the other side's `data`, as it sent it; `{"type": "pong"}` for
  a `ping`; `{"type": "ended"}` then close 4001 when the call window closes.
- Closes: 4000 replaced by a newer connection of the same side; 1009 a message over 64 KB;
  1003 a binary frame or text that is not a JSON object; 1011 the relay failed (reconnect).
  Unknown message types are ignored.

Access is checked when the socket is admitted (and again on every reconnect); a cancellation
during the call does not cut an open socket, which ends with the call window.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any, Final, Protocol

from core.clock import Clock
from core.ports.video import ParticipantRole
from webapp.miniapp.signalling.relay import Envelope, EnvelopeKind, SignalRelay

logger = logging.getLogger(__name__)

# A signalling message is an SDP offer/answer (a few KB) or an ICE candidate; 64 KB leaves room
# for a large SDP and caps what a client can push through the relay in one message.
MAX_MESSAGE_BYTES: Final = 64 * 1024


class CloseCode(IntEnum):
    """How the server ends a signalling socket (4xxx: ours, per the Mini App contract)."""

    NORMAL = 1000
    UNSUPPORTED = 1003  # a binary frame, or text that is not a JSON object
    TOO_BIG = 1009  # over MAX_MESSAGE_BYTES
    INTERNAL = 1011
    REPLACED = 4000  # a newer connection of the same side took over
    ENDED = 4001  # the call window closed
    BAD_TOKEN = 4401
    FORBIDDEN = 4403
    NOT_OPEN = 4409
    ROOM_NOT_READY = 4503


class ClientGoneError(Exception):
    """The client closed the socket (or the connection dropped)."""


class ClientLink(Protocol):
    """The client's socket, as the hub sees it."""

    async def receive_text(self) -> str:
        """The next text message; `ClientGoneError` once the client has gone;
        `UnsupportedFrameError` for a binary frame."""
        ...

    async def send(self, message: dict[str, Any]) -> None:
        """Send one JSON message; `ClientGoneError` if the socket is closed."""
        ...

    async def close(self, code: int) -> None:
        """Close the socket (nothing happens if it is closed already)."""
        ...


class UnsupportedFrameError(Exception):
    """A binary frame: the protocol is JSON text only."""


@dataclass(frozen=True, slots=True)
class Seat:
    """Where an admitted connection sits: its room (the builtin provider's room id, not
    guessable), its side, and when the call window closes."""

    appointment_id: int
    room: str
    side: ParticipantRole
    closes_at: datetime

    @property
    def other_side(self) -> ParticipantRole:
        return ParticipantRole.VET if self.side is ParticipantRole.OWNER else ParticipantRole.OWNER


def welcome(seat: Seat, *, peer: bool) -> dict[str, Any]:
    # Perfect negotiation needs exactly one polite side; the owner yields on a collision.
    return {
        "type": "welcome",
        "role": seat.side.value,
        "peer": peer,
        "polite": seat.side is ParticipantRole.OWNER,
    }


class RoomMember:
    """Runs one admitted connection until it ends, and says how (the close code)."""

    def __init__(
        self,
        link: ClientLink,
        relay: SignalRelay,
        seat: Seat,
        clock: Clock,
        connection_id: str | None = None,
    ) -> None:
        self._link = link
        self._relay = relay
        self._seat = seat
        self._clock = clock
        self.connection_id = connection_id or uuid.uuid4().hex
        # Sends come from the inbox pump and the reader (pong): one at a time on the socket.
        self._sending = asyncio.Lock()
        self._ignored_types_logged = False

    async def run(self) -> CloseCode:
        seat = self._seat
        # Subscribe before claiming and saying hello: whatever the other side does from now on
        # reaches this connection, so the welcome's `peer` plus later events never miss it.
        async with self._relay.subscribe(seat.room) as inbox:
            await self._relay.claim(seat.room, seat.side.value, self.connection_id, seat.closes_at)
            try:
                peer = await self._relay.holder(seat.room, seat.other_side.value) is not None
                await self._publish(EnvelopeKind.HELLO)
                await self._send(welcome(seat, peer=peer))
                code = await self._until_first_ending(inbox)
            except BaseException:
                await self._leave()
                raise
            if code is not CloseCode.REPLACED:
                await self._leave()
        return code

    async def _until_first_ending(self, inbox: AsyncIterator[Envelope]) -> CloseCode:
        tasks = [
            asyncio.create_task(self._pump(inbox)),
            asyncio.create_task(self._read()),
            asyncio.create_task(self._deadline()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        first = next(iter(done))
        error = first.exception()
        if isinstance(error, ClientGoneError):
            return CloseCode.NORMAL  # a send found the socket closed
        if error is not None:
            logger.warning(
                "signalling of appointment %s (%s) failed: %s",
                self._seat.appointment_id,
                self._seat.side.value,
                type(error).__name__,
            )
            return CloseCode.INTERNAL
        code: CloseCode = first.result()
        return code

    async def _leave(self) -> None:
        seat = self._seat

        # Shielded: a cancelled connection still frees its seat and tells the other side.
        async def release() -> None:
            if await self._relay.release(seat.room, seat.side.value, self.connection_id):
                await self._publish(EnvelopeKind.BYE)

        try:
            await asyncio.shield(release())
        except Exception:
            logger.warning(
                "the seat of appointment %s (%s) was not released",
                seat.appointment_id,
                seat.side.value,
            )

    async def _publish(self, kind: EnvelopeKind, data: Any = None) -> None:
        await self._relay.publish(
            self._seat.room,
            Envelope(
                kind=kind, side=self._seat.side.value, connection=self.connection_id, data=data
            ),
        )

    async def _send(self, message: dict[str, Any]) -> None:
        async with self._sending:
            await self._link.send(message)

    # --- the three ways a connection ends ------------------------------------------------------

    async def _pump(self, inbox: AsyncIterator[Envelope]) -> CloseCode:
        """Envelopes of the room to the client."""
        async for envelope in inbox:
            if envelope.connection == self.connection_id:
                continue
            if envelope.side == self._seat.side.value:
                if envelope.kind is EnvelopeKind.HELLO:
                    return CloseCode.REPLACED
                continue  # an older connection of this side, about to be closed
            if envelope.kind is EnvelopeKind.HELLO:
                # Also when a peer was already there: a new connection of the other side
                # means a new page, so the client restarts its negotiation.
                await self._send({"type": "peer", "present": True})
            elif envelope.kind is EnvelopeKind.BYE:
                await self._send({"type": "peer", "present": False})
            elif envelope.kind is EnvelopeKind.SIGNAL:
                await self._send({"type": "signal", "data": envelope.data})
        return CloseCode.INTERNAL  # a subscription never ends by itself

    async def _read(self) -> CloseCode:
        """The client's messages to the room."""
        while True:
            try:
                text = await self._link.receive_text()
            except ClientGoneError:
                return CloseCode.NORMAL
            except UnsupportedFrameError:
                return CloseCode.UNSUPPORTED
            if len(text.encode()) > MAX_MESSAGE_BYTES:
                return CloseCode.TOO_BIG
            message = parse_message(text)
            if message is None:
                return CloseCode.UNSUPPORTED
            kind = message.get("type")
            if kind == "signal" and "data" in message:
                await self._publish(EnvelopeKind.SIGNAL, message["data"])
            elif kind == "ping":
                await self._send({"type": "pong"})
            elif not self._ignored_types_logged:
                # Ignored, for clients newer than this server; said once per connection.
                self._ignored_types_logged = True
                logger.info(
                    "signalling of appointment %s ignored a message of an unknown type",
                    self._seat.appointment_id,
                )

    async def _deadline(self) -> CloseCode:
        """The end of the call window."""
        await _sleep_until(self._seat.closes_at, self._clock)
        await self._send({"type": "ended"})
        return CloseCode.ENDED


def parse_message(text: str) -> dict[str, Any] | None:
    """A client message: a JSON object, else None."""
    try:
        message = json.loads(text)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


def _sleep_until(moment: datetime, clock: Clock) -> Awaitable[None]:
    return asyncio.sleep(max((moment - clock.now()).total_seconds(), 0.0))
