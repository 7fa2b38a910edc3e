"""Pacing of outbound messages (bot.outbound): per process, or shared by all through Redis.

Telegram's rates are per bot, not per process.

The bot, the scheduler (reminders, notices of jobs) and the workers (check results) all send
as one bot. Paced each on its own at 25 messages/s, two of them sending at once would go at 50/s
and meet a storm of 429s — 10,000 reminders due in one minute, while the bot answers its users.
With Redis configured, every process reserves its slots in the same GCRA state (one key per
chat and one overall, per bot), so together they stay at the rates of `OutboundSection`.
Without Redis (the embedded sandbox, `run` on one machine) there is one process: in-process
limiters do the same job.

The state is one number per key — the "theoretical arrival time" of the next message, in µs of
the Redis server's clock (processes whose clocks differ still agree) — reserved by one atomic
script per message: the slot is taken at once and the caller told how long to wait for it, so
waiters are served in the order they asked.

Redis unreachable: the process falls back to its own limiter (a warning once per outage) —
pacing that is only per process is better than holding every message until Redis is back.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Final, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.config import OutboundSection

logger = logging.getLogger(__name__)

DEFAULT_PREFIX: Final = "telemed:pace:"
# Per-key limiter state is dropped once idle; swept when the table grows past this.
SWEEP_AT: Final = 4096

# KEYS[1]: the key; ARGV[1]: interval between messages, ARGV[2]: burst tolerance, both in µs;
# ARGV[3]: how many messages. Returns the wait in µs before the reserved slot.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
local delay = tat - tonumber(ARGV[2]) - now
if delay < 0 then delay = 0 end
local next_tat = tat + tonumber(ARGV[1]) * tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.0f', next_tat),
           'PX', math.ceil((next_tat - now) / 1000) + 1)
return math.floor(delay)
"""


class Gcra:
    """Generic cell rate algorithm: `rate_per_s` sustained per key, `burst` at once.

    Each call reserves its slot at once and is told how long to wait for it, so waiters are
    served in the order they asked, without a background task.
    """

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self._interval = 1.0 / rate_per_s
        self._tolerance = self._interval * (burst - 1)
        # Per key: the theoretical arrival time of the next call.
        self._next: dict[int, float] = {}
        self._sweep_at = SWEEP_AT

    def reserve(self, key: int, now: float, cost: int = 1) -> float:
        """Seconds to wait before sending `cost` messages for `key`, their slot taken."""
        due = max(self._next.get(key, now), now)
        delay = max(0.0, due - self._tolerance - now)
        self._next[key] = due + self._interval * cost
        if len(self._next) > self._sweep_at:
            self._sweep(now)
        return delay

    def _sweep(self, now: float) -> None:
        # A key whose next slot is in the past is as good as a new one.
        self._next = {key: due for key, due in self._next.items() if due > now}
        self._sweep_at = max(SWEEP_AT, 2 * len(self._next))


class Limiter(Protocol):
    """One GCRA budget per key: this process's, or shared by all (see the module doc)."""

    async def reserve(self, key: int, cost: int = 1) -> float:
        """Seconds to wait before sending `cost` messages for `key`, their slot taken."""
        ...


class LocalLimiter:
    """This process's own limiter: `Gcra` on the event loop's clock."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self._gcra = Gcra(rate_per_s, burst)

    async def reserve(self, key: int, cost: int = 1) -> float:
        return self._gcra.reserve(key, asyncio.get_running_loop().time(), cost)


class SharedLimiter:
    """The GCRA state in Redis, shared by every process of one bot (see the module doc)."""

    def __init__(
        self,
        redis: Redis,
        *,
        name: str,
        bot_id: int,
        rate_per_s: float,
        burst: int,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self._redis = redis
        self._prefix = f"{prefix}{bot_id}:{name}:"
        interval = 1.0 / rate_per_s
        self._interval_us = math.ceil(interval * 1e6)
        self._tolerance_us = math.ceil(interval * (max(burst, 1) - 1) * 1e6)
        self._reserve = redis.register_script(_RESERVE)
        self._fallback = LocalLimiter(rate_per_s, burst)
        self._outage = False

    async def reserve(self, key: int, cost: int = 1) -> float:
        try:
            delay_us = await self._reserve(
                keys=[f"{self._prefix}{key}"],
                args=[self._interval_us, self._tolerance_us, cost],
            )
        except (RedisError, OSError) as error:
            if not self._outage:
                # One line, no traceback: an outage is not a bug, and it is logged once.
                logger.warning(
                    "shared pacing: Redis unreachable (%r), pacing this process alone until "
                    "it is back",
                    error,
                )
                self._outage = True
            return await self._fallback.reserve(key, cost)
        if self._outage:
            logger.info("shared pacing: Redis is back")
            self._outage = False
        return int(delay_us) / 1e6


def shared_limiters(
    redis: Redis, settings: OutboundSection, bot_id: int
) -> tuple[SharedLimiter, SharedLimiter]:
    """Per chat and overall, at the rates of `settings`, for every process of this bot."""
    return (
        SharedLimiter(
            redis,
            name="chat",
            bot_id=bot_id,
            rate_per_s=settings.chat_rate_per_s,
            burst=settings.chat_burst,
        ),
        SharedLimiter(
            redis,
            name="all",
            bot_id=bot_id,
            rate_per_s=settings.global_rate_per_s,
            burst=settings.global_burst,
        ),
    )
