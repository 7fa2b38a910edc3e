"""How connections of one room reach each other: a channel per room plus who holds each side.

A connection may sit on any webapp replica, so nothing here is kept per connection: every
message goes through the relay (Redis pub/sub when REDIS_URL is set, this process otherwise),
and the relay also remembers which connection holds each side of a room (for the `peer` flag of
the welcome and for replacing an older connection of the same side).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final, Protocol

logger = logging.getLogger(__name__)

# Envelopes a slow local subscriber may have waiting before it is cut off (a signalling
# exchange is a few dozen messages; thousands mean the socket is not being read).
INBOX_LIMIT: Final = 1000


class EnvelopeKind(StrEnum):
    HELLO = "hello"  # a connection of `side` has just joined (and replaces an older one)
    SIGNAL = "signal"  # `data` for the other side
    BYE = "bye"  # the connection holding `side` has gone


@dataclass(frozen=True, slots=True)
class Envelope:
    """One message on a room's channel: what happened, from which side and connection."""

    kind: EnvelopeKind
    side: str
    connection: str
    data: Any = None

    def dumps(self) -> str:
        return json.dumps(
            {
                "kind": self.kind.value,
                "side": self.side,
                "connection": self.connection,
                "data": self.data,
            },
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, raw: str | bytes) -> Envelope:
        body = json.loads(raw)
        return cls(
            kind=EnvelopeKind(body["kind"]),
            side=str(body["side"]),
            connection=str(body["connection"]),
            data=body.get("data"),
        )


class InboxOverflowError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(f"more than {INBOX_LIMIT} signalling messages waiting: reader stuck")


class SignalRelay(Protocol):
    """The rooms' channels and seats, shared by every replica that uses the same backend."""

    def subscribe(self, room: str) -> AbstractAsyncContextManager[AsyncIterator[Envelope]]:
        """Every envelope published to `room` (own ones included) from the moment the
        context is entered until it is left; the subscription is live when it is entered."""
        ...

    async def publish(self, room: str, envelope: Envelope) -> None:
        """Deliver `envelope` to every current subscriber of `room`, on any replica."""
        ...

    async def claim(self, room: str, side: str, connection: str, until: datetime) -> None:
        """`connection` holds `side` of `room` now (whoever held it before), until it
        releases it or `until` passes (a replica that died never releases)."""
        ...

    async def holder(self, room: str, side: str) -> str | None:
        """The connection holding `side` of `room`, if any."""
        ...

    async def release(self, room: str, side: str, connection: str) -> bool:
        """Give up `side` if `connection` still holds it; False when a newer connection has
        taken it meanwhile (then nothing changes)."""
        ...


class InProcessRelay:
    """One process's rooms (no REDIS_URL: a single webapp, or the sandbox)."""

    def __init__(self) -> None:
        self._inboxes: dict[str, set[asyncio.Queue[Envelope | None]]] = {}
        self._seats: dict[tuple[str, str], str] = {}

    @asynccontextmanager
    async def _subscription(self, room: str) -> AsyncIterator[AsyncIterator[Envelope]]:
        inbox: asyncio.Queue[Envelope | None] = asyncio.Queue(INBOX_LIMIT)
        self._inboxes.setdefault(room, set()).add(inbox)
        try:
            yield _drain(inbox)
        finally:
            inboxes = self._inboxes.get(room)
            if inboxes is not None:
                inboxes.discard(inbox)
                if not inboxes:
                    del self._inboxes[room]

    def subscribe(self, room: str) -> AbstractAsyncContextManager[AsyncIterator[Envelope]]:
        return self._subscription(room)

    async def publish(self, room: str, envelope: Envelope) -> None:
        for inbox in tuple(self._inboxes.get(room, ())):
            try:
                inbox.put_nowait(envelope)
            except asyncio.QueueFull:
                # Clear it and leave one marker: its reader raises and the socket closes.
                while not inbox.empty():
                    inbox.get_nowait()
                inbox.put_nowait(None)

    async def claim(self, room: str, side: str, connection: str, until: datetime) -> None:
        self._seats[(room, side)] = connection

    async def holder(self, room: str, side: str) -> str | None:
        return self._seats.get((room, side))

    async def release(self, room: str, side: str, connection: str) -> bool:
        if self._seats.get((room, side)) != connection:
            return False
        del self._seats[(room, side)]
        return True


async def _drain(inbox: asyncio.Queue[Envelope | None]) -> AsyncIterator[Envelope]:
    while True:
        envelope = await inbox.get()
        if envelope is None:
            raise InboxOverflowError
        yield envelope
