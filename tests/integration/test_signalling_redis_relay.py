"""The Redis relay on a real Redis, as two replicas see it: each with its own client, rooms
shared through pub/sub and the seats hash."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from core.clock import SystemClock
from core.ports.video import ParticipantRole
from tests.unit.test_signalling_hub import WAIT_S, FakeLink, seat
from webapp.miniapp.signalling.redis_relay import RedisRelay
from webapp.miniapp.signalling.relay import Envelope, EnvelopeKind
from webapp.miniapp.signalling.room_hub import CloseCode, RoomMember


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[RedisRelay, RedisRelay]]:
    prefix = f"test:signal:{uuid.uuid4().hex[:8]}:"
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    try:
        yield RedisRelay(first, prefix), RedisRelay(second, prefix)
    finally:
        keys = [key async for key in first.scan_iter(f"{prefix}*")]
        if keys:
            await first.delete(*keys)
        await first.aclose()
        await second.aclose()


async def test_an_envelope_published_on_one_replica_reaches_the_other(
    replicas: tuple[RedisRelay, RedisRelay],
) -> None:
    first, second = replicas
    sent = Envelope(EnvelopeKind.SIGNAL, "vet", "c1", {"sdp": "v=0", "n": [1, 2]})
    async with first.subscribe("room-a") as inbox, second.subscribe("room-b") as elsewhere:
        await second.publish("room-a", sent)
        await second.publish("room-b", Envelope(EnvelopeKind.HELLO, "owner", "c2"))
        assert await asyncio.wait_for(anext(inbox), WAIT_S) == sent
        assert (await asyncio.wait_for(anext(elsewhere), WAIT_S)).kind is EnvelopeKind.HELLO


async def test_seats_are_shared_and_released_only_by_their_holder(
    replicas: tuple[RedisRelay, RedisRelay],
) -> None:
    first, second = replicas
    until = datetime.now(UTC) + timedelta(minutes=5)
    await first.claim("room", "owner", "old", until)
    await second.claim("room", "owner", "new", until)
    assert await first.holder("room", "owner") == "new"
    assert await first.release("room", "owner", "old") is False
    assert await second.holder("room", "vet") is None
    assert await first.release("room", "owner", "new") is True
    assert await second.holder("room", "owner") is None


async def test_a_seat_expires_with_the_window(replicas: tuple[RedisRelay, RedisRelay]) -> None:
    first, _ = replicas
    await first.claim("room", "vet", "gone-replica", datetime.now(UTC) + timedelta(seconds=60))
    ttl = await first._redis.pttl(first._seats("room"))
    assert 0 < ttl <= 60_000


async def test_members_on_two_replicas_meet_and_signal(
    replicas: tuple[RedisRelay, RedisRelay],
) -> None:
    first, second = replicas
    owner_link, vet_link = FakeLink(), FakeLink()
    owner = asyncio.create_task(
        RoomMember(owner_link, first, seat(ParticipantRole.OWNER), SystemClock()).run()
    )
    assert (await owner_link.next())["peer"] is False
    vet = asyncio.create_task(
        RoomMember(vet_link, second, seat(ParticipantRole.VET), SystemClock()).run()
    )
    try:
        assert (await vet_link.next())["peer"] is True
        assert await owner_link.next() == {"type": "peer", "present": True}
        vet_link.say({"type": "signal", "data": {"type": "offer"}})
        assert await owner_link.next() == {"type": "signal", "data": {"type": "offer"}}
        vet_link.hang_up()
        assert await asyncio.wait_for(vet, WAIT_S) is CloseCode.NORMAL
        assert await owner_link.next() == {"type": "peer", "present": False}
    finally:
        owner.cancel()
        vet.cancel()
