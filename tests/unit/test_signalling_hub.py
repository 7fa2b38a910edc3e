"""The signalling room's rules without a server: two sides meet through a relay, signals pass
across, presence comes and goes, a newer connection of a side replaces the older one, and the
call window's end closes everyone. Run on the in-process relay here; the Redis relay runs the
same members in tests/integration/test_signalling_redis_relay.py."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.clock import SystemClock
from core.ports.video import ParticipantRole
from webapp.miniapp.signalling.relay import InProcessRelay, SignalRelay
from webapp.miniapp.signalling.room_hub import (
    MAX_MESSAGE_BYTES,
    ClientGoneError,
    CloseCode,
    RoomMember,
    Seat,
    UnsupportedFrameError,
)

ROOM = "telemed-pet-7-unguessable"
WAIT_S = 5


@dataclass
class FakeLink:
    """A client socket: what the test types in, what the server sent back."""

    incoming: asyncio.Queue[str | bytes | None] = field(default_factory=asyncio.Queue)
    sent: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    closed_with: int | None = None

    async def receive_text(self) -> str:
        item = await self.incoming.get()
        if item is None:
            raise ClientGoneError
        if isinstance(item, bytes):
            raise UnsupportedFrameError
        return item

    async def send(self, message: dict[str, Any]) -> None:
        await self.sent.put(message)

    async def close(self, code: int) -> None:
        self.closed_with = code

    def say(self, message: dict[str, Any] | str | bytes) -> None:
        self.incoming.put_nowait(
            message if isinstance(message, str | bytes) else json.dumps(message)
        )

    def hang_up(self) -> None:
        self.incoming.put_nowait(None)

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.sent.get(), WAIT_S)


@dataclass
class Connected:
    link: FakeLink
    member: RoomMember
    run: asyncio.Task[CloseCode]

    async def ended(self) -> CloseCode:
        return await asyncio.wait_for(self.run, WAIT_S)


def seat(side: ParticipantRole, closes_in: timedelta = timedelta(hours=1)) -> Seat:
    return Seat(appointment_id=7, room=ROOM, side=side, closes_at=datetime.now(UTC) + closes_in)


async def connect(relay: SignalRelay, side: ParticipantRole, **seat_args: Any) -> Connected:
    link = FakeLink()
    member = RoomMember(link, relay, seat(side, **seat_args), SystemClock())
    run = asyncio.create_task(member.run())
    welcome = await link.next()
    assert welcome["type"] == "welcome"
    link.sent.put_nowait(welcome)  # kept for the test to read first
    return Connected(link, member, run)


@asynccontextmanager
async def cleanup(*calls: Connected) -> AsyncIterator[None]:
    try:
        yield
    finally:
        for call in calls:
            call.run.cancel()


@pytest.fixture
def relay() -> InProcessRelay:
    return InProcessRelay()


async def test_the_first_side_is_welcomed_alone_and_told_when_the_other_arrives(
    relay: InProcessRelay,
) -> None:
    owner = await connect(relay, ParticipantRole.OWNER)
    assert await owner.link.next() == {
        "type": "welcome",
        "role": "owner",
        "peer": False,
        "polite": True,
    }
    vet = await connect(relay, ParticipantRole.VET)
    async with cleanup(owner, vet):
        assert await vet.link.next() == {
            "type": "welcome",
            "role": "vet",
            "peer": True,
            "polite": False,
        }
        assert await owner.link.next() == {"type": "peer", "present": True}


async def test_signals_cross_to_the_other_side_only(relay: InProcessRelay) -> None:
    owner = await connect(relay, ParticipantRole.OWNER)
    vet = await connect(relay, ParticipantRole.VET)
    async with cleanup(owner, vet):
        await owner.link.next()
        await owner.link.next()  # peer present
        await vet.link.next()
        offer = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
        vet.link.say({"type": "signal", "data": offer})
        assert await owner.link.next() == {"type": "signal", "data": offer}
        owner.link.say({"type": "signal", "data": {"candidate": None}})
        assert await vet.link.next() == {"type": "signal", "data": {"candidate": None}}
        # Nothing echoes back to the sender: its next message is the answer to a ping.
        vet.link.say({"type": "ping"})
        assert await vet.link.next() == {"type": "pong"}


async def test_leaving_tells_the_other_side_and_frees_the_seat(relay: InProcessRelay) -> None:
    owner = await connect(relay, ParticipantRole.OWNER)
    vet = await connect(relay, ParticipantRole.VET)
    async with cleanup(owner, vet):
        await owner.link.next()
        await owner.link.next()
        vet.link.hang_up()
        assert await vet.ended() is CloseCode.NORMAL
        assert await owner.link.next() == {"type": "peer", "present": False}
        assert await relay.holder(ROOM, "vet") is None
        assert await relay.holder(ROOM, "owner") == owner.member.connection_id


async def test_a_newer_connection_of_a_side_replaces_the_older(relay: InProcessRelay) -> None:
    owner = await connect(relay, ParticipantRole.OWNER)
    vet = await connect(relay, ParticipantRole.VET)
    await owner.link.next()
    await owner.link.next()
    await vet.link.next()
    second_owner = await connect(relay, ParticipantRole.OWNER)
    async with cleanup(owner, vet, second_owner):
        assert await owner.ended() is CloseCode.REPLACED
        assert (await second_owner.link.next())["peer"] is True
        # The vet hears of a new owner page, and no "gone" for the replaced one.
        assert await vet.link.next() == {"type": "peer", "present": True}
        assert await relay.holder(ROOM, "owner") == second_owner.member.connection_id
        second_owner.link.say({"type": "signal", "data": "hi"})
        assert await vet.link.next() == {"type": "signal", "data": "hi"}


async def test_the_end_of_the_window_ends_every_connection(relay: InProcessRelay) -> None:
    owner = await connect(relay, ParticipantRole.OWNER, closes_in=timedelta(milliseconds=200))
    async with cleanup(owner):
        await owner.link.next()
        assert await owner.link.next() == {"type": "ended"}
        assert await owner.ended() is CloseCode.ENDED
        assert await relay.holder(ROOM, "owner") is None


async def test_a_window_already_over_ends_at_once(relay: InProcessRelay) -> None:
    owner = await connect(relay, ParticipantRole.OWNER, closes_in=-timedelta(seconds=1))
    async with cleanup(owner):
        assert await owner.ended() is CloseCode.ENDED


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("x" * (MAX_MESSAGE_BYTES + 1), CloseCode.TOO_BIG),
        (
            json.dumps({"type": "signal", "data": "é" * (MAX_MESSAGE_BYTES // 2)}),
            CloseCode.TOO_BIG,
        ),
        ("{not json", CloseCode.UNSUPPORTED),
        ("[1, 2]", CloseCode.UNSUPPORTED),
        (b"\x00binary", CloseCode.UNSUPPORTED),
    ],
    ids=["too-long", "too-many-bytes", "not-json", "not-an-object", "binary"],
)
async def test_a_bad_message_closes_the_socket(
    relay: InProcessRelay, message: str | bytes, code: CloseCode
) -> None:
    vet = await connect(relay, ParticipantRole.VET)
    async with cleanup(vet):
        vet.link.say(message)
        assert await vet.ended() is code


async def test_unknown_types_are_ignored(relay: InProcessRelay) -> None:
    vet = await connect(relay, ParticipantRole.VET)
    async with cleanup(vet):
        await vet.link.next()
        vet.link.say({"type": "future-feature"})
        vet.link.say({"type": "signal"})  # no data: nothing to relay
        vet.link.say({"type": "ping"})
        assert await vet.link.next() == {"type": "pong"}
        assert not vet.run.done()


async def test_an_older_seat_holder_cannot_release_a_newer_ones_seat(
    relay: InProcessRelay,
) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    await relay.claim(ROOM, "vet", "first", until)
    await relay.claim(ROOM, "vet", "second", until)
    assert await relay.release(ROOM, "vet", "first") is False
    assert await relay.holder(ROOM, "vet") == "second"
    assert await relay.release(ROOM, "vet", "second") is True
    assert await relay.holder(ROOM, "vet") is None
