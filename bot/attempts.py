"""`core.ports.attempts.Attempts` in Redis (every replica counts together) and in memory.

Both spend a rate budget with the generic cell rate algorithm (GCRA): per key, only the
"theoretical arrival time" of the next attempt is kept, so a check is one read and one write.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final

from redis.asyncio import Redis

DEFAULT_PREFIX: Final = "telemed:attempts:"
# The in-process maps drop stale keys once they hold this many (every user who ever wrote).
_SWEEP_AT: Final = 4096

# KEYS[1]: the key; ARGV[1]: interval between attempts, ARGV[2]: burst tolerance, both in µs.
# The server's clock, so that replicas whose clocks differ still agree.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
if tat - now > tonumber(ARGV[2]) then return 0 end
local next_tat = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', next_tat),
           'PX', math.ceil((next_tat - now) / 1000) + 1)
return 1
"""


def _interval_and_tolerance(rate_per_s: float, burst: int) -> tuple[float, float]:
    interval = 1.0 / rate_per_s
    return interval, interval * (max(burst, 1) - 1)


class RedisAttempts:
    def __init__(self, redis: Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._prefix = prefix
        self._take = redis.register_script(_TAKE)

    async def take(self, key: str, rate_per_s: float, burst: int) -> bool:
        interval, tolerance = _interval_and_tolerance(rate_per_s, burst)
        taken = await self._take(
            keys=[self._prefix + key],
            args=[math.ceil(interval * 1e6), math.ceil(tolerance * 1e6)],
        )
        return bool(taken)

    async def add(self, key: str, window_s: float) -> int:
        name = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            # The window opens with the first event: NX keeps an open window's expiry.
            pipe.set(name, 0, px=max(1, math.ceil(window_s * 1000)), nx=True)
            pipe.incr(name)
            _, counted = await pipe.execute()
        return int(counted)

    async def count(self, key: str) -> int:
        value = await self._redis.get(self._prefix + key)
        return int(value) if value is not None else 0


class MemoryAttempts:
    """One process only (sandbox, `run` without REDIS_URL)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._next: dict[str, float] = {}
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (closes at, count)

    async def take(self, key: str, rate_per_s: float, burst: int) -> bool:
        interval, tolerance = _interval_and_tolerance(rate_per_s, burst)
        now = self._clock()
        due = max(self._next.get(key, now), now)
        if due - now > tolerance:
            return False
        self._next[key] = due + interval
        if len(self._next) > _SWEEP_AT:
            self._next = {k: at for k, at in self._next.items() if at > now}
        return True

    async def add(self, key: str, window_s: float) -> int:
        now = self._clock()
        closes_at, counted = self._windows.get(key, (now + window_s, 0))
        if closes_at <= now:
            closes_at, counted = now + window_s, 0
        self._windows[key] = (closes_at, counted + 1)
        if len(self._windows) > _SWEEP_AT:
            self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
        return counted + 1

    async def count(self, key: str) -> int:
        closes_at, counted = self._windows.get(key, (0.0, 0))
        return counted if closes_at > self._clock() else 0
