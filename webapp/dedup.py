"""Telegram retries a webhook delivery it thinks failed; aiogram does not drop repeats itself."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis

# Telegram keeps undelivered updates for 24 hours; remembering ids longer is pointless.
DEDUP_TTL_SECONDS = 24 * 60 * 60


class UpdateDeduplicator(Protocol):
    async def claim(self, update_id: int) -> bool:
        """True the first time an update id is seen; False for a repeat."""
        ...

    async def release(self, update_id: int) -> None:
        """Forget a claim, so Telegram's retry of an update that failed gets through."""
        ...


class MemoryDeduplicator:
    """One process only (sandbox, `run`): a bounded set of recent ids."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._capacity = capacity

    async def claim(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True

    async def release(self, update_id: int) -> None:
        self._seen.pop(update_id, None)


class RedisDeduplicator:
    """Replicas behind a load balancer share the claims.

    Update ids are numbered per bot, so the key names the bot: two bots (a staging and a
    production token, or two clinics) sharing one Redis must not swallow each other's updates.
    """

    def __init__(self, redis: Redis, *, bot_id: int, prefix: str = "tg:update:") -> None:
        self._redis = redis
        self._prefix = f"{prefix}{bot_id}:"

    async def claim(self, update_id: int) -> bool:
        claimed = await self._redis.set(
            f"{self._prefix}{update_id}", 1, nx=True, ex=DEDUP_TTL_SECONDS
        )
        return bool(claimed)

    async def release(self, update_id: int) -> None:
        await self._redis.delete(f"{self._prefix}{update_id}")
