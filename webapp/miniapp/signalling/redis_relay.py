"""The relay across webapp replicas: Redis pub/sub, one channel per room, and a hash per room
for the seats (REDIS_URL)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Final

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from webapp.miniapp.signalling.relay import Envelope

logger = logging.getLogger(__name__)

DEFAULT_PREFIX: Final = "telemed:signal:"

# Compare-and-delete: only the connection that holds the seat gives it up, in one step (a
# newer connection may have claimed it between a read and a delete).
_RELEASE: Final = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
    redis.call('HDEL', KEYS[1], ARGV[1])
    return 1
end
return 0
"""


class RedisRelay:
    """Subscriptions hold one Redis connection each (a room has at most two local ones per
    replica); publishing and seats share the client's pool."""

    def __init__(self, redis: Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._prefix = prefix
        self._release = redis.register_script(_RELEASE)

    def _channel(self, room: str) -> str:
        return f"{self._prefix}{room}"

    def _seats(self, room: str) -> str:
        return f"{self._prefix}{room}:seats"

    @asynccontextmanager
    async def _subscription(self, room: str) -> AsyncIterator[AsyncIterator[Envelope]]:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self._channel(room))
            # The confirmation: from here on the server delivers this channel to us, so a
            # hello published after `subscribe` returns cannot be missed.
            while True:
                confirmation = await pubsub.get_message(timeout=None)
                if confirmation is not None and confirmation["type"] == "subscribe":
                    break
            yield _envelopes(pubsub)
        finally:
            await pubsub.aclose()

    def subscribe(self, room: str) -> AbstractAsyncContextManager[AsyncIterator[Envelope]]:
        return self._subscription(room)

    async def publish(self, room: str, envelope: Envelope) -> None:
        await self._redis.publish(self._channel(room), envelope.dumps())

    async def claim(self, room: str, side: str, connection: str, until: datetime) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._seats(room), side, connection)
            pipe.pexpireat(self._seats(room), until)
            await pipe.execute()

    async def holder(self, room: str, side: str) -> str | None:
        value = await self._redis.hget(self._seats(room), side)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    async def release(self, room: str, side: str, connection: str) -> bool:
        released = await self._release(keys=[self._seats(room)], args=[side, connection])
        return bool(released)


async def _envelopes(pubsub: PubSub) -> AsyncIterator[Envelope]:
    while True:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
        if message is None or message["type"] != "message":
            continue
        try:
            yield Envelope.loads(message["data"])
        except (ValueError, KeyError, TypeError):
            # Only our replicas publish here; anything else is dropped, not fatal.
            logger.warning("a malformed envelope on a signalling channel was dropped")
